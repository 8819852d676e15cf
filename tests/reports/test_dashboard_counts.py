"""The dashboard's summary tables give exactly the figures of the live GROUP BYs, after every kind of change.

``impact_counts`` and ``assessment_counts`` are kept by flush listeners (impact/reports/derived.py); the
dashboard reads them through ``CountedFigures`` when the filters allow. These tests compare every figure of
``compute_summary`` with the figures computed live from the base tables, for many filters and users, after loading,
saves, mitigation changes, transitions, department moves and deletions; and the kept tables with a full recount.
"""

from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from impact.assessments import operations
from impact.assessments.cumulative import NegativeImpact
from impact.assessments.enums import AssessmentStatus, Impact, MitigationStatus
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.core.db import db
from impact.grounds.models import Ground
from impact.org.models import Department
from impact.reports import derived, summary
from impact.reports.assessment_counts import AssessmentCount
from impact.reports.counted import CountedFigures
from impact.reports.district_counts import DistrictAssessmentCount, DistrictCount, DistrictTotal, district_rows
from impact.reports.due_counts import DueCount, DueMonthCount
from impact.reports.impact_counts import ImpactCount, ImpactTotal
from impact.reports.summary import compute_summary, district_summary
from tests import factories

SERVED = [
    {},
    {"department": "FFF"},
    {"status": ["approved", "submitted"]},
    {"ground": "age"},
    {"ground": "age", "impact": "negative"},
    {"ground": "gender", "impact": "positive", "status": "draft"},
    {"impact": "positive"},
    {"impact": "negative"},
    {"impact": "not_assessed"},
    {"concern": "unmitigated"},
    {"concern": "unmitigated", "ground": "age"},
    {"date_from": "2024-01-01", "date_to": "2025-12-31"},
    {"department": "GSF", "date_from": "2026-01-01"},
    {"department": "GSF", "date_to": "2025-12-31", "impact": "neutral"},
]
LIVE_ONLY = [
    {"district": "Norrby"},
    {"q": "förslag"},
    {"date_from": "2025-01-15"},
    {"date_to": "2025-12-30"},
    {"concern": "overdue_mitigation"},
    {"concern": "overdue_follow_up"},
]


TABLES = (
    ImpactCount,
    ImpactTotal,
    AssessmentCount,
    DueCount,
    DueMonthCount,
    DistrictAssessmentCount,
    DistrictCount,
    DistrictTotal,
    NegativeImpact,
)
DISTRICTS_SERVED = [
    {},
    {"department": "GSF"},
    {"district": "Norrby"},
    {"date_from": "2024-01-01", "date_to": "2024-12-31"},
]


def _filters(args: dict) -> AssessmentFilterForm:
    return AssessmentFilterForm.from_args(MultiDict([(k, v) for k, vs in args.items() for v in _list(vs)]))


def _list(value) -> list:
    return value if isinstance(value, list) else [value]


def _tables() -> dict:
    kept = {}
    for model in TABLES:
        table = model.__table__
        key = [column.name for column in table.primary_key]
        for row in db.session.execute(sa.select(table)):
            values = row._asdict()
            if any(value for name, value in values.items() if name not in key):  # a kept row may fall to zero
                kept[(table.name, *(values[name] for name in key))] = values
    return kept


class LiveOnly(CountedFigures):
    def __init__(self, filters, user):
        super().__init__(filters, user)
        self.servable = False


