"""Follow-up of approved assessments: mitigations and outcomes edited without reopening, overdue lists."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from impact.assessments.models import Assessment, Mitigation
from impact.audit.models import AuditEvent
from impact.core.db import db
from tests import factories
from tests.conftest import csrf_token

pytestmark = pytest.mark.usefixtures("english")  # these pages are read in English

PAST = date.today() - timedelta(days=10)
FUTURE = date.today() + timedelta(days=10)


def _approved(app, author_id=None, department="FFF", **fields) -> tuple[int, int]:
    with app.app_context():
        author = db.session.get(factories.User, author_id) if author_id else None
        assessment = factories.create_assessment(
            status="approved",
            author=author,
            department=department,
            answers={
                "age": {
                    "impact": "negative",
                    "mitigations": [{"description": "Sent åtgärd", "responsible": "Chef", "due_date": PAST}],
                }
            },
            **fields,
        )
        db.session.commit()
        return assessment.id, assessment.answers[0].mitigations[0].id


def _versions(client, assessment_id: int) -> str:
    """The answers' versions the follow-up page carries, as a browser sends them back."""
    page = client.get(f"/review/{assessment_id}/follow-up").get_data(as_text=True)
    match = re.search(r'name="versions" type="hidden" value="([^"]*)"', page) or re.search(
        r'type="hidden" name="versions" value="([^"]*)"', page
    )
    assert match, "the follow-up form carries the versions it shows"
    return match.group(1)


def test_author_updates_a_mitigation_without_reopening(app, client, login_as):
    user = login_as("case_officer")
    assessment_id, mitigation_id = _approved(app, user.id)
    page = client.get(f"/review/mitigations/{mitigation_id}")
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_token(client, f"/review/mitigations/{mitigation_id}"),
        "owner_id": user.id,
        "due_date": FUTURE.isoformat(),
        "status": "in_progress",
        "dropped_reason": "",
        "outcome": "Upphandling pågår",
        "lock_version": 1,
    }
    assert client.post(f"/review/mitigations/{mitigation_id}", data=data).status_code == 302
    with app.app_context():
        item = db.session.get(Mitigation, mitigation_id)
        assert (item.owner_id, item.due_date, item.status.value) == (user.id, FUTURE, "in_progress")
        assert db.session.get(Assessment, assessment_id).status.value == "approved"
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "mitigation.update"))
        assert event.assessment_id == assessment_id
        assert event.changes["status"] == {"before": "planned", "after": "in_progress"}


def test_dropping_needs_a_reason(app, client, login_as):
    user = login_as("case_officer")
    _, mitigation_id = _approved(app, user.id)
    data = {
        "csrf_token": csrf_token(client, f"/review/mitigations/{mitigation_id}"),
        "owner_id": 0,
        "status": "dropped",
        "lock_version": 1,
    }
    response = client.post(f"/review/mitigations/{mitigation_id}", data=data)
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(Mitigation, mitigation_id).status.value == "planned"


@pytest.mark.parametrize("role,department", [("reviewer", "FFF"), ("case_officer", "GSF"), ("auditor", "FFF")])
def test_others_cannot_follow_up(app, client, login_as, role, department):
    login_as(role, department=department)
    assessment_id, mitigation_id = _approved(app)
    assert client.get(f"/review/mitigations/{mitigation_id}").status_code == 403
    assert client.get(f"/review/{assessment_id}/follow-up").status_code == 403


def test_follow_up_refused_on_a_draft(app, client, login_as):
    user = login_as("case_officer")
    with app.app_context():
        draft = factories.create_assessment(author=db.session.get(factories.User, user.id))
        db.session.commit()
        draft_id = draft.id
    assert client.get(f"/review/{draft_id}/follow-up").status_code == 403


def test_authors_record_what_actually_happened_per_ground(app, client, login_as):
    user = login_as("case_officer")
    assessment_id, _ = _approved(app, user.id)
    data = {
        "csrf_token": csrf_token(client, f"/review/{assessment_id}/follow-up"),
        "ground_age": "Färre resor.",
        "versions": _versions(client, assessment_id),
    }
    assert client.post(f"/review/{assessment_id}/follow-up", data=data).status_code == 302
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.answers[0].actual_outcome == "Färre resor."
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assessment.follow_up"))
        assert event.changes == {"age": {"before": "", "after": "Färre resor."}}


