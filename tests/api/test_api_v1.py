"""The read-only API: responses valid against its own OpenAPI document, what a token's user may see, errors."""

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from impact.api.models import ApiToken
from impact.api.openapi import openapi_document
from impact.core.db import db
from tests import factories


def make_token(app, *roles, department="KS", **fields) -> str:
    with app.app_context():
        user = factories.create_user(roles=roles, department=department, **fields)
        _token, plain = ApiToken.issue(user, "test")
        db.session.commit()
    return plain


@pytest.fixture
def auditor_token(app, seeded):
    return make_token(app, "auditor", municipality_wide=True)


def get(client, path, token):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def assert_valid(response, path: str, status: str = "200"):
    """Validate the JSON body against the schema the OpenAPI document gives for this path and status."""
    document = openapi_document()
    responses = document["paths"][path]["get"]["responses"]
    spec = responses[status]
    if "$ref" in spec:
        spec = document["components"]["responses"][spec["$ref"].rsplit("/", 1)[1]]
    schema = {**spec["content"]["application/json"]["schema"], "components": document["components"]}
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(response.get_json()))
    assert not errors, [error.message for error in errors]


def test_openapi_document_is_served_and_valid_openapi_shape(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/grounds", "/assessments", "/assessments/{id}", "/summary", "/openapi.json"}
    for name, schema in document["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema), name


def test_grounds(client, auditor_token):
    response = get(client, "/api/v1/grounds", auditor_token)
    assert response.status_code == 200
    assert_valid(response, "/grounds")
    keys = [ground["key"] for ground in response.get_json()["grounds"]]
    assert keys[:3] == ["socioeconomic_status", "geographic_residence", "gender"] and len(keys) == 9


def test_assessments_list_is_what_the_user_may_see(client, auditor_token, seeded):
    response = get(client, "/api/v1/assessments?per_page=100", auditor_token)
    assert response.status_code == 200
    assert_valid(response, "/assessments")
    body = response.get_json()
    ids = {item["id"] for item in body["items"]}
    assert seeded["draft_ff"] not in ids and seeded["returned_sof"] not in ids
    assert seeded["submitted_sof"] in ids and body["total"] == 5
    first = next(item for item in body["items"] if item["id"] == seeded["approved_ff"])
    scores = {ground["key"]: ground["score"] for ground in first["grounds"]}
    assert scores == {"gender": -1, "age": 1, "ethnicity": None, "disability": -2}


def test_pagination(client, auditor_token):
    first = get(client, "/api/v1/assessments?per_page=2&page=1", auditor_token).get_json()
    third = get(client, "/api/v1/assessments?per_page=2&page=3", auditor_token).get_json()
    assert (first["pages"], len(first["items"]), len(third["items"])) == (3, 2, 1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=approved&department=SOF", {"approved_sof", "screening_only"}),
        ("ground=disability", {"approved_ff", "old_approved_ff"}),
        ("district=Sjöbo", {"approved_sof", "submitted_sof"}),
        ("from=2025-01-01&to=2025-06-30", {"old_approved_ff"}),
        ("status=submitted&status=approved&ground=age", {"approved_ff", "approved_sof"}),
        ("outcome=continue_despite", {"approved_ff"}),
        ("outcome=no_major_change", {"screening_only"}),
    ],
)
def test_filters(client, auditor_token, seeded, query, expected):
    body = get(client, f"/api/v1/assessments?{query}", auditor_token).get_json()
    assert {item["id"] for item in body["items"]} == {seeded[name] for name in expected}


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "department=NOPE",
        "ground=nothing",
        "district=Atlantis",
        "from=yesterday",
        "from=2026-02-01&to=2026-01-01",
        "per_page=101",
        "per_page=0",
        "page=-1",
        "colour=blue",
        "outcome=maybe",
        "area=NOWHERE",
        "approved_from=2026-13-01",
        "approved_from=2026-02-01&approved_to=2026-01-01",
    ],
)
def test_bad_filters_are_400(client, auditor_token, query):
    for path in ("/api/v1/assessments", "/api/v1/summary"):
        response = get(client, f"{path}?{query}", auditor_token)
        assert response.status_code == 400, (path, query)
        assert response.get_json()["error"]["status"] == 400
        assert response.get_json()["error"]["message"]
        assert_valid(response, path.removeprefix("/api/v1"), "400")


