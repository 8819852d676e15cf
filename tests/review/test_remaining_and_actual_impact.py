"""The impact that remains after the actions, and the actual impact recorded at follow-up next to the predicted
one: saving, refusing, the submit check, older template versions, and where both are shown."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from impact.assessments import validation
from impact.assessments.enums import Impact
from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.grounds.models import TemplateVersion
from tests import factories
from tests.assessment_helpers import own_draft, post_page
from tests.conftest import csrf_token

PAST = date.today() - timedelta(days=10)


def _action_for(app, *keys: str, **fields) -> dict:
    """One row of the action plan for the grounds ``keys``, as the page posts it."""
    with app.app_context():
        grounds = [str(factories.ground_id(key)) for key in keys]
    return {
        "actions-0-description": "Seniorsim på vardagar.",
        "actions-0-owner_id": "0",
        "actions-0-responsible": "Badchef",
        "actions-0-due_date": "2027-03-01",
        "actions-0-grounds": grounds,
        **fields,
    }


def _answer(app, assessment_id: int, key: str = "age") -> GroundAnswer | None:
    with app.app_context():
        return db.session.scalar(
            sa.select(GroundAnswer)
            .join(GroundAnswer.ground)
            .where(GroundAnswer.assessment_id == assessment_id, GroundAnswer.ground.has(key=key))
        )


# --- The remaining impact on the action plan -------------------------------------------------------------------


def test_the_remaining_impact_is_saved_audited_and_shown_beside_the_impact(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user, answers={"age": "negative"})
    base = f"/assessments/{assessment_id}"
    response = post_page(client, f"{base}/actions", {**_action_for(app, "age"), "remaining_age": "neutral"})
    assert response.status_code == 302, response.get_data(as_text=True)
    answer = _answer(app, assessment_id)
    assert (answer.impact, answer.remaining_impact) == (Impact.negative, Impact.neutral)
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assessment.update"))
        assert event.changes["part"] == "actions"
        assert event.changes["remaining_impact"] == {"before": {}, "after": {"age": "neutral"}}
    for path in ("/check", "", "/tasks"):
        assert "Negativ → neutral efter åtgärder" in client.get(base + path).get_data(as_text=True), path
    history = client.get(base).get_data(as_text=True)
    assert "Påverkan som kvarstår efter åtgärderna" in history  # the history names the changed field
    assert "Ålder: Neutral" in history
    # The page shows the saved choice again.
    page = client.get(f"{base}/actions").get_data(as_text=True)
    assert re.search(r'name="remaining_age" value="neutral" checked', page)


def test_the_remaining_impact_is_shown_in_english(app, client, login_as, english):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user, answers={"age": {"impact": "negative", "remaining_impact": "neutral"}})
    assert "Negative → neutral after actions" in client.get(f"/assessments/{assessment_id}").get_data(as_text=True)


def test_a_better_remaining_impact_needs_an_action_for_that_ground(app, client, login_as):
    user = login_as("case_officer")
    data = {"impact": "significantly_negative", "acceptance_justification": "Tillfälligt under ombyggnaden."}
    assessment_id = own_draft(app, user, answers={"age": data, "gender": "negative"})
    path = f"/assessments/{assessment_id}/actions"
    # An action for another ground does not bring about a better impact on this one.
    gender = {**_action_for(app, "gender"), "remaining_gender": "neutral"}
    response = post_page(client, path, {**gender, "remaining_age": "negative"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "En kvarstående påverkan som är bättre än påverkan kräver en åtgärd för den här grunden" in page
    assert "error-summary" in page and "#remaining_age" in page
    # The same remaining impact needs none; the better one goes through once the action addresses the ground.
    assert post_page(client, path, {**gender, "remaining_age": "significantly_negative"}).status_code == 302
    both = {**_action_for(app, "gender", "age"), "remaining_gender": "neutral", "remaining_age": "negative"}
    response = post_page(client, path, both)
    assert response.status_code == 302
    assert _answer(app, assessment_id).remaining_impact == Impact.negative


def test_removing_the_only_action_of_a_better_remaining_impact_shows_the_gap(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user, answers={"age": "negative"})
    path = f"/assessments/{assessment_id}/actions"
    assert post_page(client, path, {**_action_for(app, "age"), "remaining_age": "neutral"}).status_code == 302
    with app.app_context():
        action_id = db.session.scalar(sa.select(Mitigation.id))
    data = {**_action_for(app, "age"), "remaining_age": "neutral", "actions-0-id": str(action_id)}
    response = post_page(client, path, {**data, "actions-0-remove": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "En kvarstående påverkan som är bättre" in page
    assert "En negativ påverkan behöver minst en åtgärd som gäller den" in page


def test_a_negative_ground_needs_its_remaining_impact_before_submitting(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user, answers={"age": "negative"})
    response = post_page(client, f"/assessments/{assessment_id}/actions", _action_for(app, "age"))
    assert response.status_code == 200  # saved as a draft, with what is missing
    assert "Välj den påverkan som kvarstår efter åtgärderna." in response.get_data(as_text=True)
    response = post_page(client, f"/assessments/{assessment_id}/check", {})
    page = response.get_data(as_text=True)
    assert f"/assessments/{assessment_id}/actions#remaining_age" in page
    # Not asked for a ground that is neither negative nor addressed by an action.
    assert 'name="remaining_gender"' not in client.get(f"/assessments/{assessment_id}/actions").get_data(as_text=True)


def test_assessments_of_an_older_template_version_are_not_asked_for_it(app, login_as):
    user = login_as("case_officer")
    assessment_id = own_draft(app, user, answers={"age": {"impact": "negative", "acceptance_justification": "Skäl."}})
    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        assert "remaining_age" in validation.action_plan_problems(assessment)
        db.session.scalar(sa.select(TemplateVersion)).asks_remaining_impact = False
        assert validation.action_plan_problems(assessment) == {}
        db.session.rollback()


# --- The actual impact at follow-up -----------------------------------------------------------------------------


def _approved(app, author=None, **answer) -> int:
    with app.app_context():
        author = db.session.get(factories.User, author.id) if author else None
        spec = {"impact": "negative", "mitigations": [{"due_date": PAST}], **answer}
        assessment = factories.create_assessment(status="approved", author=author, answers={"age": spec})
        db.session.commit()
        return assessment.id


def _follow_up_form(client, assessment_id: int) -> dict:
    page = client.get(f"/review/{assessment_id}/follow-up").get_data(as_text=True)
    versions = re.search(r'name="versions" type="hidden" value="([^"]*)"', page) or re.search(
        r'type="hidden" name="versions" value="([^"]*)"', page
    )
    return {"csrf_token": csrf_token(client, f"/review/{assessment_id}/follow-up"), "versions": versions.group(1)}


def test_the_actual_impact_is_recorded_next_to_the_predicted_one_and_audited(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _approved(app, user, remaining_impact="neutral")
    page = client.get(f"/review/{assessment_id}/follow-up").get_data(as_text=True)
    assert "Förutsedd påverkan:" in page and "<strong>Neutral</strong>" in page
    data = {
        **_follow_up_form(client, assessment_id),
        "actual_age": "neutral",
        "actual_comment_age": "Seniorsimmet fyllde luckan.",
        "ground_age": "Besökarna kom tillbaka.",
    }
    response = client.post(f"/review/{assessment_id}/follow-up", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    answer = _answer(app, assessment_id)
    assert (answer.actual_impact, answer.actual_comment) == (Impact.neutral, "Seniorsimmet fyllde luckan.")
    assert answer.actual_recorded_at is not None and answer.prediction_held
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "ground_answer.actual_impact"))
        assert event.assessment_id == assessment_id
        assert event.changes["actual_impact"] == {"before": None, "after": "neutral"}
        assert event.changes["predicted_impact"] == "neutral"
    view = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    assert "Neutral, som förutsett" in view and "Seniorsimmet fyllde luckan." in view
    assert "Faktisk påverkan registrerad" in view  # in the history, by its label


def test_a_follow_up_over_a_newer_one_is_refused_and_keeps_what_was_typed(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _approved(app, user)
    stale = _follow_up_form(client, assessment_id)
    first = {**_follow_up_form(client, assessment_id), "actual_age": "negative", "ground_age": "Som väntat."}
    assert client.post(f"/review/{assessment_id}/follow-up", data=first).status_code == 302
    second = {**stale, "actual_age": "positive", "actual_comment_age": "Min kommentar"}
    response = client.post(f"/review/{assessment_id}/follow-up", data=second)
    page = response.get_data(as_text=True)
    assert "Någon annan har sparat den här delen" in page and "Min kommentar" in page
    assert _answer(app, assessment_id).actual_impact == Impact.negative


def test_an_unknown_actual_impact_is_refused(app, client, login_as):
    user = login_as("case_officer")
    assessment_id = _approved(app, user)
    data = {**_follow_up_form(client, assessment_id), "actual_age": "catastrophic"}
    response = client.post(f"/review/{assessment_id}/follow-up", data=data)
    assert response.status_code == 422
    assert _answer(app, assessment_id).actual_impact is None


@pytest.mark.parametrize("role,department", [("reviewer", "FFF"), ("case_officer", "GSF")])
def test_others_cannot_record_the_actual_impact(app, client, login_as, role, department):
    assessment_id = _approved(app)
    login_as(role, department=department)
    data = {"csrf_token": csrf_token(client, "/"), "actual_age": "neutral", "versions": ""}
    assert client.post(f"/review/{assessment_id}/follow-up", data=data).status_code in (403, 404)
    assert _answer(app, assessment_id).actual_impact is None


# --- Where both are shown: the API, the PDF, the register, the version comparison --------------------------------


@pytest.fixture
def followed_up(app) -> int:
    """An approved assessment whose negative age ground is predicted neutral after mitigations and was neutral."""
    with app.app_context():
        assessment = factories.create_assessment(
            status="approved",
            department="KS",
            answers={
                "age": {
                    "impact": "negative",
                    "remaining_impact": "neutral",
                    "actual_impact": "neutral",
                    "actual_comment": "=Seniorsimmet fyllde luckan.",
                    "actual_recorded_at": factories_now(),
                    "mitigations": [{"due_date": PAST}],
                },
                "gender": "neutral",
            },
        )
        db.session.commit()
        return assessment.id


def factories_now():
    from impact.core.db import utcnow

    return utcnow()


def test_the_api_gives_both_and_matches_its_openapi_document(app, client, followed_up):
    from tests.api.test_api_v1 import assert_valid, make_token

    token = make_token(app, "auditor", municipality_wide=True)
    response = client.get(f"/api/v1/assessments/{followed_up}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert_valid(response, "/assessments/{id}")
    grounds = {ground["key"]: ground for ground in response.get_json()["grounds"]}
    age = grounds["age"]
    assert (age["impact"], age["remaining_impact"], age["actual_impact"]) == ("negative", "neutral", "neutral")
    assert age["prediction_held"] is True and age["actual_recorded_at"]
    assert grounds["gender"]["remaining_impact"] is None and grounds["gender"]["prediction_held"] is None


def test_the_pdf_and_the_register_give_both(app, client, login_as, followed_up):
    import csv
    import io

    from pypdf import PdfReader

    login_as("auditor", department="KS", municipality_wide=True)
    reader = PdfReader(io.BytesIO(client.get(f"/reports/assessments/{followed_up}.pdf").get_data()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Negativ → neutral efter åtgärder" in text
    assert "Neutral, som förutsett" in text and "Seniorsimmet fyllde luckan." in text
    raw = client.get("/reports/register.csv").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw), delimiter=";"))
    age = next(
        row for row in rows if row["Grundens nyckel"] == "age" and int(row["Konsekvensanalys-id"]) == followed_up
    )
    assert age["Påverkan"] == "Negativ"
    assert age["Påverkan som kvarstår efter åtgärderna"] == "Neutral"
    assert age["Faktisk påverkan vid uppföljningen"] == "Neutral"
    assert age["Kommentar om den faktiska påverkan"] == "'=Seniorsimmet fyllde luckan."  # never a formula


def test_the_version_comparison_shows_a_changed_remaining_impact(app, client, login_as):
    from impact.review.versions import compare

    with app.app_context(), app.test_request_context():
        first = factories.create_assessment(status="approved", answers={"age": {"impact": "negative"}})
        second = factories.create_assessment(answers={"age": {"impact": "negative", "remaining_impact": "neutral"}})
        rows = {row.label: row for section in compare(first, second) for row in section.rows}
        row = rows["Påverkan som kvarstår efter åtgärderna"]
        assert row.changed and str(row.after) == "Neutral"
        db.session.rollback()


# --- The dashboard's figures agree with the lists they link to -------------------------------------------------


def test_the_prediction_and_owner_figures_equal_the_lists_they_link_to(app, client, login_as, followed_up):
    import html

    from tests.reports.test_reports_figures import LINK, list_count

    with app.app_context():
        owner = factories.create_user(roles=("case_officer",), department="SOF")
        factories.create_assessment(
            status="approved",
            department="KS",
            answers={
                "gender": {"impact": "negative", "remaining_impact": "neutral", "actual_impact": "negative"},
                "age": {"impact": "negative", "mitigations": [{"due_date": PAST, "owner": owner}, {"due_date": PAST}]},
            },
        )
        db.session.commit()
    login_as("auditor", department="KS", municipality_wide=True)
    body = client.get("/reports/").get_data(as_text=True)
    links = [(html.unescape(url), int(n)) for url, n in LINK.findall(body) if "prediction=" in url or "owner_" in url]
    assert {url.split("?")[1] for url, _n in links} >= {
        "prediction=held",
        "prediction=recorded",
        "ground=age&prediction=held",
        "concern=overdue_mitigation&owner_department=SOF",
        "concern=overdue_mitigation&owner_department=none",
    }
    for url, number in links:
        assert list_count(client, url) == number, url
    figures = dict((url.split("?")[1], n) for url, n in links)
    assert figures["prediction=held"] == 1 and figures["prediction=recorded"] == 2
    assert figures["ground=gender&prediction=recorded"] == 1 and figures["ground=gender&prediction=held"] == 0
    assert "Förutsägelser som höll: 1 av 2 grunder med registrerad faktisk påverkan" in body


def test_the_api_filters_on_prediction_and_owner_department_as_the_list_does(app, client, login_as, followed_up):
    """The API's prediction and owner_department parameters select the assessments the list's filters select, and
    the detail carries the action plan with each action's grounds and owner's department."""
    from tests.api.test_api_v1 import assert_valid, make_token

    with app.app_context():
        owner = factories.create_user(roles=("case_officer",), department="SOF")
        owned = factories.create_assessment(
            status="approved",
            department="KS",
            answers={
                "age": {"impact": "negative", "mitigations": [{"due_date": PAST, "owner": owner, "cost": "5 tkr"}]}
            },
        )
        db.session.commit()
        owned_id = owned.id
    headers = {"Authorization": f"Bearer {make_token(app, 'auditor', municipality_wide=True)}"}
    login_as("auditor", department="KS", municipality_wide=True)
    for query in ("prediction=held", "prediction=missed", "owner_department=SOF", "owner_department=none"):
        listed = client.get(f"/api/v1/assessments?{query}&per_page=100", headers=headers)
        assert_valid(listed, "/assessments")
        api_ids = sorted(item["id"] for item in listed.get_json()["items"])
        page = client.get(f"/assessments/?scope=all&{query}").get_data(as_text=True)
        list_ids = sorted({int(found) for found in re.findall(r'href="/assessments/(\d+)"', page)})
        assert api_ids == list_ids, query
        assert api_ids or query not in ("prediction=held", "owner_department=SOF"), query
    assert owned_id in [
        item["id"]
        for item in client.get("/api/v1/assessments?owner_department=SOF", headers=headers).get_json()["items"]
    ]
    assert client.get("/api/v1/assessments?prediction=sometimes", headers=headers).status_code == 400
    detail = client.get(f"/api/v1/assessments/{owned_id}", headers=headers)
    assert_valid(detail, "/assessments/{id}")
    (action,) = detail.get_json()["actions"]
    assert action["grounds"] == ["age"] and action["owner_department"] == "SOF" and action["cost"] == "5 tkr"
    assert detail.get_json()["grounds"][0]["mitigations"] == [action] or any(
        ground["mitigations"] == [action] for ground in detail.get_json()["grounds"]
    )
