"""The public register: closed unless an admin opens it; when open, approved and decided assessments without login,
as pages, PDFs and Word files with no personal name, no reviewer's comment, no history; reviewers keep one
unpublished with a reason; every change of what is public is in the audit trail."""

import io
import re
from collections import deque
from datetime import UTC, date, datetime
from urllib.parse import urldefrag, urlsplit

import pytest
import sqlalchemy as sa

from impact.assessments.enums import AssessmentStatus
from impact.assessments.models import Assessment, Consultation
from impact.audit.models import AuditEvent
from impact.auth.models import User
from impact.core.db import db
from impact.public.models import PublicationHold
from impact.public.publication import set_register_open
from impact.review.models import ReviewComment
from tests import factories
from tests.conftest import csrf_token
from tests.reports.test_documents import docx_text, pdf_text

LINK = re.compile(r'<a\b[^>]*\bhref="([^"]+)"')
DOCUMENT = re.compile(r"^/public/assessments/(\d+)\.(pdf|docx)$")
NAMES = ("Karin Författarsson", "Greta Granskarsson", "Olle Ägarsson")
COMMENT = "Intern granskningskommentar som aldrig får synas"
SECRECY = "Sekretess enligt OSL 18 kap. 8 §"


def _open(app, is_open: bool = True) -> None:
    with app.app_context():
        admin = factories.create_user(roles=("admin",), department="KS", name="Admin Adminsson")
        set_register_open(is_open, admin)
        db.session.commit()


@pytest.fixture
def world(app) -> dict[str, int]:
    """An assessment in every state; two of the published ones hold names in every place a name can be; one
    approved one is kept unpublished; the register is open."""
    with app.app_context():
        made = factories.seed_report_data()
        author = factories.create_user(name="Karin Författarsson", department="SOF")
        reviewer = factories.create_user(roles=("reviewer",), name="Greta Granskarsson", department="SOF")
        owner = factories.create_user(name="Olle Ägarsson", department="FFF")
        for status in ("draft", "submitted", "returned", "withdrawn", "approved", "decided", "archived"):
            made[f"{status}_named"] = factories.create_assessment(
                status,
                department="SOF",
                author=author,
                title=f"Namngiven {status}",
                answers={
                    "gender": {
                        "impact": "negative",
                        "mitigations": [{"owner": owner, "responsible": "Olle Ägarsson", "status": "planned"}],
                    }
                },
            )
            made[f"{status}_named"].decided_by = reviewer if status not in ("draft", "submitted", "withdrawn") else None
            factories.create_review_comment(made[f"{status}_named"], reviewer, body=f"{COMMENT} ({status})")
        made["decided_named"].consultations = [
            Consultation(group_kind=factories.ensure_group_kind("Pensionärsrådet"), views="Fler bänkar.")
        ]
        made["held"] = factories.create_assessment("approved", department="FFF", title="Hemlig upphandling")
        db.session.add(PublicationHold(assessment_id=made["held"].id, reason=SECRECY, held_by_id=reviewer.id))
        db.session.commit()
        ids = {name: assessment.id for name, assessment in made.items()}
    _open(app)
    return ids


def document_text(path: str, data: bytes) -> str:
    """The text of a PDF (pypdf) or a Word file (python-docx), with its metadata, headers and footers."""
    from docx import Document
    from pypdf import PdfReader

    if path.endswith(".pdf"):
        metadata = PdfReader(io.BytesIO(data)).metadata or {}
        return " ".join([pdf_text(data), *(str(value) for value in metadata.values())])
    document = Document(io.BytesIO(data))
    properties = document.core_properties
    extra = [properties.author, properties.last_modified_by, properties.title, properties.comments]
    for section in document.sections:
        extra += [paragraph.text for paragraph in (*section.header.paragraphs, *section.footer.paragraphs)]
    return " ".join([docx_text(document), *(text for text in extra if text)])


