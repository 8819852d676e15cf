"""The review page: four eyes, comments per ground and section, double and racing decisions, notifications."""

import pytest
import sqlalchemy as sa
from flask import render_template_string

from impact.assessments import lifecycle
from impact.assessments.models import Assessment
from impact.audit.models import AuditEvent
from impact.auth.sessions import start_session
from impact.core.db import db
from impact.notifications.models import Notification
from impact.notifications.sending import captured_mail
from impact.review import operations
from impact.review.models import ReviewComment, Section
from tests import factories
from tests.conftest import csrf_token

# These tests read English messages; the Swedish ones are checked by the catalogue test.
pytestmark = pytest.mark.usefixtures("english")


def _submitted(app, **kwargs) -> tuple[int, int]:
    with app.app_context():
        assessment = factories.create_assessment(status="submitted", answers={"age": "negative"}, **kwargs)
        db.session.commit()
        return assessment.id, assessment.lock_version


def _decide(client, assessment_id, lock, **data):
    data = {"csrf_token": csrf_token(client, "/"), "lock_version": lock, **data}
    return client.post(f"/review/{assessment_id}", data=data)


def test_review_page_has_a_comment_box_per_ground_and_section(app, client, login_as):
    login_as("reviewer")
    assessment_id, _ = _submitted(app)
    page = client.get(f"/review/{assessment_id}").get_data(as_text=True)
    for name in ("section_proposal", "section_screening", "section_conclusion", "ground_age", "ground_gender"):
        assert f'name="{name}"' in page
    assert 'name="decision"' in page


def test_four_eyes_author_sees_no_form_and_is_refused(app, client, login_as):
    user = login_as("case_officer", "reviewer")
    with app.app_context():
        author = db.session.get(factories.User, user.id)
        assessment = factories.create_assessment(status="submitted", author=author)
        db.session.commit()
        assessment_id, lock = assessment.id, assessment.lock_version
    page = client.get(f"/review/{assessment_id}").get_data(as_text=True)
    assert 'name="decision"' not in page
    assert "wrote or co-wrote" in page
    response = _decide(client, assessment_id, lock, decision="approve")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "submitted"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewComment)) == 0


def test_co_author_cannot_review(app, client, login_as):
    user = login_as("reviewer")
    with app.app_context():
        assessment = factories.create_assessment(status="submitted")
        assessment.authors.append(db.session.get(factories.User, user.id))
        db.session.commit()
        assessment_id, lock = assessment.id, assessment.lock_version
    _decide(client, assessment_id, lock, decision="approve")
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "submitted"


def test_return_requires_a_comment_and_keeps_what_was_typed(app, client, login_as):
    login_as("reviewer")
    assessment_id, lock = _submitted(app)
    response = _decide(client, assessment_id, lock, decision="return", ground_age="Underlaget saknas")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Underlaget saknas" in page
    assert 'href="#comment"' in page
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "submitted"


def test_return_with_comments_notifies_authors_and_shows_comments_to_them(app, client, login_as):
    reviewer = login_as("reviewer")
    assessment_id, lock = _submitted(app)
    response = _decide(
        client,
        assessment_id,
        lock,
        decision="return",
        comment="Komplettera konsekvenserna för äldre.",
        ground_age="Vilka äldre berörs?",
        section_proposal="Ange diarienumret rätt.",
    )
    assert response.status_code == 302
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.status.value == "returned"
        comments = db.session.scalars(sa.select(ReviewComment).order_by(ReviewComment.id)).all()
        assert {(c.section, c.ground.key if c.ground else None) for c in comments} == {
            (Section.overall, None),
            (Section.proposal, None),
            (None, "age"),
        }
        assert all(c.round == 1 and c.author_id == reviewer.id for c in comments)
        actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.assessment_id == assessment_id))
        assert sorted(actions) == ["assessment.return_for_changes", *["review.comment"] * 3]
        author = assessment.authors[0]
        notes = db.session.scalars(sa.select(Notification).where(Notification.user_id == author.id)).all()
        assert [n.kind.value for n in notes] == ["returned"]
        mails = captured_mail(app)
        assert [m["To"] for m in mails] == [author.email]
        ground = next(a.ground for a in assessment.answers if a.ground.key == "age")
        with app.test_request_context(headers={"Accept-Language": "en"}):
            start_session(author)
            shown = render_template_string(
                '{% include "review/_ground_comments.html" %}', assessment=assessment, ground=ground
            )
            panel = render_template_string('{% include "review/_assessment_panel.html" %}', assessment=assessment)
        assert "Vilka äldre berörs?" in shown and "Ange diarienumret" not in shown
        assert "Komplettera konsekvenserna för äldre." in panel


