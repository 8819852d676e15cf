"""The API's lean list (``impact.api.listing``) answers exactly what the list read through whole objects did: the
same items, in the same order, with the same totals, for several users, filters and pages."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from impact.api.models import ApiToken
from impact.api.serialize import assessment_item
from impact.api.views import FILTER_PARAMS
from impact.assessments import access
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.models import Assessment, GroundAnswer
from impact.auth.models import User
from impact.core.db import db
from tests import factories

TIE = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def varied(app, seeded):
    """The report data set and more: tied creation times, answers without relevance or impact, a draft co-authored
    across departments, several outcomes; and four users with their API tokens."""
    with app.app_context():
        from impact.assessments.enums import Outcome

        outsider = factories.create_user(roles=("case_officer",), department="KS")
        for number in range(4):
            factories.create_assessment(
                ["approved", "submitted", "draft", "decided"][number],
                department=["FFF", "SOF"][number % 2],
                created_at=TIE,
                title=f'Förslag "{number}" om skolskjutsar; åäö',
                analysis_outcome=[Outcome.adjust, None, Outcome.no_major_change, Outcome.stop][number],
                answers={
                    "gender": {"relevant": None},
                    "age": {"relevant": True},
                    "religion": {"impact": "significantly_positive"},
                    "disability": "not_relevant",
                },
            )
        # Districts and areas: two areas in two districts, one of them an area whose district is not named.
        placed = factories.create_assessment("approved", department="FFF", districts=("Sjöbo", "Norrby"))
        placed.areas = [
            factories.ensure_area("OMR-HASSLE", "Hässleholmen", "Norrby"),
            factories.ensure_area("OMR-CENTRUM", "Centrum väst", "Centrum"),
        ]
        shared = factories.create_assessment("draft", department="SOF", answers={"age": "positive"})
        shared.authors.append(outsider)
        factories.create_assessment("returned", department="KS", affects_people=None)
        users = {
            "auditor": factories.create_user(roles=("auditor",), department="KS", municipality_wide=True),
            "reviewer": factories.create_user(roles=("reviewer",), department="SOF"),
            "officer": factories.create_user(roles=("case_officer",), department="FFF"),
            "outsider": outsider,
        }
        tokens = {name: ApiToken.issue(user, "test")[1] for name, user in users.items()}
        db.session.commit()
        return {name: (users[name].id, tokens[name]) for name in users}


def old_list(user_id: int, query: MultiDict, page: int, per_page: int) -> dict:
    """The list as it was read before: whole assessments with their answers, grounds and department."""
    user = db.session.get(User, user_id)
    args = MultiDict()
    for param, name in FILTER_PARAMS.items():
        for value in query.getlist(param):
            args.add(name, value)
    filters = AssessmentFilterForm.from_args(args)
    statement = filters.apply(sa.select(Assessment).where(access.visible_filter(user)))
    statement = statement.options(
        selectinload(Assessment.answers).selectinload(GroundAnswer.ground),
        selectinload(Assessment.department),
    ).order_by(Assessment.created_at.desc(), Assessment.id.desc())
    result = db.paginate(statement, page=page, per_page=per_page, error_out=False, count=True)
    return {
        "items": [assessment_item(assessment) for assessment in result.items],
        "page": page,
        "per_page": per_page,
        "total": result.total,
        "pages": result.pages,
    }


QUERIES = [
    "",
    "status=approved",
    "status=draft&status=returned",
    "department=SOF",
    "ground=gender",
    "ground=religion&outcome=adjust",
    "from=2025-01-01&to=2025-12-31",
    "outcome=no_major_change",
    "status=archived",
    "district=Centrum",
    "area=OMR-HASSLE",
]


@pytest.mark.parametrize("user", ["auditor", "reviewer", "officer", "outsider"])
def test_the_lean_list_answers_as_the_whole_objects_did(app, client, varied, user):
    from flask import request

    user_id, token = varied[user]
    for query in QUERIES:
        for page, per_page in [(1, 100), (2, 3), (9, 5)]:
            path = f"/api/v1/assessments?{query}&page={page}&per_page={per_page}"
            response = client.get(path, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 200, response.get_data(as_text=True)
            with app.test_request_context(path):
                expected = old_list(user_id, request.args, page, per_page)
            assert response.get_json() == app.json.loads(app.json.dumps(expected)), path


def test_the_data_set_is_varied(app, client, varied):
    """The comparison means something: the auditor's first page holds items with and without scores, outcomes and
    submissions, and creation times that tie."""
    body = client.get("/api/v1/assessments?per_page=100", headers={"Authorization": f"Bearer {varied['auditor'][1]}"})
    items = body.get_json()["items"]
    scores = {ground["score"] for item in items for ground in item["grounds"]}
    assert {None, -2, -1, 0, 1, 2} <= scores
    assert {item["outcome"] for item in items} >= {None, "no_major_change", "adjust", "stop"}
    assert sum(item["created_at"] == TIE.isoformat() for item in items) >= 2
    assert {"code": "OMR-CENTRUM", "name": "Centrum väst", "district": "Centrum"} in [
        area for item in items for area in item["areas"]
    ]
    assert ["Norrby", "Sjöbo"] in [item["districts"] for item in items]