def test_one_assessment_with_mitigations(client, auditor_token, seeded):
    response = get(client, f"/api/v1/assessments/{seeded['approved_ff']}", auditor_token)
    assert response.status_code == 200
    assert_valid(response, "/assessments/{id}")
    body = response.get_json()
    disability = next(ground for ground in body["grounds"] if ground["key"] == "disability")
    assert disability["score"] == -2 and disability["mitigations"][0]["status"] == "planned"
    assert body["districts"] == ["Norrby"]
    assert body["committee_decision"] is None


def test_a_decided_assessment_carries_the_committees_decision(app, client, auditor_token, seeded):
    from datetime import date

    from impact.assessments.enums import CommitteeOutcome
    from impact.assessments.models import Assessment
    from impact.decisions import operations as decisions

    with app.app_context():
        assessment = db.session.get(Assessment, seeded["approved_ff"])
        entered = decisions.DecisionInput(
            "Fritids- och folkhälsonämnden",
            date(2026, 11, 2),
            "§ 7",
            CommitteeOutcome.referred_back,
            True,
            "Mer dialog.",
        )
        decisions.record(assessment, assessment.authors[0], entered)
        db.session.commit()
    response = get(client, f"/api/v1/assessments/{seeded['approved_ff']}", auditor_token)
    assert_valid(response, "/assessments/{id}")
    body = response.get_json()
    assert body["status"] == "decided"
    decision = body["committee_decision"]
    assert (decision["outcome"], decision["meeting_date"], decision["paragraph"]) == (
        "referred_back",
        "2026-11-02",
        "§ 7",
    )
    assert decision["analysis_changed"] is True and decision["analysis_change"] == "Mer dialog."
    listing = get(client, "/api/v1/assessments?status=decided", auditor_token)
    assert_valid(listing, "/assessments")
    assert [item["id"] for item in listing.get_json()["items"]] == [seeded["approved_ff"]]


@pytest.mark.parametrize("name", ["draft_ff", "returned_sof"])
def test_another_departments_unfinished_work_is_404(client, auditor_token, seeded, name):
    response = get(client, f"/api/v1/assessments/{seeded[name]}", auditor_token)
    assert response.status_code == 404
    assert response.get_json()["error"]["status"] == 404
    assert_valid(response, "/assessments/{id}", "404")


def test_own_department_drafts_are_visible_to_its_officer(app, client, seeded):
    token = make_token(app, "case_officer", department="FFF")
    ids = {item["id"] for item in get(client, "/api/v1/assessments?per_page=100", token).get_json()["items"]}
    assert seeded["draft_ff"] in ids and seeded["returned_sof"] not in ids