def _live_summary(filters, user, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(summary, "CountedFigures", LiveOnly)
        return compute_summary(filters, user)


@pytest.fixture
def data(app_ctx):
    author = factories.create_user(roles=("case_officer",), department="FFF")
    overdue = date.today() - timedelta(days=3)
    mixed = {
        "age": {"impact": "negative", "mitigations": [{"due_date": overdue}]},
        "gender": "positive",
        "disability": "neutral",
        "religion": "not_relevant",
        "ethnicity": "significantly_negative",
    }
    made = [
        factories.create_assessment(status="approved", author=author, answers=mixed, follow_up_date=overdue),
        factories.create_assessment(status="submitted", department="GSF", answers={"age": "significantly_negative"}),
        factories.create_assessment(status="draft", author=author, answers={"age": "neutral", "gender": "negative"}),
        factories.create_assessment(status="draft", department="GSF", answers={"gender": "cannot_assess"}),
        factories.create_assessment(status="archived", department="GSF", answers=mixed),
        factories.create_assessment(status="approved", department="GSF", answers={}),
        # Overdue for months (the month table), and due on the first of this month (the day table's first day).
        factories.create_assessment(
            status="approved",
            department="GSF",
            follow_up_date=date.today() - timedelta(days=70),
            answers={
                "age": {
                    "impact": "negative",
                    "mitigations": [
                        {"due_date": date.today() - timedelta(days=40)},
                        {"due_date": date.today().replace(day=1)},
                        {"due_date": date.today() + timedelta(days=40), "status": MitigationStatus.in_progress},
                    ],
                },
            },
        ),
    ]
    made[0].created_at = datetime(2024, 5, 3, tzinfo=UTC)
    made[4].created_at = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
    made[5].created_at = datetime(2025, 2, 1, tzinfo=UTC)
    db.session.commit()
    users = {
        "auditor": factories.create_user(roles=("auditor",), department="GSF", municipality_wide=True),
        "officer": author,
        "other officer": factories.create_user(roles=("case_officer",), department="GSF"),
    }
    db.session.commit()
    return made, users


def _assert_agree(users: dict, monkeypatch) -> None:
    for user in users.values():
        for args in SERVED:
            filters = _filters(args)
            assert not filters.errors and all(filters.value(name) for name in args), args
            counted = CountedFigures(filters, user)
            assert counted.servable, args
            assert counted.assessments("department_status") is not None, args
            fast = compute_summary(filters, user)
            assert fast == _live_summary(filters, user, monkeypatch), (user.email, args)
    for args in DISTRICTS_SERVED:
        filters = _filters(args)
        assert district_rows(filters) is not None, args
        with monkeypatch.context() as patch:
            patch.setattr(summary, "district_rows", lambda _filters: None)
            live = district_summary(filters, users["auditor"])
        assert district_summary(filters, users["auditor"]) == live, args
    # The incrementally kept tables are exactly what a full recount gives.
    kept = _tables()
    derived.rebuild_all()
    assert _tables() == kept


def test_the_tables_agree_after_loading(data, monkeypatch):
    made, users = data
    _assert_agree(users, monkeypatch)
    # The data has something in every figure, so agreement is not agreement on zeros.
    figures = compute_summary(_filters({}), users["auditor"])
    assert figures.unmitigated_assessments and figures.unmitigated_by_ground and figures.negative_by_quarter
    assert figures.overdue_mitigations and figures.overdue_follow_ups
    assert figures.overdue_mitigations > figures.overdue_mitigation_assessments


def test_the_tables_agree_after_saves_transitions_and_moves(data, monkeypatch):
    made, users = data
    officer = users["officer"]
    draft = made[2]
    age = db.session.scalar(
        sa.select(Ground).where(Ground.key == "age", Ground.id.in_([a.ground_id for a in draft.answers]))
    )
    seen = operations.answer_version(draft, age)
    operations.save_ground(draft, age, officer, {"relevant": True, "impact": "negative", "mitigations": []}, seen)
    db.session.commit()
    _assert_agree(users, monkeypatch)

    made[1].status = AssessmentStatus.draft  # a returned submission, as a status transition writes it
    made[3].department_id = db.session.scalar(sa.select(Department.id).where(Department.code == "FFF"))
    made[0].answers[0].impact = Impact.significantly_positive
    made[4].answers[0].relevant = False
    db.session.commit()
    _assert_agree(users, monkeypatch)

    # Follow-up: a new follow-up date, outcomes recorded, a mitigation moved to another due date.
    made[6].follow_up_date = date.today() + timedelta(days=10)
    for number, answer in enumerate(made[0].answers):
        answer.actual_outcome = "Utfallet blev som väntat."
        # Actual impacts: as predicted on every other answer, otherwise neutral.
        answer.actual_impact = answer.impact if number % 2 == 0 and answer.impact else Impact.neutral
    made[6].answers[0].mitigations[0].due_date = date.today() - timedelta(days=400)
    db.session.commit()
    assert compute_summary(_filters({}), users["auditor"]).predictions("recorded") > 0
    _assert_agree(users, monkeypatch)

    # Districts: an approved assessment moves to other districts.
    made[0].districts = [factories.ensure_district("Sjöbo"), factories.ensure_district("Hässleholmen")]
    db.session.commit()
    assert [row.assessments for row in district_summary(_filters({"district": "Sjöbo"}), users["auditor"])[0]] == [1]
    _assert_agree(users, monkeypatch)

    db.session.delete(db.session.scalar(sa.select(GroundAnswer).where(GroundAnswer.assessment_id == made[2].id)))
    db.session.delete(made[5])
    db.session.commit()
    _assert_agree(users, monkeypatch)


def test_mitigations_move_the_unmitigated_figures(data, monkeypatch):
    made, users = data
    auditor = users["auditor"]
    before = compute_summary(_filters({}), auditor).unmitigated_assessments
    # The submitted assessment's negative answer gets a mitigation: it is no longer unmitigated.
    answer = made[1].answers[0]
    mitigation = Mitigation(
        description="Åtgärd", responsible="Enhetschef", assessment=answer.assessment, answers=[answer]
    )
    db.session.add(mitigation)
    db.session.commit()
    assert compute_summary(_filters({}), auditor).unmitigated_assessments == before - 1
    _assert_agree(users, monkeypatch)
    # Dropped, it no longer counts as a mitigation.
    mitigation.status, mitigation.dropped_reason = MitigationStatus.dropped, "Ersatt av annan åtgärd."
    db.session.commit()
    assert compute_summary(_filters({}), auditor).unmitigated_assessments == before
    _assert_agree(users, monkeypatch)
    # A justification for accepting the impact takes it off the list as well; deleting the mitigation changes nothing.
    answer.acceptance_justification = "Nödvändigt av säkerhetsskäl."
    db.session.delete(mitigation)
    db.session.commit()
    assert compute_summary(_filters({}), auditor).unmitigated_assessments == before - 1
    _assert_agree(users, monkeypatch)


def test_a_rolled_back_change_leaves_the_tables_as_they_were(data):
    made, users = data
    before = _tables()
    made[0].status = AssessmentStatus.archived
    db.session.flush()
    assert derived.pending_changes(db.session), "the flush's changes are counted, to be written at commit"
    db.session.rollback()
    assert not derived.pending_changes(db.session)
    assert _tables() == before
    db.session.commit()  # a later commit writes nothing of the change that was rolled back
    assert _tables() == before


def test_changes_of_several_flushes_are_written_once_at_commit(data, monkeypatch):
    made, users = data
    before = _tables()
    made[0].status = AssessmentStatus.archived
    db.session.flush()
    made[0].follow_up_date = date(2020, 1, 31)  # and now overdue
    db.session.flush()
    assert _tables() == before, "summary rows are locked and written only at commit"
    db.session.commit()
    assert _tables() != before
    _assert_agree(users, monkeypatch)


@pytest.mark.parametrize("args", LIVE_ONLY)
def test_filters_the_tables_cannot_serve_are_counted_live_and_agree(data, args, monkeypatch):
    _made, users = data
    filters = _filters(args)
    counted = CountedFigures(filters, users["auditor"])
    assert counted.heat() is None and counted.assessments("department_status") is None
    assert compute_summary(filters, users["auditor"]) == _live_summary(filters, users["auditor"], monkeypatch)


def test_a_co_author_outside_the_rule_is_counted_live(data):
    made, users = data
    other = users["other officer"]  # GSF; co-authors an FFF draft the department/status rule does not cover
    made[2].authors.append(other)
    db.session.commit()
    assert not CountedFigures(_filters({}), other).servable
    figures = compute_summary(_filters({}), other)
    assert figures.by_department_status.get(("FFF", "draft")) == 1


@contextmanager
def _statements():
    seen: list[str] = []

    def listener(_conn, _cursor, statement, *_args):
        seen.append(statement.lower())

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)