def crawl(client, start: str = "/public/") -> dict[str, str]:
    """Every page and document reachable from ``start`` by links that stay under /public/: {path: html or the
    document's text}."""
    queue, seen, pages = deque([start]), {start}, {}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if DOCUMENT.match(path):
            assert response.headers["Cache-Control"] == "no-store"
            pages[path] = document_text(path, response.get_data())
            continue
        html = response.get_data(as_text=True)
        pages[path] = html
        for href in LINK.findall(html):
            link, _fragment = urldefrag(href.replace("&amp;", "&"))
            if urlsplit(link).path.startswith("/public/") and link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_anonymous_crawl_finds_only_published_assessments_and_no_names(app, client, world, language):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    pages = crawl(client)
    assert all(f'<html lang="{language}"' in html for path, html in pages.items() if not DOCUMENT.match(path))
    opened = {int(match) for path in pages for match in re.findall(r"^/public/assessments/(\d+)$", path)}
    documents = {(int(match[1]), match[2]) for path in pages if (match := DOCUMENT.match(path))}
    with app.app_context():
        published = set(
            db.session.scalars(
                sa.select(Assessment.id).where(
                    Assessment.status.in_([AssessmentStatus.approved, AssessmentStatus.decided]),
                    Assessment.id != world["held"],
                )
            )
        )
        names = set(db.session.scalars(sa.select(User.name)))
        comments = set(db.session.scalars(sa.select(ReviewComment.body)))
        titles = dict(db.session.execute(sa.select(Assessment.id, Assessment.title)).all())
    assert opened == published and len(published) == 6
    # Each published assessment's PDF and Word file, linked from its page, and nothing else's.
    assert documents == {(assessment_id, kind) for assessment_id in published for kind in ("pdf", "docx")}
    text = "\n".join(pages.values())
    for name in ("draft", "submitted", "returned", "withdrawn", "archived"):
        assert titles[world[f"{name}_named"]] not in text, name
    assert "Hemlig upphandling" not in text and SECRECY not in text
    assert all(name not in text for name in names), [name for name in names if name in text]
    assert all(comment not in text for comment in comments)
    assert COMMENT not in text
    # The department is named; the content is there.
    page = pages[f"/public/assessments/{world['decided_named']}"]
    assert "Sociala omsorgsförvaltningen" in page or "SOF" in page
    assert "Fler bänkar." in page  # what the consulted group said
    for kind in ("pdf", "docx"):
        document = pages[f"/public/assessments/{world['decided_named']}.{kind}"]
        assert "Namngiven decided" in document and "Fler bänkar." in document, kind
        assert "Sociala omsorgsförvaltningen" in document or "SOF" in document
        assert ("Åtgärdsplan" if language == "sv" else "Action plan") in document, kind


def test_closed_register_is_not_found(app, client, world):
    _open(app, False)
    approved = world["approved_named"]
    for path in ("/public/", f"/public/assessments/{approved}", "/public/?q=x"):
        assert client.get(path).status_code == 404
    for path in (f"/public/assessments/{approved}.pdf", f"/public/assessments/{approved}.docx"):
        assert client.get(path).status_code == 404


def test_the_register_is_closed_unless_opened(app, client, seeded):
    assert client.get("/public/").status_code == 404


@pytest.mark.parametrize(
    "name", ["draft_named", "submitted_named", "returned_named", "withdrawn_named", "archived_named", "held"]
)
@pytest.mark.parametrize("language", ["sv", "en"])
def test_an_unpublished_assessment_is_not_found(client, world, name, language):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    for suffix in ("", ".pdf", ".docx"):
        assert client.get(f"/public/assessments/{world[name]}{suffix}").status_code == 404, suffix


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_internal_documents_name_people_and_the_public_ones_do_not(client, world, login_as, language):
    """The same assessment, inside and in public: the names the public documents leave out are really there to
    leave out (so an empty search in the public text means something)."""
    assessment_id = world["decided_named"]
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    public = {kind: client.get(f"/public/assessments/{assessment_id}.{kind}") for kind in ("pdf", "docx")}
    login_as("reviewer", department="SOF")
    if language == "en":
        client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    for kind, response in public.items():
        assert response.status_code == 200, kind
        internal = client.get(f"/reports/assessments/{assessment_id}.{kind}")
        assert internal.status_code == 200, kind
        inside, outside = (document_text(f"x.{kind}", r.get_data()) for r in (internal, response))
        assert all(name in inside for name in NAMES), (kind, inside)
        assert not [name for name in NAMES if name in outside], kind
        responsible = "Vem är ansvarig" if language == "sv" else "Who is responsible"
        assert responsible in inside and responsible not in outside