def test_approve_notifies_authors_and_mails_are_captured_not_sent(app, client, login_as, monkeypatch):
    import smtplib

    monkeypatch.setattr(smtplib, "SMTP", lambda *a, **k: (_ for _ in ()).throw(AssertionError("SMTP used")))
    login_as("reviewer")
    assessment_id, lock = _submitted(app)
    assert _decide(client, assessment_id, lock, decision="approve").status_code == 302
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.status.value == "approved" and assessment.decided_at is not None
        assert [m["To"] for m in captured_mail(app)] == [assessment.authors[0].email]
        assert assessment.title in captured_mail(app)[0].get_content()


def test_double_submitted_approve_is_refused_and_records_once(app, client, login_as):
    login_as("reviewer")
    assessment_id, lock = _submitted(app)
    assert _decide(client, assessment_id, lock, decision="approve").status_code == 302
    second = _decide(client, assessment_id, lock, decision="approve")
    assert second.status_code == 303
    page = client.get(second.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "already decided" in page
    with app.app_context():
        approvals = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "assessment.approve")
        )
        assert approvals == 1


def test_second_reviewer_with_a_stale_page_sees_who_decided(app, client, login_as):
    assessment_id, lock = _submitted(app)
    with app.app_context():
        first = factories.create_user(roles=("reviewer",), name="Första Granskare")
        operations.return_for_changes(db.session.get(Assessment, assessment_id), first, "Ändra")
        db.session.commit()
    login_as("reviewer")
    response = _decide(client, assessment_id, lock, decision="approve")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Första Granskare" in page
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "returned"


def test_two_reviewers_racing_exactly_one_decision_wins(app, client, login_as, monkeypatch):
    """The other reviewer commits between our read and our write: optimistic locking refuses ours."""
    assessment_id, lock = _submitted(app)
    with app.app_context():
        rival_id = factories.create_user(roles=("reviewer",), name="Snabb Granskare").id
        db.session.commit()
    login_as("reviewer")
    real_approve = operations.approve

    def approve_after_rival(assessment, actor, *args, **kwargs):
        # The rival's request runs in its own connection and commits first.
        with db.engine.connect() as connection:
            connection.execute(
                sa.update(Assessment)
                .where(Assessment.id == assessment_id)
                .values(
                    status="approved",
                    decided_by_id=rival_id,
                    decided_at=assessment.submitted_at,
                    lock_version=Assessment.lock_version + 1,
                )
            )
            connection.commit()
        return real_approve(assessment, actor, *args, **kwargs)

    monkeypatch.setattr(operations, "approve", approve_after_rival)
    response = _decide(client, assessment_id, lock, decision="approve")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Snabb Granskare" in page
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.decided_by_id == rival_id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReviewComment)) == 0
        assert (
            db.session.scalar(
                sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "assessment.approve")
            )
            == 0
        )


def test_submit_notifies_reviewers_in_remit_but_not_authors(app_ctx):
    officer = factories.create_user(roles=("case_officer", "reviewer"))
    local = factories.create_user(roles=("reviewer",))
    wide = factories.create_user(roles=("reviewer",), department="SLK", municipality_wide=True)
    factories.create_user(roles=("reviewer",), department="GSF")
    assessment = factories.create_assessment(author=officer)
    lifecycle.submit(assessment, officer)
    db.session.commit()
    told = set(db.session.scalars(sa.select(Notification.user_id).where(Notification.kind == "submitted")))
    assert told == {local.id, wide.id}


def test_reviewer_queue_lists_only_what_they_may_decide_oldest_first(app, client, login_as):
    from datetime import timedelta

    reviewer = login_as("reviewer")
    with app.app_context():
        me = db.session.get(factories.User, reviewer.id)
        newer = factories.create_assessment(status="submitted", title="Nyare förslag")
        older = factories.create_assessment(status="submitted", title="Äldre förslag")
        older.submitted_at = newer.submitted_at - timedelta(days=3)
        factories.create_assessment(status="submitted", title="Eget förslag", author=me)
        factories.create_assessment(status="submitted", title="Annan förvaltning", department="GSF")
        factories.create_assessment(status="draft", title="Ett utkast")
        db.session.commit()
    page = client.get("/review/").get_data(as_text=True)
    assert page.index("Äldre förslag") < page.index("Nyare förslag")
    for hidden in ("Eget förslag", "Annan förvaltning", "Ett utkast"):
        assert hidden not in page
    filtered = client.get("/review/?q=nyare").get_data(as_text=True)
    assert "Nyare förslag" in filtered and "Äldre förslag" not in filtered


