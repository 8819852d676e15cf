"""The whole guided form through the HTTP layer, as a case officer fills it in."""

import re

import sqlalchemy as sa

from impact.assessments.enums import AssessmentStatus
from impact.assessments.models import Assessment
from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.grounds.models import GROUND_KEYS
from tests import factories
from tests.assessment_helpers import PROPOSAL, neutral_ground, post_page


def _start(client) -> int:
    response = post_page(client, "/assessments/new", PROPOSAL)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "/screening" in response.location
    return int(response.location.split("/")[2])


def test_whole_flow_from_start_to_submitted(app, client, login_as):
    login_as("case_officer")
    assessment_id = _start(client)
    base = f"/assessments/{assessment_id}"
    response = post_page(client, f"{base}/screening", {"affects_people": "yes", "concerns_children": "no"})
    assert response.location.endswith(f"{base}/tasks")
    tasks = client.get(f"{base}/tasks").get_data(as_text=True)
    # Involvement, nine grounds, the action plan and the conclusion.
    assert tasks.count("Ej påbörjad") == 1 + 9 + 1 + 1
    response = post_page(
        client,
        f"{base}/involvement",
        {
            "consultations-0-group_name": "Pensionärsrådet",
            "consultations-0-method": "meeting",
            "consultations-0-held_on": "2026-10-01",
            "consultations-0-views": "Seniorsim behövs på förmiddagar.",
            "consultations-0-changes_made": "Seniorsim lades till.",
            "national_minority": "no",
        },
    )
    assert response.location.endswith(f"{base}/tasks")
    for key in GROUND_KEYS:
        data = neutral_ground()
        if key == "age":
            data = {**data, "impact": "negative"}
        if key == "religion":
            data = {"relevant": "no", "not_relevant_reason": "Förslaget berör inte tro."}
        response = post_page(client, f"{base}/grounds/{key}", data)
        assert response.status_code == 302, (key, response.get_data(as_text=True)[:3000])
    tasks = client.get(f"{base}/tasks").get_data(as_text=True)
    assert tasks.count("Klar") >= 9
    # The last ground leads on to the action plan, which asks for the impact that remains on the negative ground.
    assert response.location.endswith(f"{base}/actions")
    with app.app_context():
        age = factories.ground_id("age")
    response = post_page(
        client,
        f"{base}/actions",
        {
            "actions-0-description": "Seniorsim på vardagar.",
            "actions-0-owner_id": "0",
            "actions-0-responsible": "Badchef",
            "actions-0-due_date": "2027-03-01",
            "actions-0-grounds": str(age),
            "remaining_age": "neutral",
        },
    )
    assert response.location.endswith(f"{base}/conclusion"), response.get_data(as_text=True)[:3000]
    response = post_page(
        client,
        f"{base}/conclusion",
        {
            "overall_assessment": "Små effekter.",
            "analysis_outcome": "adjust",
            "adjustments": "Seniorsim på vardagar lades till.",
            "recommendation": "Inför seniorsim.",
            "follow_up_date": "2027-12-01",
        },
    )
    assert response.location.endswith(f"{base}/check")
    check = client.get(f"{base}/check").get_data(as_text=True)
    assert "Seniorsim på vardagar." in check and "Ändra" in check
    assert "Justera förslaget" in check and "Seniorsim på vardagar lades till." in check
    response = post_page(client, f"{base}/check", {})
    assert response.location.endswith(base)
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert assessment.status == AssessmentStatus.submitted
        assert len(assessment.answers) == 9
        assert assessment.answers[7].mitigations[0].responsible == "Badchef"
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.assessment_id == assessment_id)
        ).all()
    assert actions.count("ground_answer.update") == 9 and "assessment.update" in actions
    assert "assessment.create" in actions and "assessment.submit" in actions
    page = client.get(base).get_data(as_text=True)
    assert 'role="img"' in page and "Seniorsim på vardagar." in page and "Ändringshistorik" in page
    # Submitted: no longer editable.
    assert client.get(f"{base}/grounds/age").status_code == 403