def test_search_and_filters(app, client, world):
    def titles(query: str) -> set[str]:
        html = client.get("/public/" + query).get_data(as_text=True)
        return set(re.findall(r'<a href="/public/assessments/\d+">([^<]+)</a>', html))

    everything = titles("")
    assert "Namngiven approved" in everything and "Namngiven decided" in everything
    assert titles("?q=namngiven") == {"Namngiven approved", "Namngiven decided"}
    assert titles("?q=%25") == set()  # a wildcard is searched for as itself
    fff, sof = titles("?department=FFF"), titles("?department=SOF")
    assert fff and "Namngiven decided" in sof and not sof & fff and fff | sof == everything
    year = datetime.now(UTC).year
    assert titles(f"?year={year}") == everything
    assert titles(f"?year={year}&q=namngiven") == {"Namngiven approved", "Namngiven decided"}
    with app.app_context():
        committee = db.session.get(Assessment, world["decided_named"]).committee_decision.committee
    assert "Namngiven decided" in titles(f"?committee={committee}")
    # An unknown value is ignored rather than refused.
    assert titles("?department=NOPE&year=1900") == everything


def test_public_pages_have_the_security_headers_and_a_language_switch(client, world):
    response = client.get("/public/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert 'action="/language/en"' in html and 'lang="en">English</button>' in html


def test_reviewer_keeps_an_assessment_unpublished_and_releases_it(app, client, world, login_as):
    reviewer = login_as("reviewer", department="SOF")
    assessment_id = world["approved_named"]
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert 'id="publication"' in page and f'href="/public/assessments/{assessment_id}"' in page
    token = csrf_token(client, f"/assessments/{assessment_id}")
    refused = client.post(f"/public/assessments/{assessment_id}/keep-unpublished", data={"csrf_token": token})
    assert refused.status_code == 302
    assert client.get(f"/public/assessments/{assessment_id}").status_code == 200, "still published without a reason"
    response = client.post(
        f"/public/assessments/{assessment_id}/keep-unpublished", data={"csrf_token": token, "reason": SECRECY}
    )
    assert response.status_code == 302
    assert client.get(f"/public/assessments/{assessment_id}").status_code == 404
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert SECRECY in page and reviewer.name in page
    client.post(f"/public/assessments/{assessment_id}/release", data={"csrf_token": token})
    assert client.get(f"/public/assessments/{assessment_id}").status_code == 200
    with app.app_context():
        events = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.changes, AuditEvent.actor_id)
            .where(AuditEvent.assessment_id == assessment_id, AuditEvent.action.like("public_register.%"))
            .order_by(AuditEvent.id)
        ).all()
    assert [(action, actor) for action, _changes, actor in events] == [
        ("public_register.keep_unpublished", reviewer.id),
        ("public_register.release", reviewer.id),
    ]
    assert events[0][1] == {"unpublished_reason": {"before": None, "after": SECRECY}}


@pytest.mark.parametrize("role", ["case_officer", "auditor"])
def test_only_reviewers_and_admins_keep_assessments_unpublished(app, client, world, login_as, role):
    login_as(role, department="SOF")
    assessment_id = world["approved_named"]
    assert 'id="publication"' not in client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    token = csrf_token(client, "/")
    response = client.post(
        f"/public/assessments/{assessment_id}/keep-unpublished", data={"csrf_token": token, "reason": SECRECY}
    )
    assert response.status_code == 403
    assert client.get(f"/public/assessments/{assessment_id}").status_code == 200


def test_a_reviewer_of_another_department_may_not(client, world, login_as):
    login_as("reviewer", department="FFF")
    token = csrf_token(client, "/")
    response = client.post(f"/public/assessments/{world['approved_named']}/release", data={"csrf_token": token})
    assert response.status_code == 403


