"""The child-rights assessment (prövning av barnets bästa): asked at the screening, a step of its own when the
proposal concerns children, required to submit for assessments started with it, and carried to every page, the
diff, the API, the PDF, the register, a new version and the backup."""

import csv
import io

import sqlalchemy as sa

from impact.assessments import validation
from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
from impact.assessments.enums import ChildRightEffect, MinorityAnswer
from impact.assessments.models import Assessment, Involvement
from impact.core.db import db
from impact.review import operations as review_operations
from impact.review.versions import compare
from tests import factories
from tests.assessment_helpers import PROPOSAL, demo_assessments, post_page, return_with_section_comment


def _draft(app, user, **fields) -> int:
    with app.app_context():
        author = db.session.get(type(user), user.id)
        fields.setdefault("involvement", Involvement(required=True, minorities=[], national_minority=MinorityAnswer.no))
        fields.setdefault("child_rights", ChildRights(required=True, concerns_children=True))
        assessment = factories.create_assessment(
            author=author,
            department=author.department.code,
            answers=fields.pop("answers", {"age": "neutral"}),
            **fields,
        )
        db.session.commit()
        return assessment.id


def _saved(app, assessment_id: int) -> ChildRights:
    with app.app_context():
        record = db.session.get(Assessment, assessment_id).child_rights
        record.effects, record.districts  # noqa: B018  (loaded now)
        db.session.expunge_all()
        return record


STEP = {
    "children": "Barn 6–15 år, omkring 800.",
    "principles": ["3"],
    "other_articles": ["31"],
    "children_heard": "no",
    "not_heard_reason": "Beslutet är brådskande.",
    "knowledge": "Besöksstatistik 2025.",
    "conclusion": "Helgtider behålls för barn.",
    "feedback": "Via skolorna.",
}


# --- The rules (validation.py) ----------------------------------------------------------------------------------


def test_a_complete_child_rights_assessment_has_no_problems(app_ctx):
    assessment = factories.create_assessment(child_rights=factories.full_child_rights())
    assert validation.child_rights_problems(assessment) == {}


def test_an_empty_step_lists_every_missing_answer(app_ctx):
    assessment = factories.create_assessment(child_rights=ChildRights(required=True, concerns_children=True))
    assert set(validation.child_rights_problems(assessment)) == {
        "children",
        "principles",
        "children_heard",
        "knowledge",
        "conclusion",
        "feedback",
    }


def test_a_weakened_right_needs_reasons_and_compensating_measures(app_ctx):
    record = factories.full_child_rights(against_reasons="", compensating_measures="")
    assessment = factories.create_assessment(child_rights=record)
    assert set(validation.child_rights_problems(assessment)) == {"against_reasons", "compensating_measures"}
    record.effects[1].effect = ChildRightEffect.unaffected
    assert validation.child_rights_problems(assessment) == {}


def test_every_right_needs_its_effect_and_a_note(app_ctx):
    record = factories.full_child_rights()
    record.effects[0].effect = None
    assessment = factories.create_assessment(child_rights=record)
    assert set(validation.child_rights_problems(assessment)) == {"effects"}


def test_children_heard_need_how_and_what_they_said_and_not_heard_a_reason(app_ctx):
    record = factories.full_child_rights(heard_how="", children_views="")
    assessment = factories.create_assessment(child_rights=record)
    assert set(validation.child_rights_problems(assessment)) == {"heard_how", "children_views"}
    record.children_heard = False
    assert set(validation.child_rights_problems(assessment)) == {"not_heard_reason"}


def test_the_screening_asks_about_children_only_of_assessments_started_with_the_step(app_ctx):
    new = factories.create_assessment(child_rights=ChildRights(required=True))
    assert set(validation.screening_problems(new)) == {"concerns_children"}
    old = factories.create_assessment()
    assert validation.screening_problems(old) == {} and not old.asks_child_rights


def test_a_proposal_concerning_children_needs_a_reason_when_nobody_was_heard(app_ctx):
    neutral = factories.create_assessment(answers={"age": "neutral"})
    assert not validation.involvement_reason_required(neutral)
    children = factories.create_assessment(
        answers={"age": "neutral"}, child_rights=ChildRights(required=True, concerns_children=True)
    )
    assert validation.involvement_reason_required(children)
    children.child_rights.concerns_children = False
    assert not validation.involvement_reason_required(children)


