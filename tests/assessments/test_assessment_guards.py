"""What the form refuses and protects: conflicts, bad input, escaping, permissions, expired sessions."""

import re

import pytest
import sqlalchemy as sa

from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.core.db import db
from tests import factories
from tests.assessment_helpers import LOCK_INPUT, PROPOSAL, neutral_ground, own_draft, post_page
from tests.conftest import CSRF_INPUT


def test_second_save_of_same_ground_is_refused_and_both_versions_shown(app, client, login_as):
    user = login_as("case_officer")
    base = f"/assessments/{own_draft(app, user)}/grounds/gender"
    stale_page = client.get(base).get_data(as_text=True)
    # Someone else saves the ground first.
    post_page(client, base, {**neutral_ground(), "affected_groups": "Deras text"})
    response = client.post(
        base,
        data={
            "csrf_token": CSRF_INPUT.search(stale_page).group(1),
            "lock_version": LOCK_INPUT.search(stale_page).group(1),
            "action": "continue",
            **neutral_ground(),
            "affected_groups": "Min text",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Någon annan har sparat den här delen" in page
    assert "Deras text" in page and "Min text" in page
    with app.app_context():
        assert db.session.scalar(sa.select(GroundAnswer.affected_groups)) == "Deras text"
    # Saving again from the conflict page is a deliberate choice and goes through.
    lock = LOCK_INPUT.search(page).group(1)
    response = client.post(
        base,
        data={
            "csrf_token": CSRF_INPUT.search(page).group(1),
            "lock_version": lock,
            **neutral_ground(),
            "action": "later",
        },
    )
    assert response.status_code == 302


def test_stale_proposal_save_is_refused(app, client, login_as):
    user = login_as("case_officer")
    path = f"/assessments/{own_draft(app, user)}/proposal"
    stale = client.get(path).get_data(as_text=True)
    post_page(client, path, {**PROPOSAL, "title": "Först sparad"})
    data = {**PROPOSAL, "title": "Senare", "csrf_token": CSRF_INPUT.search(stale).group(1)}
    data["lock_version"] = LOCK_INPUT.search(stale).group(1)
    response = client.post(path, data=data)
    assert response.status_code == 200 and "Först sparad" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(Assessment.title)) == "Först sparad"


@pytest.mark.parametrize(
    "path, data, message",
    [
        ("proposal", {**PROPOSAL, "description": "x" * 1_000_000}, "Skriv högst 20000 tecken."),
        ("proposal", {**PROPOSAL, "decision_date": "15/12/2026"}, "Ange ett giltigt datum"),
        ("proposal", {**PROPOSAL, "case_number": "abc"}, "Ange diarienumret i den form"),
        ("grounds/age", {**neutral_ground(), "impact": "catastrophic"}, "Välj ett av alternativen."),
        ("grounds/age", {**neutral_ground(), "relevant": "maybe"}, "Välj ett av alternativen."),
        ("screening", {"affects_people": "True"}, "Välj ett av alternativen."),
        ("actions", {"actions-0-description": "Åtgärd", "actions-0-due_date": "tomorrow"}, "Ange ett giltigt datum"),
        ("actions", {"actions-0-owner_id": "999999"}, "Välj ett av alternativen."),
        ("actions", {"actions-0-grounds": "999999"}, "Välj bland alternativen som visas."),
        ("grounds/age", {**neutral_ground(), "evidence_links": "javascript:alert(1)"}, "webbadress per rad"),
        ("conclusion", {"follow_up_date": "2027-13-45"}, "Ange ett giltigt datum"),
        # A date Python accepts but no plan has: exports could not write it (Excel's dates start in 1900).
        ("actions", {"actions-0-description": "Åtgärd", "actions-0-due_date": "0001-01-01"}, "Ange ett giltigt"),
        ("proposal", {**PROPOSAL, "decision_date": "0001-01-01"}, "Ange ett giltigt datum"),
        ("conclusion", {"follow_up_date": "9999-12-31"}, "Ange ett giltigt datum"),
    ],
)
def test_bad_input_gets_a_field_error_and_nothing_is_saved(app, client, login_as, path, data, message):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user)
    response = post_page(client, f"/assessments/{assessment_id}/{path}", data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "error-summary" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(GroundAnswer.id))) == 0


@pytest.mark.parametrize("path", ["grounds/no_such_ground", "grounds/..%2Fproposal"])
def test_unknown_ground_key_is_404(app, client, login_as, path):
    user = login_as("case_officer")
    assert client.get(f"/assessments/{own_draft(app, user)}/{path}").status_code == 404


