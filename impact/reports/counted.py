"""Dashboard figures read from the summary tables, when the filters allow; None means "count live".

The tables are keyed by department, status and creation month, so they serve the filters on department, status,
ground, impact, "needs attention: unmitigated" and periods of whole months. The overdue figures come from tables
keyed by due date and due month when the filters are on department and status only. Text search, district, area,
the approval period, the overdue concerns as filters, and periods that start or end inside a month need the live
queries in ``summary.py``, as does a user who co-authors an assessment that the visibility rule on department and status
does not cover. tests/reports/test_dashboard_counts.py proves both ways give the same figures.
"""

import sqlalchemy as sa

from impact.assessments import access
from impact.assessments.enums import AssessmentStatus
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.models import Assessment, assessment_authors
from impact.core.db import db
from impact.core.params import day_after
from impact.core.timefmt import local_today
from impact.grounds.models import Ground
from impact.org.models import Department
from impact.reports.assessment_counts import AssessmentCount
from impact.reports.due_counts import ASSESSMENT, FOLLOW_UP, KINDS, MITIGATION, DueCount, DueMonthCount
from impact.reports.impact_counts import (
    ANSWER_CLASSES,
    COUNTED_CLASSES,
    HELD,
    RECORDED,
    RELEVANT,
    UNMITIGATED,
    ImpactCount,
    ImpactTotal,
)

LIVE_ONLY_FILTERS = (
    "q",
    "district",
    "area",
    "decided_from",
    "decided_to",
    "outcome",
    "committee",
    "decision",
    "analysis_changed",
    "meeting_from",
    "quality",
    "involvement",
    "children",
    "meeting_to",
    "prediction",
    "owner_department",
)
# Concerns the summary tables keep no count of.
LIVE_ONLY_CONCERNS = ("open_mitigation", "adverse_remains")
_UNSERVED = object()


class CountedFigures:
    """Reads figures for ``user`` under ``filters`` from the summary tables; ``servable`` says whether it can."""

    def __init__(self, filters: AssessmentFilterForm, user):
        self.filters = filters
        self.months = month_bounds(filters)
        self.statuses = [value for value in filters.value("status") or [] if value in _STATUS_VALUES]
        served = (
            self.months is not None
            and not any(filters.value(name) for name in LIVE_ONLY_FILTERS)
            and filters.value("concern") not in LIVE_ONLY_CONCERNS
        )
        self.visible_states = _visible_states(user) if served else None
        self.user = user
        self.servable = self.visible_states is not None

    def heat(self) -> list[tuple[str, str, str, int]] | None:
        """(department code, ground key, class, n) over relevant answers, or None when it must be counted live."""
        if not self.servable or self.filters.value("concern"):
            return None
        klass = self.filters.value("impact")
        if klass and klass not in COUNTED_CLASSES:
            return []  # the heat map has no column for "cannot yet be assessed"
        table = self._ground_table()
        conditions = [table.c.klass.in_([klass] if klass else COUNTED_CLASSES)]
        if key := self.filters.value("ground"):
            conditions.append(_ground_is(table, key))
        return self._rows(table, table.c.n, [Department.code, Ground.key, table.c.klass], conditions)

    def assessments(self, group_by: str, **overrides) -> list[tuple] | None:
        """Assessments the filters (with ``overrides``) select, counted per ``group_by``: "department_status"
        (code, name, status, n), "quarter" (year, quarter, n) or "total" ((n,)); None when it must be live."""
        source = self._assessment_source(overrides, by_month=group_by == "quarter")
        if source is None:
            return None
        table, column, conditions = source
        order = [Department.name] if group_by == "department_status" else []
        return self._rows(table, column, _group_columns(table, group_by), conditions, order)

    def unmitigated_by_ground(self) -> list[tuple[str, int]] | None:
        """Negative answers without mitigation or justification per ground key, or None when it must be live."""
        if not self.servable or self.filters.value("impact") not in (None, "negative"):
            return None
        table = self._ground_table()
        conditions = [table.c.klass == UNMITIGATED]
        if key := self.filters.value("ground"):
            conditions.append(_ground_is(table, key))
        return self._rows(table, table.c.n, [Ground.key], conditions)

    def predictions_by_ground(self, which: str) -> list[tuple[str, int]] | None:
        """Relevant answers per ground key whose actual impact is recorded ("recorded") or is the predicted one
        ("held"), or None when they must be counted live (filters on the impact or a concern narrow the answers)."""
        if not self.servable or self.filters.value("impact") or self.filters.value("concern"):
            return None
        table = self._ground_table()
        conditions = [table.c.klass == which]
        if key := self.filters.value("ground"):
            conditions.append(_ground_is(table, key))
        return self._rows(table, table.c.n, [Ground.key], conditions)

    def overdue(self) -> tuple[int, int, int] | None:
        """(overdue mitigations, assessments with one, overdue follow-ups) as of today, or None when they must be
        counted live (filters on the period, ground, impact or "needs attention" narrow them per answer)."""
        if not self.servable or self.months != (None, None):
            return None
        if any(self.filters.value(name) for name in ("ground", "impact", "concern")):
            return None
        today = local_today()
        months, days = DueMonthCount.__table__, DueCount.__table__
        before_this_month = sa.tuple_(months.c.year, months.c.month) < sa.tuple_(today.year, today.month)
        figures = dict.fromkeys(KINDS, 0)
        for table, conditions in (
            (months, [before_this_month]),
            # Naming every kind lets the key (kind, due, ...) serve the range on the date.
            (days, [days.c.kind.in_(KINDS), days.c.due >= today.replace(day=1), days.c.due < today]),
        ):
            for kind, n in self._rows(table, table.c.n, [table.c.kind], conditions):
                figures[kind] += n
        return figures[MITIGATION], figures[ASSESSMENT], figures[FOLLOW_UP]

    def _ground_table(self, by_month: bool = False) -> sa.Table:
        """Per month when the filters have a period or months are counted, else the totals over all months."""
        return (ImpactCount if by_month or self.months != (None, None) else ImpactTotal).__table__

    def _assessment_source(self, overrides: dict, by_month: bool):
        """The table, the column counting assessments, and extra conditions, for the filters with ``overrides``."""
        if not self.servable:
            return None
        ground = self.filters.value("ground", overrides)
        impact = self.filters.value("impact", overrides)
        concern = self.filters.value("concern", overrides)
        prediction = self.filters.value("prediction", overrides)
        if prediction is not None:
            if prediction not in (RECORDED, HELD) or concern is not None or impact is not None:
                return None
            kind = prediction
        elif concern == "unmitigated" and impact in (None, "negative"):
            kind = UNMITIGATED
        elif concern is None and impact in (None, *ANSWER_CLASSES):
            kind = impact
        else:
            return None
        if ground:
            # One answer per ground and assessment: answers of that kind on the ground count assessments.
            table = self._ground_table(by_month)
            return table, table.c.n, [table.c.klass == (kind or RELEVANT), _ground_is(table, ground)]
        table = AssessmentCount.__table__
        return table, table.c[kind or "n"], []

    def _rows(self, table: sa.Table, column, group_by: list, conditions: list, order: list = ()) -> list[tuple]:
        """SUM(``column``) per ``group_by`` over the rows the user may see under the filters."""
        conditions = [*conditions, *self._scope(table)]
        total = sa.func.sum(column)
        statement = (
            sa.select(*group_by, total)
            .select_from(table)
            .join(Department, Department.id == table.c.department_id)
            .where(*conditions)
        )
        if "ground_id" in table.c:
            statement = statement.join(Ground, Ground.id == table.c.ground_id)
        if group_by:
            statement = statement.group_by(*group_by).having(total > 0).order_by(*order)
        return [(*row[:-1], int(row[-1] or 0)) for row in db.session.execute(statement)]

    def _scope(self, table: sa.Table) -> list[sa.ColumnElement[bool]]:
        """Visibility, status, department and period as conditions on a summary table's key columns."""
        conditions = [sa.or_(table.c.status.in_(self.visible_states), table.c.department_id == self.user.department_id)]
        if self.statuses:
            conditions.append(table.c.status.in_(self.statuses))
        return conditions + department_and_period(table, self.filters, self.months)