def test_summary(client, auditor_token):
    response = get(client, "/api/v1/summary", auditor_token)
    assert response.status_code == 200
    assert_valid(response, "/summary")
    body = response.get_json()
    assert body["total"] == 5 and body["most_negative_ground"] == "gender"
    assert body["overdue"] == {"mitigations": 1, "assessments_with_overdue_mitigations": 1, "follow_ups": 1}


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer imp_not-a-real-token", "Basic dXNlcjpwYXNz", "imp_x"])
@pytest.mark.parametrize("path", ["/api/v1/grounds", "/api/v1/assessments", "/api/v1/assessments/1", "/api/v1/summary"])
def test_401_without_a_valid_token(client, seeded, header, path):
    response = client.get(path, headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.get_json()["error"]["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers


def test_session_login_does_not_open_the_api(client, login_as, seeded):
    login_as("auditor", department="KS", municipality_wide=True)
    assert client.get("/api/v1/assessments").status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(client, auditor_token, seeded, method):
    response = getattr(client, method)(
        f"/api/v1/assessments/{seeded['approved_ff']}", headers={"Authorization": f"Bearer {auditor_token}"}
    )
    assert response.status_code == 405


def test_an_assessment_carries_its_outcome_and_alternatives(client, auditor_token, seeded):
    response = get(client, f"/api/v1/assessments/{seeded['approved_ff']}", auditor_token)
    assert_valid(response, "/assessments/{id}")
    body = response.get_json()
    assert body["outcome"] == "continue_despite"
    assert body["outcome_justification"].startswith("=Nyttan") and body["outcome_adjustments"] == ""
    assert body["alternatives"] == [
        {"description": "Göra ingenting", "effects": "Ingen förändring.", "why_not_chosen": "Syftet nås inte."}
    ]
    listed = get(client, "/api/v1/assessments?per_page=100", auditor_token).get_json()["items"]
    assert {item["id"]: item["outcome"] for item in listed}[seeded["screening_only"]] == "no_major_change"


def test_the_summary_and_the_dashboard_filter_by_outcome(client, auditor_token, seeded, login_as):
    summary = get(client, "/api/v1/summary?outcome=continue_despite", auditor_token).get_json()
    assert summary["total"] == 1 and summary["filters"] == {"outcome": "continue_despite"}
    assert get(client, "/api/v1/summary?outcome=no_major_change", auditor_token).get_json()["total"] == 1
    login_as("auditor", municipality_wide=True)
    page = client.get("/reports/?outcome=stop").get_data(as_text=True)
    assert '<option selected value="stop">Stoppa och tänk om</option>' in page
    districts = client.get("/reports/districts?outcome=continue_despite")
    assert districts.status_code == 200


def test_assessments_carry_their_districts_and_areas_and_filter_by_area(app, client, auditor_token, seeded):
    """Areas (code, name, district) beside the districts in the list and the detail; ``area`` by code; ``district``
    also finds an assessment through an area within it; ``approved_from``/``approved_to`` by the approval day."""
    from datetime import UTC, datetime

    from impact.assessments.models import Assessment

    with app.app_context():
        assessment = db.session.get(Assessment, seeded["approved_sof"])
        assessment.areas = [
            factories.ensure_area("OMR-HASSLE", "Hässleholmen", "Norrby"),
            factories.ensure_area("OMR-BRAMHULT", "Brämhult centrum", "Brämhult"),  # its district is not named
        ]
        assessment.decided_at = datetime(2025, 3, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 March in Stockholm
        db.session.commit()
    areas = [
        {"code": "OMR-BRAMHULT", "name": "Brämhult centrum", "district": "Brämhult"},
        {"code": "OMR-HASSLE", "name": "Hässleholmen", "district": "Norrby"},
    ]
    response = get(client, "/api/v1/assessments?area=OMR-HASSLE", auditor_token)
    assert_valid(response, "/assessments")
    [item] = response.get_json()["items"]
    assert item["id"] == seeded["approved_sof"]
    assert item["districts"] == ["Norrby", "Sjöbo"] and item["areas"] == areas
    detail = get(client, f"/api/v1/assessments/{seeded['approved_sof']}", auditor_token)
    assert_valid(detail, "/assessments/{id}")
    assert detail.get_json()["areas"] == areas and detail.get_json()["districts"] == ["Norrby", "Sjöbo"]
    found = get(client, "/api/v1/assessments?district=Br%C3%A4mhult", auditor_token).get_json()["items"]
    assert [item["id"] for item in found] == [seeded["approved_sof"]]
    for query, expected in (
        ("approved_from=2025-03-02&approved_to=2025-03-02", [seeded["approved_sof"]]),
        ("approved_from=2025-03-03&approved_to=2025-03-31", []),
        ("approved_to=2025-03-01", []),
    ):
        found = get(client, f"/api/v1/assessments?{query}", auditor_token).get_json()["items"]
        assert [item["id"] for item in found] == expected, query