def test_screening_only_goes_straight_to_review(app, client, login_as):
    login_as("case_officer")
    base = f"/assessments/{_start(client)}"
    response = post_page(client, f"{base}/screening", {"affects_people": "no"})
    assert response.status_code == 200
    assert "Förklara varför förslaget inte påverkar människor." in response.get_data(as_text=True)
    response = post_page(client, f"{base}/screening", {"affects_people": "no", "screening_reason": "Intern rutin."})
    assert response.location.endswith(f"{base}/check")
    response = post_page(client, f"{base}/check", {})
    assert response.status_code == 302
    with app.app_context():
        assessment = db.session.scalar(sa.select(Assessment))
        assert assessment.status == AssessmentStatus.submitted and assessment.screening_only
    page = client.get(base).get_data(as_text=True)
    assert "Enbart förprövning" in page and "Intern rutin." in page


def test_submit_refused_until_complete(app, client, login_as):
    login_as("case_officer")
    base = f"/assessments/{_start(client)}"
    post_page(client, f"{base}/screening", {"affects_people": "yes", "concerns_children": "no"})
    response = post_page(client, f"{base}/check", {})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Konsekvensanalysen är inte klar än" in page
    assert f"{base}/grounds/gender#relevant" in page
    with app.app_context():
        assert db.session.scalar(sa.select(Assessment.status)) == AssessmentStatus.draft


def test_negative_without_action_is_refused_at_submit_then_justification_accepted(app, client, login_as):
    login_as("case_officer")
    base = f"/assessments/{_start(client)}"
    post_page(client, f"{base}/screening", {"affects_people": "yes", "concerns_children": "no"})
    data = {**neutral_ground(), "impact": "significantly_negative"}
    assert post_page(client, f"{base}/grounds/age", data).status_code == 302
    # The gap belongs to the action plan: it is listed there, on the task list and at submit.
    page = client.get(f"{base}/actions").get_data(as_text=True)
    assert 'name="remaining_age"' in page
    response = post_page(client, f"{base}/actions", {})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "En negativ påverkan behöver minst en åtgärd som gäller den" in page and "Ålder" in page
    assert "Välj den påverkan som kvarstår efter åtgärderna." in page
    check = post_page(client, f"{base}/check", {}).get_data(as_text=True)
    assert f"{base}/actions#actions" in check and f"{base}/actions#remaining_age" in check
    data = {**data, "acceptance_justification": "Tillfälligt."}
    assert post_page(client, f"{base}/grounds/age", data).status_code == 302
    response = post_page(client, f"{base}/actions", {"remaining_age": "significantly_negative"})
    assert response.status_code == 302
    check = client.get(f"{base}/check").get_data(as_text=True)
    assert f"{base}/actions#" not in check


def test_not_relevant_without_reason_is_refused(client, login_as):
    login_as("case_officer")
    base = f"/assessments/{_start(client)}"
    response = post_page(client, f"{base}/grounds/gender", {"relevant": "no"})
    assert response.status_code == 200
    assert "Förklara varför grunden inte är relevant." in response.get_data(as_text=True)


def test_add_and_remove_action_rows_without_javascript(app, client, login_as):
    login_as("case_officer")
    base = f"/assessments/{_start(client)}"
    post_page(client, f"{base}/screening", {"affects_people": "yes", "concerns_children": "no"})
    post_page(client, f"{base}/grounds/age", {**neutral_ground(), "impact": "negative"})
    with app.app_context():
        age = factories.ground_id("age")
    data = {
        "actions-0-description": "Första åtgärden",
        "actions-0-responsible": "Bostadsbolaget",
        "actions-0-owner_id": "0",
        "actions-0-due_date": "2027-01-01",
        "actions-0-grounds": str(age),
    }
    response = post_page(client, f"{base}/actions", data, action="add_action")
    assert response.location.endswith("?add=1#actions")
    page = client.get(f"{base}/actions?add=1").get_data(as_text=True)
    assert 'name="actions-1-description"' in page and "Första åtgärden" in page
    assert re.search(r'type="checkbox" id="actions-0-grounds-1"\s+name="actions-0-grounds"', page)  # several grounds
    with app.app_context():
        action_id = db.session.scalar(sa.select(Assessment)).actions[0].id
    removal = {**data, "actions-0-id": str(action_id), "actions-0-remove": "y", "remaining_age": "negative"}
    response = post_page(client, f"{base}/actions", removal, action="later")
    assert response.status_code == 302
    with app.app_context():
        assessment = db.session.scalar(sa.select(Assessment))
        assert assessment.actions == [] and assessment.answers[0].mitigations == []