def test_the_dashboard_reads_the_tables_in_a_fixed_number_of_queries(data):
    _made, users = data
    filters = _filters({"department": "FFF", "date_from": "2024-01-01"})
    with _statements() as few:
        compute_summary(filters, users["auditor"])
    for _ in range(5):
        factories.create_assessment(status="approved", answers={"age": "negative", "gender": "positive"})
    db.session.commit()
    with _statements() as more:
        compute_summary(filters, users["auditor"])
    assert len(more) == len(few)
    # Only the overdue figures (they depend on today's date) read the base tables, on indexed columns; and the
    # overdue mitigations per owner's department, which are always counted live. The predictions come from the tables.
    base = [statement for statement in more if "ground_answers" in statement]
    assert not [s for s in base if "actual_impact" in s]
    live = [s for s in base if "owner_id" in s]
    assert len(live) == 1, live
    base = [s for s in base if s not in live]
    assert len(base) == 2 and all("due_date" in s or "follow_up_date" in s for s in base), base


def test_a_bulk_change_that_would_bypass_the_counts_is_refused(data):
    made, users = data
    before = _tables()
    moved = sa.update(Assessment).where(Assessment.id == made[0].id).values(status=AssessmentStatus.archived)
    with pytest.raises(derived.UncountedBulkChange):
        db.session.execute(moved)
    with pytest.raises(derived.UncountedBulkChange):
        db.session.execute(sa.delete(Mitigation))
    db.session.rollback()
    # A column no figure reads may be set in bulk: it cannot change a count.
    db.session.execute(sa.update(Assessment).values(updated_at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.session.commit()
    assert _tables() == before


def test_a_bulk_change_inside_recounting_is_followed_by_a_full_recount(data, monkeypatch):
    made, users = data
    with derived.recounting():
        db.session.execute(
            sa.update(Assessment).where(Assessment.id == made[0].id).values(status=AssessmentStatus.archived)
        )
        db.session.execute(sa.delete(Mitigation))
    db.session.commit()
    assert db.session.get(Assessment, made[0].id).status == AssessmentStatus.archived
    _assert_agree(users, monkeypatch)


def test_the_columns_that_trigger_a_recount_come_from_the_table_definitions():
    counted = derived.counted_columns()
    assert counted[Assessment] >= {"department_id", "status", "created_at", "follow_up_date", "districts"}
    assert counted[GroundAnswer] >= {"ground_id", "relevant", "impact", "acceptance_justification", "actual_outcome"}
    assert counted[GroundAnswer] >= {"mitigations"}  # an action linked to a ground, or unlinked
    assert counted[Mitigation] >= {"assessment_id", "status", "due_date", "answers"}
    assert "title" not in counted[Assessment]
    # A new derived table that reads another column is covered without a list to keep by hand.
    by_title = derived.DerivedTable(
        AssessmentCount.__table__,
        key=("department_id",),
        values=("n",),
        contributions=lambda where: sa.select(Assessment.department_id, sa.func.count(Assessment.title)),
    )
    derived.register(by_title)
    try:
        assert "title" in derived.counted_columns()[Assessment]
    finally:
        derived.TABLES.remove(by_title)
        derived.read_columns.cache_clear()
        derived.counted_columns.cache_clear()
    assert "title" not in derived.counted_columns()[Assessment]
