"""The dashboard's summary table equals the live GROUP BY over the base tables, after saves and transitions."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from impact.assessments import operations
from impact.assessments.enums import AssessmentStatus, Impact
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.models import GroundAnswer
from impact.core.db import db
from impact.grounds.models import Ground
from impact.org.models import Department
from impact.reports import impact_counts
from impact.reports.impact_counts import ImpactCount
from impact.reports.summary import compute_summary, live_heat_rows
from tests import factories

SERVED = [
    {},
    {"department": "FFF"},
    {"status": ["approved", "submitted"]},
    {"ground": "age", "impact": "negative"},
    {"impact": "positive"},
    {"impact": "not_assessed"},
    {"date_from": "2024-01-01", "date_to": "2025-12-31"},
    {"department": "GSF", "date_from": "2026-01-01"},
]
LIVE_ONLY = [{"district": "Norrby"}, {"q": "simhall"}, {"concern": "unmitigated"}, {"date_from": "2025-01-15"}]


def _filters(args: dict) -> AssessmentFilterForm:
    return AssessmentFilterForm.from_args(MultiDict([(k, v) for k, vs in args.items() for v in _list(vs)]))


def _list(value) -> list:
    return value if isinstance(value, list) else [value]


def _table() -> dict:
    return {
        (row.department_id, row.status, row.year, row.month, row.ground_id, row.klass): row.n
        for row in db.session.scalars(sa.select(ImpactCount))
        if row.n
    }


@pytest.fixture
def data(app_ctx):
    author = factories.create_user(roles=("case_officer",), department="FFF")
    mixed = {"age": "negative", "gender": "positive", "disability": "neutral", "religion": "not_relevant"}
    made = [
        factories.create_assessment(status="approved", author=author, answers=mixed),
        factories.create_assessment(status="submitted", department="GSF", answers={"age": "significantly_negative"}),
        factories.create_assessment(status="draft", author=author, answers={"age": "neutral", "gender": "negative"}),
        factories.create_assessment(status="draft", department="GSF", answers={"gender": "cannot_assess"}),
        factories.create_assessment(status="archived", department="GSF", answers=mixed),
    ]
    made[0].created_at = datetime(2024, 5, 3, tzinfo=UTC)
    made[4].created_at = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
    db.session.commit()
    users = {
        "auditor": factories.create_user(roles=("auditor",), department="GSF", municipality_wide=True),
        "officer": author,
        "other officer": factories.create_user(roles=("case_officer",), department="GSF"),
    }
    db.session.commit()
    return made, users


def _assert_agree(users: dict) -> None:
    for user in users.values():
        for args in SERVED:
            assert not _filters(args).errors and all(_filters(args).value(name) for name in args), args
            fast = impact_counts.heat_rows(_filters(args), user)
            assert fast is not None, args
            assert sorted(fast) == sorted(live_heat_rows(_filters(args), user)), (user.email, args)
    # The incrementally kept table is exactly what a full recount gives.
    kept = _table()
    impact_counts.rebuild()
    assert _table() == kept


def test_the_table_agrees_after_loading(data):
    _assert_agree(data[1])


def test_the_table_agrees_after_saves_transitions_and_moves(data):
    made, users = data
    officer = users["officer"]
    draft = made[2]
    age = db.session.scalar(
        sa.select(Ground).where(Ground.key == "age", Ground.id.in_([a.ground_id for a in draft.answers]))
    )
    seen = operations.answer_version(draft, age)
    operations.save_ground(draft, age, officer, {"relevant": True, "impact": "negative", "mitigations": []}, seen)
    db.session.commit()
    _assert_agree(users)

    made[1].status = AssessmentStatus.draft  # a returned submission, as a status transition writes it
    made[3].department_id = db.session.scalar(sa.select(Department.id).where(Department.code == "FFF"))
    made[0].answers[0].impact = Impact.significantly_positive
    made[4].answers[0].relevant = False
    db.session.commit()
    _assert_agree(users)

    db.session.delete(db.session.scalar(sa.select(GroundAnswer).where(GroundAnswer.assessment_id == made[2].id)))
    db.session.commit()
    _assert_agree(users)


def test_a_rolled_back_change_leaves_the_table_as_it_was(data):
    made, users = data
    before = _table()
    made[0].status = AssessmentStatus.archived
    db.session.flush()
    assert _table() != before
    db.session.rollback()
    assert _table() == before


@pytest.mark.parametrize("args", LIVE_ONLY)
def test_filters_the_table_cannot_serve_fall_back_to_the_live_query(data, args):
    _made, users = data
    assert impact_counts.heat_rows(_filters(args), users["auditor"]) is None


def test_the_dashboard_shows_the_same_heat_map_either_way(data, monkeypatch):
    _made, users = data
    fast = compute_summary(_filters({}), users["auditor"]).heat
    monkeypatch.setattr(impact_counts, "heat_rows", lambda filters, user: None)
    assert compute_summary(_filters({}), users["auditor"]).heat == fast