def test_save_and_come_back_later_then_resume_after_logout(app, client, auth, login_as):
    user = login_as("case_officer")
    base = f"/assessments/{_start(client)}"
    response = post_page(client, f"{base}/grounds/gender", {"relevant": "yes", "affected_groups": "Kvinnor"}, "later")
    assert response.location.endswith(f"{base}/tasks")
    auth.logout()
    assert client.get(f"{base}/grounds/gender").status_code == 302
    auth.login(user.email)
    page = client.get(f"{base}/grounds/gender").get_data(as_text=True)
    assert "Kvinnor</textarea>" in page
    listing = client.get("/assessments/?scope=mine").get_data(as_text=True)
    assert "Nya öppettider i simhallarna" in listing


def test_first_change_to_a_returned_assessment_makes_it_a_draft_again(app, client, login_as):
    officer = login_as("case_officer")
    with app.app_context():
        returned = factories.create_assessment(status="returned", author=db.session.get(factories.User, officer.id))
        db.session.commit()
        assessment_id = returned.id
    response = post_page(client, f"/assessments/{assessment_id}/grounds/age", neutral_ground())
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Assessment, assessment_id).status == AssessmentStatus.draft
        actions = db.session.scalars(
            db.select(AuditEvent.action).where(AuditEvent.assessment_id == assessment_id).order_by(AuditEvent.id)
        ).all()
    assert actions == ["assessment.reopen", "ground_answer.update"]


def test_owners_are_grouped_by_department_the_assessments_own_first(app, client, login_as):
    officer = login_as("case_officer", department="FFF")
    with app.app_context():
        factories.create_user(roles=("reviewer",), department="GSF", name="Greta Grundskola")
        own = factories.create_user(roles=("case_officer",), department="FFF", name="Fia Fritid")
        db.session.commit()
        own_id = own.id
    base = f"/assessments/{_start(client)}"
    post_page(client, f"{base}/screening", {"affects_people": "yes", "concerns_children": "no"})
    page = client.get(f"{base}/actions").get_data(as_text=True)
    select = page[
        page.index('name="actions-0-owner_id"') : page.index("</select>", page.index('name="actions-0-owner_id"'))
    ]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups[0] == "Utanför kommunen" and groups[1] == officer.department.name
    assert groups[2:] == sorted(groups[2:]) and "Grundskoleförvaltningen" in groups
    assert f'value="{own_id}"' in select.split("</optgroup>")[1], "a colleague in the assessment's own department"


def test_save_and_continue_goes_to_the_next_unfinished_ground_then_the_action_plan(app, client, login_as):
    login_as("case_officer")
    base = f"/assessments/{_start(client)}"
    post_page(client, f"{base}/screening", {"affects_people": "yes", "concerns_children": "no"})
    keys = list(GROUND_KEYS)

    def save(key: str) -> str:
        response = post_page(client, f"{base}/grounds/{key}", neutral_ground())
        assert response.status_code == 302, (key, response.get_data(as_text=True)[:2000])
        return response.location

    # Done already: the fourth ground; saving the third skips it.
    assert save(keys[3]).endswith(f"{base}/grounds/{keys[4]}")
    assert save(keys[2]).endswith(f"{base}/grounds/{keys[4]}")
    # After the last ground, on to the first one still unfinished (not the task list).
    assert save(keys[-1]).endswith(f"{base}/grounds/{keys[0]}")
    for key in keys[:2] + keys[4:-2]:
        save(key)
    # Only the last but one is left: after it, the action plan.
    assert save(keys[-2]).endswith(f"{base}/actions")
    # "Save and come back later" still goes to the task list.
    response = post_page(client, f"{base}/grounds/{keys[0]}", neutral_ground(), "later")
    assert response.location.endswith(f"{base}/tasks")