def test_html_typed_into_fields_is_shown_as_text(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user)
    post_page(client, f"/assessments/{assessment_id}/proposal", {**PROPOSAL, "title": "<script>alert(1)</script>"})
    post_page(client, f"/assessments/{assessment_id}/grounds/age", {**neutral_ground(), "evidence": "<b>fet</b>"})
    for path in ("", "/tasks", "/check", "/grounds/age"):
        page = client.get(f"/assessments/{assessment_id}{path}").get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page and "<b>fet</b>" not in page
        assert "&lt;script&gt;" in page or "&lt;b&gt;fet" in page


@pytest.mark.parametrize("status", ["submitted", "approved", "archived", "withdrawn"])
def test_only_drafts_and_returned_are_editable(app, client, login_as, status):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user, status=status)
    for path in ("proposal", "screening", "tasks", "grounds/age", "conclusion", "check"):
        assert client.get(f"/assessments/{assessment_id}/{path}").status_code == 403


@pytest.mark.parametrize("roles", [("reviewer",), ("auditor",), ("admin",)])
def test_reviewers_auditors_and_admins_cannot_edit(app, client, login_as, roles):
    login_as(*roles)
    with app.app_context():
        assessment_id = factories.create_assessment(department="FFF").id
        db.session.commit()
    assert client.get(f"/assessments/{assessment_id}").status_code == 200
    for path in ("proposal", "grounds/age", "check"):
        assert client.get(f"/assessments/{assessment_id}/{path}").status_code == 403
    assert client.get("/assessments/new").status_code == 403


def test_another_departments_assessment_is_404_for_every_page(app, client, login_as):
    login_as("case_officer", department="GSF")
    with app.app_context():
        assessment_id = factories.create_assessment(department="FFF").id
        db.session.commit()
    for path in ("", "/proposal", "/tasks", "/grounds/age", "/conclusion", "/check", "/authors"):
        assert client.get(f"/assessments/{assessment_id}{path}").status_code == 404
    assert post_page(client, "/assessments/new", PROPOSAL).status_code == 302
    response = client.post(f"/assessments/{assessment_id}/grounds/age", data=neutral_ground())
    assert response.status_code in (302, 404)  # CSRF stash redirect or 404, never a save
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(GroundAnswer.id))) == 0


def test_input_is_kept_when_the_session_expired(app, client, auth, login_as):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user)
    path = f"/assessments/{assessment_id}/grounds/age"
    page = client.get(path).get_data(as_text=True)
    lock = LOCK_INPUT.search(page).group(1)
    auth.logout()  # the session (and its CSRF token) is gone, as when it expires
    response = client.post(path, data={"csrf_token": "stale", "lock_version": lock, **neutral_ground()})
    assert response.status_code == 302 and response.location == path
    assert "/login" in client.get(path).location
    auth.login(user.email, next_url=path)
    page = client.get(path).get_data(as_text=True)
    assert "Alla besökare påverkas lika." in page
    assert "Vi har sparat det du skrev" in page
    # Used once: a reload shows the saved state again.
    assert "Alla besökare påverkas lika." not in client.get(path).get_data(as_text=True)


def test_co_authors_can_be_added_and_removed(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user)
    with app.app_context():
        colleague = factories.create_user(department="FFF", name="Kollega Karlsson")
        factories.create_user(department="GSF", name="Annan Förvaltning")
        db.session.commit()
        colleague_id = colleague.id
    page = client.get(f"/assessments/{assessment_id}/authors").get_data(as_text=True)
    assert "Kollega Karlsson" in page and "Annan Förvaltning" not in page
    response = post_page(client, f"/assessments/{assessment_id}/authors", {"user_id": str(colleague_id)})
    assert response.status_code == 302
    with app.app_context():
        assert colleague_id in [a.id for a in db.session.get(Assessment, assessment_id).authors]
    token = CSRF_INPUT.search(client.get(f"/assessments/{assessment_id}/authors").get_data(as_text=True)).group(1)
    client.post(f"/assessments/{assessment_id}/authors/{colleague_id}/remove", data={"csrf_token": token})
    with app.app_context():
        assert colleague_id not in [a.id for a in db.session.get(Assessment, assessment_id).authors]


