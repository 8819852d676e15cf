"""Every transition through the HTTP layer, parametrized over role × state: allowed ones change the state and
write one audit event; refused ones change nothing and record nothing."""

import pytest
import sqlalchemy as sa

from impact.assessments.models import Assessment
from impact.audit.models import AuditEvent
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token

STATES = ["draft", "submitted", "returned", "approved", "withdrawn", "archived"]
# (transition, the state it moves from, the state it leads to, the role that may do it)
TRANSITIONS = {
    "withdraw": ({"draft", "returned"}, "withdrawn", "case_officer"),
    "reopen": ({"returned"}, "draft", "case_officer"),
    "archive": ({"approved"}, "archived", "reviewer"),
    "amend": ({"approved"}, "approved", "case_officer"),
}
ROLES = ["case_officer", "reviewer", "auditor", "admin"]


def _events():
    """Events about assessments (logging in is recorded too, and is not what these tests count)."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action.not_like("user.%"))
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("transition", list(TRANSITIONS))
def test_transition_by_role_and_state(app, client, login_as, transition, role, state):
    user = login_as(role)
    with app.app_context():
        assessment = factories.create_assessment(status=state)
        db.session.commit()
        assessment_id = assessment.id
    token = csrf_token(client, "/")
    response = client.post(f"/review/{assessment_id}/{transition}", data={"csrf_token": token})
    sources, target, allowed_role = TRANSITIONS[transition]
    allowed = state in sources and (role == allowed_role or (transition == "archive" and role == "admin"))
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        events = _events()
        if allowed:
            assert response.status_code == 302
            assert assessment.status.value == target
            actions = db.session.scalars(
                sa.select(AuditEvent.action).where(AuditEvent.actor_id == user.id, AuditEvent.action.not_like("user.%"))
            ).all()
            assert actions and all(action.startswith("assessment.") for action in actions)
            if transition == "amend":
                copy = db.session.scalar(sa.select(Assessment).where(Assessment.amends_id == assessment_id))
                assert copy.status.value == "draft" and copy.version_number == 2
        else:
            assert response.status_code in (303, 403, 404)
            assert assessment.status.value == state
            assert events == 0


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("decision", ["approve", "return"])
def test_decision_only_on_submitted(app, client, login_as, state, decision):
    login_as("reviewer")
    with app.app_context():
        assessment = factories.create_assessment(status=state)
        db.session.commit()
        assessment_id, lock = assessment.id, assessment.lock_version
    data = {"csrf_token": csrf_token(client, "/"), "decision": decision, "comment": "Ändra", "lock_version": lock}
    response = client.post(f"/review/{assessment_id}", data=data)
    expected = {"approve": "approved", "return": "returned"}[decision]
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        if state == "submitted":
            assert response.status_code == 302
            assert assessment.status.value == expected
        else:
            assert response.status_code in (303, 404)
            assert assessment.status.value == state
            assert _events() == 0


@pytest.mark.parametrize("role", ["case_officer", "auditor", "admin"])
def test_only_reviewers_decide(app, client, login_as, role):
    login_as(role)
    with app.app_context():
        assessment = factories.create_assessment(status="submitted")
        db.session.commit()
        assessment_id = assessment.id
    data = {"csrf_token": csrf_token(client, "/"), "decision": "approve", "lock_version": 1}
    assert client.post(f"/review/{assessment_id}", data=data).status_code == 403
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "submitted"


def test_reviewer_of_another_department_cannot_decide(app, client, login_as):
    login_as("reviewer", department="GSF")
    with app.app_context():
        assessment = factories.create_assessment(status="submitted", department="FFF")
        db.session.commit()
        assessment_id = assessment.id
    data = {"csrf_token": csrf_token(client, "/"), "decision": "approve", "lock_version": 1}
    assert client.post(f"/review/{assessment_id}", data=data).status_code == 404


def test_municipality_wide_reviewer_decides_any_department(app, client, login_as):
    login_as("reviewer", department="SLK", municipality_wide=True)
    with app.app_context():
        assessment = factories.create_assessment(status="submitted", department="FFF")
        db.session.commit()
        assessment_id, lock = assessment.id, assessment.lock_version
    data = {"csrf_token": csrf_token(client, "/"), "decision": "approve", "lock_version": lock}
    assert client.post(f"/review/{assessment_id}", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "approved"


def test_transition_without_csrf_is_refused(app, client, login_as):
    user = login_as("case_officer")
    with app.app_context():
        assessment = factories.create_assessment(author=db.session.get(factories.User, user.id))
        db.session.commit()
        assessment_id = assessment.id
    assert client.post(f"/review/{assessment_id}/withdraw").status_code == 400
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status.value == "draft"


def test_get_never_changes_state(app, client, login_as):
    login_as("case_officer")
    with app.app_context():
        assessment = factories.create_assessment()
        db.session.commit()
        assessment_id = assessment.id
    assert client.get(f"/review/{assessment_id}/withdraw").status_code == 405