def department_and_period(table: sa.Table, filters: AssessmentFilterForm, months) -> list[sa.ColumnElement[bool]]:
    """The department filter and the period (whole months, see ``month_bounds``) on a summary table's columns;
    a table without months (the totals) is only read when there is no period."""
    conditions = []
    if code := filters.value("department"):
        department = sa.select(Department.id).where(Department.code == code).scalar_subquery()
        conditions.append(table.c.department_id == department)
    first, last = months
    if first or last:
        period = sa.tuple_(table.c.year, table.c.month)
        if first:
            conditions.append(period >= sa.tuple_(*first))
        if last:
            conditions.append(period <= sa.tuple_(*last))
    return conditions


_STATUS_VALUES = {status.value for status in AssessmentStatus}


def _group_columns(table: sa.Table, group_by: str) -> list:
    if group_by == "department_status":
        return [Department.code, Department.name, table.c.status]
    if group_by == "quarter":
        return [table.c.year, ((table.c.month + 2) // 3).label("quarter")]
    return []


def _ground_is(table: sa.Table, key: str) -> sa.ColumnElement[bool]:
    return table.c.ground_id.in_(sa.select(Ground.id).where(Ground.key == key))


def month_bounds(filters: AssessmentFilterForm) -> tuple[tuple[int, int] | None, tuple[int, int] | None] | None:
    """The period as whole months (first, last), or None if it does not start and end on month boundaries."""
    start, end = filters.value("date_from"), filters.value("date_to")
    if start and start.day != 1:
        return None
    if end and (after := day_after(end)) is not None and after.day != 1:
        return None
    return ((start.year, start.month) if start else None, (end.year, end.month) if end else None)


def _visible_states(user) -> list[str] | None:
    """The statuses ``user`` may see in every department (besides all of their own department's), or None if
    the rule on department and status does not cover what the user may see."""
    if not user.is_authenticated:
        return None
    states = [state.value for state in access.PUBLIC_STATES]
    if access.wide_reader(user):
        states.append(AssessmentStatus.submitted.value)
    # Co-authorship is per assessment; if the user co-authors something the rule above misses, count live.
    outside = db.session.scalar(
        sa.select(sa.literal(1))
        .select_from(assessment_authors.join(Assessment, Assessment.id == assessment_authors.c.assessment_id))
        .where(
            assessment_authors.c.user_id == user.id,
            Assessment.status.not_in([AssessmentStatus(state) for state in states]),
            Assessment.department_id != user.department_id,
        )
        .limit(1)
    )
    return None if outside else states