def test_a_post_from_another_site_is_not_stashed(app, client, login_as):
    user = login_as("case_officer")
    path = f"/assessments/{own_draft(app, user)}/grounds/age"
    response = client.post(
        path, data={"csrf_token": "forged", **neutral_ground()}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 400
    assert "Alla besökare påverkas lika." not in client.get(path).get_data(as_text=True)


def test_the_database_refuses_an_update_that_missed_a_concurrent_save(app):
    """The lock version is also checked by the UPDATE itself (two requests passing the form check at once)."""
    from sqlalchemy.orm.exc import StaleDataError

    from impact.assessments import operations

    with app.app_context():
        assessment = factories.create_assessment()
        db.session.commit()
        seen = assessment.lock_version
        # Another request saves in between (straight SQL, so this session does not know).
        db.session.execute(
            sa.update(Assessment.__table__).where(Assessment.id == assessment.id).values(lock_version=seen + 1)
        )
        with pytest.raises(StaleDataError):
            operations.save_conclusion(assessment, assessment.created_by, {"overall_assessment": "Ny"}, seen)
        db.session.rollback()


ACTION_ID = re.compile(r'id="actions-0-id" name="actions-0-id" type="hidden" value="(\d*)"')


def _post_from(client, path: str, page: str, data: dict, action: str = "continue"):
    """POST ``data`` from an already rendered ``page`` (its CSRF token and lock version), as pressing save on it."""
    form = {"csrf_token": CSRF_INPUT.search(page).group(1), "lock_version": LOCK_INPUT.search(page).group(1)}
    return client.post(path, data={**form, "action": action, **data})


INCOMPLETE_THEN_COMPLETE = {
    "actions": (
        {
            "actions-0-description": "Öppna simhallen tidigare på lördagar",
            "actions-0-owner_id": "0",
            "actions-0-due_date": "2027-03-01",
        },
        {"actions-0-responsible": "Badchefen", "actions-0-grounds": "age", "remaining_age": "neutral"},
    ),
    "screening": ({"affects_people": "no"}, {"screening_reason": "Gäller bara interna rutiner."}),
    "conclusion": (
        {"overall_assessment": "Små effekter.", "analysis_outcome": "no_major_change"},
        {"recommendation": "Genomför förslaget."},
    ),
}


@pytest.mark.parametrize("path", INCOMPLETE_THEN_COMPLETE)
def test_completing_a_page_saved_with_gaps_is_not_an_edit_conflict(app, client, login_as, path):
    """The page shown after a draft save carries the new version: saving it again goes through."""
    user = login_as("case_officer")
    assessment_id = own_draft(app, user, answers={"age": "negative"})
    url = f"/assessments/{assessment_id}/{path}"
    incomplete, missing = INCOMPLETE_THEN_COMPLETE[path]
    response = post_page(client, url, incomplete)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "error-summary" in page  # saved as a draft, gaps shown
    data = {**incomplete, **missing}
    if path == "actions":
        with app.app_context():
            saved = db.session.scalars(sa.select(Mitigation.id)).all()
            data["actions-0-grounds"] = str(factories.ground_id("age"))
        assert ACTION_ID.search(page).group(1) == str(saved[0])  # the saved row, not a new one
        data["actions-0-id"] = str(saved[0])
    response = _post_from(client, url, page, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    if path == "actions":
        with app.app_context():
            rows = db.session.execute(sa.select(Mitigation.id, Mitigation.responsible)).all()
        assert rows == [(saved[0], "Badchefen")]


def test_a_first_save_racing_another_is_an_edit_conflict(app, client, login_as, monkeypatch):
    """Two first saves of one ground collide on its unique key; the later one is shown as a conflict."""
    from impact.assessments import operations

    user = login_as("case_officer")
    assessment_id = own_draft(app, user)
    path = f"/assessments/{assessment_id}/grounds/age"
    page = client.get(path).get_data(as_text=True)
    original = operations.save_ground

    def racing(assessment, ground, *args):
        # A colleague's first save commits between this request's version check and its INSERT.
        with db.engine.begin() as other:
            other.execute(
                sa.insert(GroundAnswer.__table__).values(
                    assessment_id=assessment.id, ground_id=ground.id, affected_groups="Deras text"
                )
            )
        return original(assessment, ground, *args)

    monkeypatch.setattr(operations, "save_ground", racing)
    response = _post_from(client, path, page, neutral_ground())
    assert response.status_code == 200
    assert "Någon annan har sparat den här delen" in response.get_data(as_text=True)


def test_a_save_the_database_refuses_is_not_called_an_edit_conflict(app, client, login_as, monkeypatch):
    """An integrity error without a newer saved version is a fault (the 500 page), never a conflict."""
    from sqlalchemy.exc import IntegrityError

    from impact.assessments import operations

    user = login_as("case_officer")
    path = f"/assessments/{own_draft(app, user)}/screening"
    page = client.get(path).get_data(as_text=True)

    def refused(*args, **kwargs):
        raise IntegrityError("UPDATE assessments ...", {}, Exception("CHECK constraint failed"))

    monkeypatch.setattr(operations, "save_screening", refused)
    with pytest.raises(IntegrityError):
        _post_from(client, path, page, {"affects_people": "yes", "concerns_children": "no"})


def test_an_empty_yes_or_no_is_no_answer_not_a_fault(app, client, login_as):
    """A yes/no question sent empty (as a tool or an old form may) is unanswered, not a server error."""
    user = login_as("case_officer")
    assessment_id = own_draft(app, user)
    response = post_page(
        client, f"/assessments/{assessment_id}/screening", {"affects_people": "yes", "concerns_children": ""}
    )
    assert response.status_code == 302  # this draft predates the question: unanswered is allowed
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.affects_people is True and not assessment.concerns_children