def test_the_step_is_required_at_submit_only_when_asked_and_concerning_children(app_ctx):
    from flask import current_app

    asked = factories.create_assessment(child_rights=ChildRights(required=True, concerns_children=True))
    optional = factories.create_assessment(child_rights=ChildRights(required=False, concerns_children=True))
    not_children = factories.create_assessment(child_rights=ChildRights(required=True, concerns_children=False))
    with current_app.test_request_context():
        assert [p for p in validation.all_problems(asked) if "child-rights" in p.url]
        assert not [p for p in validation.all_problems(optional) if "child-rights" in p.url]
        assert not [p for p in validation.all_problems(not_children) if "child-rights" in p.url]


# --- The screening and the page -----------------------------------------------------------------------------------


def test_the_screening_answer_shows_the_step_on_the_task_list(app, client, login_as):
    login_as("case_officer")
    response = post_page(client, "/assessments/new", PROPOSAL)
    base = response.location.rsplit("/", 1)[0]
    page = post_page(client, f"{base}/screening", {"affects_people": "yes"}).get_data(as_text=True)
    assert "Ange om förslaget berör barn." in page
    post_page(client, f"{base}/screening", {"affects_people": "yes", "concerns_children": "yes"})
    tasks = client.get(f"{base}/tasks").get_data(as_text=True)
    assert "Prövning av barnets bästa" in tasks and f"{base}/child-rights" in tasks
    assert "7. Skicka för granskning" in tasks
    post_page(client, f"{base}/screening", {"affects_people": "yes", "concerns_children": "no"})
    tasks = client.get(f"{base}/tasks").get_data(as_text=True)
    assert f"{base}/child-rights" not in tasks and "6. Skicka för granskning" in tasks
    assert client.get(f"{base}/child-rights").status_code == 404