def test_queue_is_for_reviewers_only(client, login_as):
    login_as("case_officer")
    assert client.get("/review/").status_code == 403


def test_returned_assessment_is_changed_in_one_click_and_its_task_list_shows_comments_and_impacts(
    app, client, login_as
):
    officer = login_as("case_officer")
    with app.app_context():
        reviewer = factories.create_user(roles=("reviewer",), name="Rut Granskare")
        assessment = factories.create_assessment(
            status="returned",
            author=db.session.get(factories.User, officer.id),
            answers={"age": "negative", "gender": "not_relevant", "disability": "neutral"},
        )
        ground = next(a.ground for a in assessment.answers if a.ground.key == "age")
        factories.create_review_comment(assessment, reviewer, body="Komplettera om äldre.", ground=ground)
        factories.create_review_comment(assessment, reviewer, body="Ange fler kommundelar.", section=Section.proposal)
        factories.create_review_comment(assessment, reviewer, body="Se kommentarerna.")
        db.session.commit()
        assessment_id = assessment.id
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    reopen = f'action="/review/{assessment_id}/reopen"'
    assert page.count(reopen) == 1 and "Continue editing" not in page
    assert page.index(reopen) < page.index("review-panel")
    response = client.post(f"/review/{assessment_id}/reopen", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302 and response.location.endswith(f"/assessments/{assessment_id}/tasks")
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "draft"
    tasks = client.get(response.location).get_data(as_text=True)
    assert "Se kommentarerna." in tasks
    items = {
        item.split('class="task-list__name"')[1].split(">")[1].split("<")[0]: item
        for item in tasks.split('<li class="task-list__item">')[1:]
    }
    assert "1 reviewer comment" in items["Age"] and "Negative" in items["Age"]
    assert "1 reviewer comment" in items["The proposal"]
    assert "reviewer comment" not in items["Screening"] and "reviewer comment" not in items["Gender"]
    assert "Not relevant" in items["Gender"] and "Neutral" in items["Disability"]


def test_review_page_puts_each_comment_box_after_its_part_and_the_decision_one_link_from_the_top(app, client, login_as):
    login_as("reviewer")
    assessment_id, _ = _submitted(app)
    page = client.get(f"/review/{assessment_id}").get_data(as_text=True)
    at = page.index
    # Each box follows the part it comments on, before the next part begins.
    assert at('id="proposal"') < at('name="section_proposal"') < at('id="screening"')
    assert at('id="screening"') < at('name="section_screening"') < at('id="profile"')
    assert at('id="ground-age"') < at('name="ground_age"') < at('id="ground-sexual_orientation"')
    assert at('id="conclusion"') < at('name="section_conclusion"') < at('name="decision"')
    # The decision is linked from the summary at the top and comes before the folded history.
    assert at('href="#decide"') < at('id="proposal"') < at('id="decide"') < at('name="decision"')
    assert page.count('id="decide"') == 1
    assert at('name="decision"') < at('<details class="review-history" id="history">')
    assert page.count(f'action="/review/{assessment_id}"') == 1 and page.count('<details class="review-history"') == 1
    form = page[at(f'action="/review/{assessment_id}"') : at("</form>", at('name="decision"'))]
    assert form.count('name="csrf_token"') == 1 and 'name="ground_age"' in form


def test_review_page_without_the_decision_still_folds_the_history_once(app, client, login_as):
    user = login_as("case_officer", "reviewer")
    with app.app_context():
        assessment = factories.create_assessment(status="submitted", author=db.session.get(factories.User, user.id))
        db.session.commit()
        assessment_id = assessment.id
    page = client.get(f"/review/{assessment_id}").get_data(as_text=True)
    assert 'name="decision"' not in page and 'href="#decide"' not in page
    assert page.count('id="history"') == 1 and page.count('<details class="review-history"') == 1