def test_overdue_page_lists_overdue_mitigations_and_follow_ups_per_department(app, client, login_as):
    login_as("case_officer")
    _approved(app, title="Sen i FFF", follow_up_date=PAST)
    _approved(app, department="GSF", title="Sen i GSF")
    with app.app_context():
        draft = factories.create_assessment(
            title="Utkast med sen åtgärd",
            answers={"age": {"impact": "negative", "mitigations": [{"description": "X", "due_date": PAST}]}},
        )
        done = factories.create_assessment(
            status="approved",
            title="Klar åtgärd",
            answers={
                "age": {"impact": "negative", "mitigations": [{"description": "Y", "due_date": PAST, "status": "done"}]}
            },
        )
        db.session.commit()
        assert draft.id and done.id
    page = client.get("/review/overdue").get_data(as_text=True)
    assert "Sent åtgärd" in page and "Sen i FFF" in page
    assert "Follow-ups not recorded" in page
    # Approved assessments are public records, so another department's overdue work is listed under its name.
    assert "Sen i GSF" in page
    assert "Utkast med sen åtgärd" not in page and "Klar åtgärd" not in page


def test_the_overdue_page_the_dashboard_and_the_list_filter_agree_on_what_is_overdue(app, client, login_as):
    """One rule (impact/assessments/due.py): a follow-up is overdue while any relevant ground lacks its outcome, and
    a mitigation of a ground since judged not relevant is not overdue work."""
    login_as("auditor", department="KS", municipality_wide=True)
    with app.app_context():
        half_done = factories.create_assessment(
            status="approved",
            title="Hälften uppföljd",
            follow_up_date=PAST,
            answers={
                "age": {"impact": "negative", "actual_outcome": "Som väntat."},
                "gender": {"impact": "negative"},
            },
        )
        not_relevant = factories.create_assessment(
            status="approved",
            title="Åtgärd för grund som inte berörs",
            answers={
                "age": {
                    "relevant": False,
                    "not_relevant_reason": "Berör inte.",
                    "mitigations": [{"description": "Gammal åtgärd", "due_date": PAST}],
                }
            },
        )
        db.session.commit()
        assert half_done.id and not_relevant.id
    overdue_page = client.get("/review/overdue").get_data(as_text=True)
    listed = client.get("/assessments/?concern=overdue_follow_up").get_data(as_text=True)
    assert "Hälften uppföljd" in overdue_page and "Hälften uppföljd" in listed
    overdue_mitigations = client.get("/assessments/?concern=overdue_mitigation").get_data(as_text=True)
    assert "Gammal åtgärd" not in overdue_page
    assert "Åtgärd för grund som inte berörs" not in overdue_mitigations


def test_two_people_following_up_one_mitigation_never_overwrite_each_other_silently(app, client, login_as):
    user = login_as("case_officer")
    assessment_id, mitigation_id = _approved(app, user.id)
    url = f"/review/mitigations/{mitigation_id}"
    token = csrf_token(client, url)
    seen = {"csrf_token": token, "owner_id": 0, "status": "in_progress", "dropped_reason": "", "lock_version": 1}
    # A colleague saves first, from the same version of the page.
    assert client.post(url, data={**seen, "outcome": "Kollegans text"}).status_code == 302
    response = client.post(url, data={**seen, "outcome": "Min text"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Someone else has saved this part while you were editing" in page
    assert "Kollegans text" in page and "Min text" in page  # what is saved now, and what I typed, kept
    with app.app_context():
        assert db.session.get(Mitigation, mitigation_id).outcome == "Kollegans text"
    # Saving again from the conflict page keeps my version, knowingly.
    version = re.search(r'name="lock_version" type="hidden" value="(\d+)"', page) or re.search(
        r'type="hidden" name="lock_version" value="(\d+)"', page
    )
    assert version and version.group(1) == "2"
    assert client.post(url, data={**seen, "outcome": "Min text", "lock_version": 2}).status_code == 302
    with app.app_context():
        assert db.session.get(Mitigation, mitigation_id).outcome == "Min text"


def test_two_people_recording_outcomes_never_overwrite_each_other_silently(app, client, login_as):
    user = login_as("case_officer")
    assessment_id, _ = _approved(app, user.id)
    url = f"/review/{assessment_id}/follow-up"
    seen = {"csrf_token": csrf_token(client, url), "versions": _versions(client, assessment_id)}
    assert client.post(url, data={**seen, "ground_age": "Kollegans utfall"}).status_code == 302
    response = client.post(url, data={**seen, "ground_age": "Mitt utfall"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Someone else has saved this part while you were editing" in page
    assert "Kollegans utfall" in page and "Mitt utfall" in page
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).answers[0].actual_outcome == "Kollegans utfall"
    again = {**seen, "versions": _versions(client, assessment_id), "ground_age": "Mitt utfall"}
    assert client.post(url, data=again).status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).answers[0].actual_outcome == "Mitt utfall"