def test_choosing_rights_gives_one_row_each_and_saving_them_completes_the_step(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    with app.app_context():
        norrby = factories.ensure_district().id
        db.session.commit()
    base = f"/assessments/{assessment_id}/child-rights"
    response = post_page(client, base, {**STEP, "districts": [str(norrby)]}, "show_rights")
    assert response.status_code == 302 and response.location.endswith("#effects")
    page = client.get(base).get_data(as_text=True)
    assert 'name="effects-1-effect"' in page, page[page.find("effects") :][:3000]
    assert "Artikel 31: Lek, vila och fritid" in page
    rows = {
        "effects-0-article": "3",
        "effects-0-effect": "strengthened",
        "effects-0-short_term": "Bättre planering.",
        "effects-1-article": "31",
        "effects-1-effect": "weakened",
        "effects-1-long_term": "Färre simtider.",
    }
    page = post_page(client, base, {**STEP, **rows}).get_data(as_text=True)
    assert "En rättighet försvagas: beskriv de kompenserande åtgärderna." in page
    response = post_page(
        client, base, {**STEP, **rows, "against_reasons": "Kostnaderna.", "compensating_measures": "Skolsim."}
    )
    assert response.status_code == 302 and response.location.endswith("/tasks")
    saved = _saved(app, assessment_id)
    assert [(row.article, row.effect) for row in saved.effects] == [
        (3, ChildRightEffect.strengthened),
        (31, ChildRightEffect.weakened),
    ]
    assert saved.districts == [] and saved.not_heard_reason == "Beslutet är brådskande."
    check = client.get(f"/assessments/{assessment_id}/check").get_data(as_text=True)
    assert "Artikel 31: Lek, vila och fritid" in check and "Försvagas" in check and "Skolsim." in check


def test_a_refused_save_keeps_the_input_and_saves_nothing(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    base = f"/assessments/{assessment_id}/child-rights"
    response = post_page(client, base, {**STEP, "other_articles": ["99"]})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Det finns ett problem" in page and "Barn 6–15 år, omkring 800." in page
    assert _saved(app, assessment_id).children == ""


def test_a_stale_version_is_refused(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    base = f"/assessments/{assessment_id}/child-rights"
    response = post_page(client, base, {**STEP, "lock_version": "0"})
    assert response.status_code == 200 and "Någon annan har sparat" in response.get_data(as_text=True)
    assert _saved(app, assessment_id).children == ""


def test_the_page_refuses_a_post_without_csrf(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    response = client.post(f"/assessments/{assessment_id}/child-rights", data={**STEP, "action": "continue"})
    assert response.status_code in (302, 400)  # refused: back to the page with what was typed, nothing saved
    assert _saved(app, assessment_id).children == ""


# --- Everywhere else ------------------------------------------------------------------------------------------------


def _complete(app, user=None, status="approved", **fields) -> int:
    with app.app_context():
        assessment = factories.create_assessment(
            status=status,
            author=db.session.get(type(user), user.id) if user else None,
            child_rights=factories.full_child_rights(districts=[factories.ensure_district("Norrby")], **fields),
        )
        db.session.commit()
        return assessment.id


def test_the_api_carries_the_child_rights_assessment(app, client):
    from tests.api.test_api_v1 import assert_valid, make_token

    assessment_id = _complete(app)
    headers = {"Authorization": f"Bearer {make_token(app, 'auditor', municipality_wide=True)}"}
    response = client.get(f"/api/v1/assessments/{assessment_id}", headers=headers)
    assert_valid(response, "/assessments/{id}")
    child_rights = response.get_json()["child_rights"]
    assert child_rights["concerns_children"] is True and child_rights["districts"] == ["Norrby"]
    assert [(r["article"], r["effect"]) for r in child_rights["rights"]] == [(3, "strengthened"), (31, "weakened")]
    assert child_rights["compensating_measures"] == "Gratis skolsim på vardagar."
    listed = client.get("/api/v1/assessments?children=weakened", headers=headers).get_json()
    assert assessment_id in [a["id"] for a in listed["items"]]


def test_the_pdf_has_the_child_rights_section(app, client, login_as):
    from pypdf import PdfReader

    login_as("auditor", department="KSF", municipality_wide=True)
    assessment_id = _complete(app)
    response = client.get(f"/reports/assessments/{assessment_id}.pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Prövning av barnets bästa" in text and "Artikel 31: Lek, vila och fritid" in text
    assert "Gratis skolsim på vardagar." in text


def test_the_register_says_children_concerned_heard_and_rights_weakened(app, client, login_as):
    login_as("auditor", department="KSF", municipality_wide=True)
    assessment_id = _complete(app)
    text = client.get("/reports/register.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = [
        row
        for row in csv.DictReader(io.StringIO(text), delimiter=";")
        if row["Konsekvensanalys-id"] == str(assessment_id)
    ]
    assert rows and (rows[0]["Berör barn"], rows[0]["Barn hörda"]) == ("Ja", "Ja")
    assert rows[0]["Försvagade rättigheter för barnet"] == "1"


def test_the_list_filters_on_children_and_on_a_weakened_right(app, client, login_as):
    user = login_as("case_officer")
    weakened = _complete(app, user, status="draft")
    not_weakened = _complete(app, user, status="draft", effects=[ChildRightEffectRow(article=28)])
    other = _draft(app, user, child_rights=ChildRights(required=True, concerns_children=False))
    concerns = client.get("/assessments/?scope=mine&children=concerns").get_data(as_text=True)
    weak = client.get("/assessments/?scope=mine&children=weakened").get_data(as_text=True)
    assert f'/assessments/{weakened}"' in concerns and f'/assessments/{not_weakened}"' in concerns
    assert f'/assessments/{other}"' not in concerns
    assert f'/assessments/{weakened}"' in weak and f'/assessments/{not_weakened}"' not in weak


def test_a_new_version_copies_the_step_and_the_diff_shows_changes(app_ctx):
    assessment = factories.create_assessment(
        status="approved", child_rights=factories.full_child_rights(districts=[factories.ensure_district()])
    )
    db.session.commit()
    officer = factories.create_user(roles=("case_officer",), department="FFF")
    assessment.authors.append(officer)
    copy = review_operations.amend(assessment, officer)
    assert copy.asks_child_rights and copy.concerns_children
    assert [row.article for row in copy.child_rights.effects] == [3, 31]
    assert [d.name for d in copy.child_rights.districts] == ["Norrby"]
    copy.child_rights.effects[1].effect = ChildRightEffect.unaffected
    rows = {row.label: row for section in compare(assessment, copy) for row in section.rows}
    assert rows["Artikel 31: Lek, vila och fritid"].changed
    assert not rows["Vilka barn berör förslaget?"].changed


def test_the_history_names_the_step_and_its_fields(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    post_page(client, f"/assessments/{assessment_id}/child-rights", STEP, "later")
    with app.app_context():
        from impact.audit.models import AuditEvent

        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "assessment.update").order_by(AuditEvent.id.desc())
        ).first()
        assert event.changes["part"] == "child_rights"
        assert [row["article"] for row in event.changes["child_rights"]["after"]] == [3, 31]
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Prövning av barnets bästa" in page and "Berörda rättigheter för barnet" in page


def test_a_reviewer_comments_on_the_step_and_the_authors_see_it_there(app, client, login_as):
    login_as("reviewer")
    with app.app_context():
        author = factories.create_user(roles=("case_officer",), department="FFF")
        assessment = factories.create_assessment(
            status="submitted", author=author, child_rights=factories.full_child_rights()
        )
        db.session.commit()
        assessment_id, lock, email = assessment.id, assessment.lock_version, author.email
    page = client.get(f"/review/{assessment_id}").get_data(as_text=True)
    assert page.index('id="child-rights"') < page.index('name="section_child_rights"') < page.index('id="profile"')
    tasks = return_with_section_comment(client, assessment_id, lock, "child_rights", "Hör barnen i Norrby.", email)
    assert "1 kommentar från granskaren" in tasks
    assert "Hör barnen i Norrby." in client.get(f"/assessments/{assessment_id}/child-rights").get_data(as_text=True)


def test_the_demo_has_a_full_child_rights_assessment_and_one_where_children_were_not_heard(app_ctx):
    from flask import current_app

    assessments = demo_assessments()
    children = [a for a in assessments if a.concerns_children]
    assert any(a.child_rights.weakened and a.child_rights.compensating_measures for a in children)
    assert any(a.child_rights.children_heard is False and a.child_rights.not_heard_reason for a in children)
    with current_app.test_request_context():
        for assessment in assessments:
            if assessment.status.value != "draft":
                assert not [p for p in validation.all_problems(assessment) if "child-rights" in p.url]


def test_the_filter_on_children_costs_no_more_queries_however_many_assessments(app, client, login_as):
    from tests.databases import page_statements

    user = login_as("case_officer")
    counts = []
    for _round in range(2):
        for _index in range(3):
            _complete(app, user, status="draft")
        counts.append(
            [
                page_statements(app, client, f"/assessments/?scope=mine{query}")[0]
                for query in ("", "&children=weakened")
            ]
        )
    assert counts[0] == counts[1] and counts[0][0] == counts[0][1]


def test_the_involvement_page_asks_why_nobody_was_heard_when_the_proposal_concerns_children(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    page = post_page(client, f"/assessments/{assessment_id}/involvement", {"national_minority": "no"})
    text = page.get_data(as_text=True)
    assert "Ingen hördes, men förslaget berör barn" in text
    assert "Krävs eftersom förslaget berör barn" in text


def test_an_admin_writes_guidance_for_the_step_and_officers_see_it_in_their_language(app, client, login_as):
    from tests.conftest import AuthActions, csrf_token

    login_as("admin")
    form = {
        "csrf_token": csrf_token(client, "/admin/child-rights-guidance"),
        "guidance_sv": "Kontakta barnrättsstrategen.\r\n\r\nStatistik finns i Kolada.",
        "guidance_en": "",
    }
    response = client.post("/admin/child-rights-guidance", data=form)
    assert response.status_code == 302
    with app.app_context():
        from impact.audit.models import AuditEvent

        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "settings.update")).one()
        assert event.changes["child_rights_guidance_sv"]["after"].startswith("Kontakta barnrättsstrategen.")
    AuthActions(client).logout()
    user = login_as("case_officer")
    assessment_id = _draft(app, user)
    page = client.get(f"/assessments/{assessment_id}/child-rights").get_data(as_text=True)
    assert "Vägledning från din kommun" in page and "Statistik finns i Kolada." in page