def test_admin_opens_and_closes_the_register_and_the_trail_says_so(app, client, seeded, login_as):
    admin = login_as("admin", department="KS")
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="public_register"' in page and "checked" not in page.split('name="public_register"')[1][:40]
    form = {
        "csrf_token": csrf_token(client, "/admin/settings"),
        "municipality_name": "Borås Stad",
        "case_number_pattern": r"^\d{4}-\d{5}$",
        "case_number_example": "2026-00123",
        "follow_up_reminder_days": "14",
    }
    assert client.post("/admin/settings", data={**form, "public_register": "y"}).status_code == 302
    assert client.get("/public/").status_code == 200
    assert client.post("/admin/settings", data=form).status_code == 302
    assert client.get("/public/").status_code == 404
    with app.app_context():
        events = db.session.execute(
            sa.select(AuditEvent.action, AuditEvent.changes, AuditEvent.actor_id)
            .where(AuditEvent.action.like("public_register.%"))
            .order_by(AuditEvent.id)
        ).all()
    assert events == [
        ("public_register.open", {"public_register": {"before": False, "after": True}}, admin.id),
        ("public_register.close", {"public_register": {"before": True, "after": False}}, admin.id),
    ]


def test_approval_and_archiving_are_recorded_as_publication_while_open(app, world, login_as):
    from impact.review import operations as review

    with app.app_context():
        reviewer = db.session.get(User, db.session.scalar(sa.select(User.id).where(User.name == "Greta Granskarsson")))
        submitted = db.session.get(Assessment, world["submitted_named"])
        review.approve(submitted, reviewer)
        review.archive(db.session.get(Assessment, world["approved_named"]), reviewer)
        held = db.session.get(Assessment, world["held"])
        review.archive(held, factories.create_user(roles=("admin",), department="KS"))
        db.session.commit()
        actions = db.session.execute(
            sa.select(AuditEvent.assessment_id, AuditEvent.action)
            .where(AuditEvent.action.in_(["public_register.published", "public_register.removed"]))
            .order_by(AuditEvent.id)
        ).all()
    assert actions == [
        (world["submitted_named"], "public_register.published"),
        (world["approved_named"], "public_register.removed"),
    ]


def test_the_internal_page_still_names_authors_and_comments(app, client, world, login_as):
    login_as("reviewer", department="SOF")
    page = client.get(f"/assessments/{world['decided_named']}").get_data(as_text=True)
    assert "Karin Författarsson" in page and "Olle Ägarsson" in page


def test_the_public_page_links_only_the_public_documents(client, world):
    assessment_id = world["approved_named"]
    page = client.get(f"/public/assessments/{assessment_id}").get_data(as_text=True)
    assert f'href="/public/assessments/{assessment_id}.pdf"' in page
    assert f'href="/public/assessments/{assessment_id}.docx"' in page
    internal = page.replace("/public/assessments/", "")
    assert "/reports/" not in internal and "/assessments/" not in internal


def test_holding_needs_a_reason_and_is_a_database_rule(app, world):
    with app.app_context():
        reviewer_id = db.session.scalar(sa.select(User.id).where(User.name == "Greta Granskarsson"))
        db.session.add(PublicationHold(assessment_id=world["decided_named"], reason="", held_by_id=reviewer_id))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.flush()
        db.session.rollback()


def test_dates_on_the_public_list_are_local(app, client, world):
    with app.app_context():
        assessment = db.session.get(Assessment, world["approved_named"])
        assessment.decided_at = datetime(2026, 7, 14, 22, 30, tzinfo=UTC)  # 2026-07-15 in Stockholm
        db.session.commit()
    html = client.get("/public/?q=namngiven+approved").get_data(as_text=True)
    assert "2026-07-15" in html and date(2026, 7, 14).isoformat() not in html


def test_a_new_version_of_an_unpublished_assessment_stays_unpublished(app, client, world):
    from impact.assessments import lifecycle
    from impact.review import operations as review

    with app.app_context():
        held = db.session.get(Assessment, world["held"])
        officer = factories.create_user(roles=("case_officer",), department="FFF")
        copy = review.amend(held, officer)
        copy.submitted_at = held.submitted_at
        lifecycle.move(copy, "submit", officer)
        review.approve(copy, factories.create_user(roles=("reviewer",), department="FFF"))
        db.session.commit()
        copy_id = copy.id
        hold = db.session.get(PublicationHold, copy_id)
        assert hold is not None and hold.reason == SECRECY
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(
                AuditEvent.assessment_id == copy_id, AuditEvent.action.like("public_register.%")
            )
        ).all()
    assert actions == ["public_register.keep_unpublished"]
    assert client.get(f"/public/assessments/{copy_id}").status_code == 404
    assert client.get(f"/public/assessments/{world['held']}").status_code == 404
