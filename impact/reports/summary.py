"""The dashboard's figures, computed by the database with GROUP BY over the shared filters.

Every figure is a count of assessments (or of ground answers, of which an assessment has at most one per ground)
selected by ``filters.apply(..., **overrides)``; the link to the list behind it is ``filters.to_args(**overrides)``,
so the number shown and the list opened always agree. The number of queries is fixed, whatever the data.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from impact.assessments import access, due
from impact.assessments.enums import IN_FORCE, AssessmentStatus
from impact.assessments.filters import IMPACT_CLASSES, NO_OWNER, AssessmentFilterForm
from impact.assessments.models import Assessment, GroundAnswer, Mitigation, assessment_districts, mitigation_grounds
from impact.auth.models import User
from impact.core.db import db
from impact.core.timefmt import local_timestamp, local_today
from impact.grounds.models import Ground, reportable_ground_names
from impact.org.models import Department, District
from impact.reports.counted import CountedFigures
from impact.reports.district_counts import district_rows
from impact.reports.impact_counts import HELD, RECORDED

HEAT_CLASSES = ("negative", "neutral", "positive")


@dataclass
class Summary:
    """All dashboard figures; plain data so the page, the CSV and the API share it."""

    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    departments: list[tuple[str, str]] = field(default_factory=list)  # (code, name) that have figures
    by_department_status: dict[tuple[str, str], int] = field(default_factory=dict)
    grounds: list[tuple[str, str]] = field(default_factory=list)  # (key, name) in template order
    heat: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (department, ground, class) -> n
    heat_by_ground: dict[tuple[str, str], int] = field(default_factory=dict)  # (ground, class) -> n
    most_negative_ground: str | None = None
    unmitigated_assessments: int = 0
    unmitigated_by_ground: dict[str, int] = field(default_factory=dict)
    overdue_mitigations: int = 0
    overdue_mitigation_assessments: int = 0
    overdue_follow_ups: int = 0
    quarters: list[tuple[int, int]] = field(default_factory=list)
    by_quarter: dict[tuple[int, int], int] = field(default_factory=dict)
    negative_by_quarter: dict[tuple[int, int], int] = field(default_factory=dict)
    # At follow-up: relevant grounds (and their assessments) whose actual impact is recorded, and those where it is
    # the predicted one.
    predictions_by_ground: dict[tuple[str, str], int] = field(default_factory=dict)  # (ground, recorded|held) -> n
    prediction_assessments: dict[str, int] = field(default_factory=dict)  # recorded|held -> assessments
    # Overdue mitigations per department of their owner: (code or NO_OWNER, name, mitigations, assessments).
    overdue_by_owner_department: list[tuple[str, str, int, int]] = field(default_factory=list)

    def predictions(self, which: str) -> int:
        """Relevant grounds with an actual impact recorded ("recorded"), or where it is the predicted one ("held")."""
        return sum(count for (_key, kind), count in self.predictions_by_ground.items() if kind == which)

    def ground_name(self, key: str) -> str:
        return dict(self.grounds).get(key, key)

    def status_items(self, statuses) -> list[tuple[str, int]]:
        return [(status.label, self.by_status.get(status.value, 0)) for status in statuses]

    def negative_grid(self) -> dict[tuple[int, int], int]:
        """Negative impacts as {(department row, ground column): n} for the heat map."""
        return {
            (row, column): self.heat.get((code, key, "negative"), 0)
            for row, (code, _name) in enumerate(self.departments)
            for column, (key, _gname) in enumerate(self.grounds)
        }

    def quarter_labels(self) -> list[str]:
        return [f"{year} Q{quarter}" for year, quarter in self.quarters]

    def quarter_series(self, which: str) -> list[int]:
        source = self.negative_by_quarter if which == "negative" else self.by_quarter
        return [source.get(quarter, 0) for quarter in self.quarters]


def heat_classes_for(filters: AssessmentFilterForm) -> tuple[str, ...]:
    """The impact classes a heat map shows: only the chosen one when the filters pick an impact."""
    chosen = filters.value("impact")
    return tuple(klass for klass in HEAT_CLASSES if not chosen or klass == chosen)


def statuses_for(filters: AssessmentFilterForm) -> list[AssessmentStatus]:
    """The status columns to show: only the chosen ones when the filters pick statuses."""
    chosen = filters.value("status") or []
    return [status for status in AssessmentStatus if not chosen or status.value in chosen]


def _ids(filters: AssessmentFilterForm, user, **overrides) -> sa.Select:
    """The ids of the visible assessments the filters (with ``overrides``) select."""
    # Never correlated: it is used inside queries that select from assessments and ground answers themselves.
    statement = sa.select(Assessment.id).where(access.visible_filter(user)).correlate(None)
    return filters.apply(statement, **overrides)


def _impact_class() -> sa.Case:
    return sa.case(
        *((GroundAnswer.impact.in_(impacts), name) for name, impacts in IMPACT_CLASSES.items() if name in HEAT_CLASSES),
        else_=None,
    )


def quarter_of(column) -> tuple[sa.ColumnElement[int], sa.ColumnElement[int]]:
    """Year and quarter of a timestamp in local time, portable across SQLite and PostgreSQL."""
    column = local_timestamp(column)
    year = sa.cast(sa.extract("year", column), sa.Integer)
    month = sa.cast(sa.extract("month", column), sa.Integer)
    return year, (month + 2) // 3


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - timedelta(days=1)
    return start, end


def quarter_args(filters: AssessmentFilterForm, year: int, quarter: int) -> dict:
    """The period overrides for one quarter, kept inside the period the filters already ask for."""
    start, end = quarter_bounds(year, quarter)
    if (chosen := filters.value("date_from")) and chosen > start:
        start = chosen
    if (chosen := filters.value("date_to")) and chosen < end:
        end = chosen
    return {"date_from": start, "date_to": end}


def _answer_heat(filters: AssessmentFilterForm, user, group_by: list, **overrides) -> sa.Select:
    """Relevant answers of the selected assessments that meet the answer filters, counted per ``group_by``."""
    klass = _impact_class().label("klass")
    return (
        sa.select(*group_by, klass, sa.func.count(GroundAnswer.id))
        .join(Ground, Ground.id == GroundAnswer.ground_id)
        .join(Assessment, Assessment.id == GroundAnswer.assessment_id)
        .where(
            GroundAnswer.assessment_id.in_(_ids(filters, user, **overrides)),
            GroundAnswer.relevant.is_(True),
            klass.is_not(None),
            *filters.answer_conditions(**overrides),
        )
        .group_by(*group_by, klass)
    )


def live_heat_rows(filters: AssessmentFilterForm, user) -> list[tuple[str, str, str, int]]:
    """(department code, ground key, class, n) by GROUP BY over assessments and ground answers."""
    statement = _answer_heat(filters, user, [Department.code, Ground.key]).join(
        Department, Department.id == Assessment.department_id
    )
    return [tuple(row) for row in db.session.execute(statement)]


def compute_summary(filters: AssessmentFilterForm, user) -> Summary:
    """Every dashboard figure for ``user`` under ``filters``; a fixed number of queries.

    Figures come from the summary tables where the filters allow (``counted.py``), else from live GROUP BYs over
    the base tables.
    """
    summary = Summary()
    counted = CountedFigures(filters, user)
    summary.grounds = _grounds(filters)

    rows = counted.assessments("department_status")
    if rows is None:
        rows = _live_department_status(filters, user)
    departments = {}
    for code, name, status, count in rows:
        status = getattr(status, "value", status)
        departments[code] = name
        summary.by_department_status[(code, status)] = count
        summary.by_status[status] = summary.by_status.get(status, 0) + count
        summary.total += count
    summary.departments = list(departments.items())

    heat = counted.heat()
    if heat is None:
        heat = live_heat_rows(filters, user)
    for code, key, klass, count in heat:
        summary.heat[(code, key, klass)] = count
        summary.heat_by_ground[(key, klass)] = summary.heat_by_ground.get((key, klass), 0) + count
    negatives = [(count, key) for (key, klass), count in summary.heat_by_ground.items() if klass == "negative"]
    if negatives:
        # Ties go to the ground listed first, so the answer is stable.
        order = {key: position for position, (key, _name) in enumerate(summary.grounds)}
        summary.most_negative_ground = max(negatives, key=lambda item: (item[0], -order.get(item[1], 99)))[1]

    total = counted.assessments("total", concern="unmitigated")
    summary.unmitigated_assessments = total[0][0] if total is not None else _live_total(filters, user, "unmitigated")
    by_ground = counted.unmitigated_by_ground()
    if by_ground is None:
        by_ground = _live_unmitigated_by_ground(filters, user)
    summary.unmitigated_by_ground = dict(by_ground)

    overdue = counted.overdue()
    if overdue is None:
        overdue = (*_live_overdue_mitigations(filters, user), _live_total(filters, user, "overdue_follow_up"))
    summary.overdue_mitigations, summary.overdue_mitigation_assessments, summary.overdue_follow_ups = overdue

    for overrides, target in (({}, summary.by_quarter), ({"impact": "negative"}, summary.negative_by_quarter)):
        rows = counted.assessments("quarter", **overrides)
        if rows is None:
            rows = _live_by_quarter(filters, user, **overrides)
        for y, q, count in rows:
            target[(int(y), int(q))] = count
    summary.quarters = _quarter_range(list(summary.by_quarter))
    for which in PREDICTIONS:
        by_ground = counted.predictions_by_ground(which)
        if by_ground is None:
            by_ground = _live_predictions_by_ground(filters, user, which)
        for key, count in by_ground:
            summary.predictions_by_ground[(key, which)] = count
        total = counted.assessments("total", prediction=which)
        summary.prediction_assessments[which] = (
            total[0][0] if total is not None else _live_total(filters, user, concern=None, prediction=which)
        )
    # Counted live: the summary tables keep no count of mitigations per their owner's department.
    summary.overdue_by_owner_department = _live_overdue_by_owner_department(filters, user)
    return summary


def _live_department_status(filters: AssessmentFilterForm, user) -> list[tuple]:
    return session_rows(
        sa.select(Department.code, Department.name, Assessment.status, sa.func.count(Assessment.id))
        .join(Department, Department.id == Assessment.department_id)
        .where(Assessment.id.in_(_ids(filters, user)))
        .group_by(Department.code, Department.name, Assessment.status)
        .order_by(Department.name)
    )


def _live_total(filters: AssessmentFilterForm, user, concern: str | None, **overrides) -> int:
    """Assessments the filters select with ``concern`` (None: the filters' own) and ``overrides``."""
    if concern is not None:
        overrides["concern"] = concern
    return db.session.scalar(sa.select(sa.func.count()).select_from(_ids(filters, user, **overrides).subquery()))


PREDICTIONS = (RECORDED, HELD)


def _live_predictions_by_ground(filters: AssessmentFilterForm, user, which: str) -> list[tuple]:
    """Per ground, the relevant answers whose actual impact is recorded, or is the predicted one (``which``); an
    assessment has one answer per ground, so each count is that of the list filtered on the ground and ``which``."""
    return session_rows(
        sa.select(Ground.key, sa.func.count(GroundAnswer.id))
        .join(Ground, Ground.id == GroundAnswer.ground_id)
        .where(
            GroundAnswer.assessment_id.in_(_ids(filters, user, prediction=which)),
            *filters.answer_conditions(prediction=which),
        )
        .group_by(Ground.key)
    )


def _live_overdue_by_owner_department(filters: AssessmentFilterForm, user) -> list[tuple[str, str, int, int]]:
    """Overdue mitigations per department of their owner (mitigations without an owner last), and the assessments
    they belong to: one GROUP BY. The filters' own choice of owner's department is left to the page."""
    owner = sa.orm.aliased(User)
    department = sa.orm.aliased(Department)
    code = sa.func.coalesce(department.code, NO_OWNER)
    statement = (
        sa.select(
            code.label("code"),
            department.name,
            # An action addressing two of the answers counts once.
            sa.func.count(sa.distinct(Mitigation.id)),
            sa.func.count(sa.distinct(GroundAnswer.assessment_id)),
        )
        .select_from(Assessment)
        .join(GroundAnswer, GroundAnswer.assessment_id == Assessment.id)
        .join(mitigation_grounds, mitigation_grounds.c.ground_answer_id == GroundAnswer.id)
        .join(Mitigation, Mitigation.id == mitigation_grounds.c.mitigation_id)
        .outerjoin(owner, owner.id == Mitigation.owner_id)
        .outerjoin(department, department.id == owner.department_id)
        .where(
            access.visible_filter(user),
            *filters.answer_conditions(concern="", owner_department=""),
            due.overdue_mitigation(local_today()),
        )
        .group_by(code, department.name)
        .order_by(department.name.is_(None), department.name)
    )
    statement = filters.apply(statement, concern="", owner_department="")
    chosen = filters.value("owner_department")
    return [row for row in session_rows(statement) if not chosen or row[0] == chosen]


def _live_unmitigated_by_ground(filters: AssessmentFilterForm, user) -> list[tuple]:
    return session_rows(
        sa.select(Ground.key, sa.func.count(GroundAnswer.id))
        .join(Ground, Ground.id == GroundAnswer.ground_id)
        .where(
            GroundAnswer.assessment_id.in_(_ids(filters, user, concern="unmitigated")),
            *filters.answer_conditions(concern="unmitigated"),
        )
        .group_by(Ground.key)
    )


def _live_overdue_mitigations(filters: AssessmentFilterForm, user) -> tuple[int, int]:
    """Open mitigations of relevant answers past their due date, and the assessments they belong to."""
    statement = (
        sa.select(sa.func.count(sa.distinct(Mitigation.id)), sa.func.count(sa.distinct(GroundAnswer.assessment_id)))
        .select_from(Assessment)
        .join(GroundAnswer, GroundAnswer.assessment_id == Assessment.id)
        .join(mitigation_grounds, mitigation_grounds.c.ground_answer_id == GroundAnswer.id)
        .join(Mitigation, Mitigation.id == mitigation_grounds.c.mitigation_id)
        .where(
            access.visible_filter(user),
            *filters.answer_conditions(concern=""),  # the ground and impact filters hold for the same answer
            due.overdue_mitigation(local_today()),
        )
    )
    return tuple(db.session.execute(filters.apply(statement, concern="")).one())


def _live_by_quarter(filters: AssessmentFilterForm, user, **overrides) -> list[tuple]:
    year, quarter = quarter_of(Assessment.created_at)
    return session_rows(
        sa.select(year.label("y"), quarter.label("q"), sa.func.count(Assessment.id))
        .where(Assessment.id.in_(_ids(filters, user, **overrides)))
        .group_by("y", "q")
    )


def session_rows(statement: sa.Select) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(statement)]


def _quarter_range(present: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every quarter from the first to the last with data, so gaps show as zero."""
    if not present:
        return []
    first, last = min(present), max(present)
    quarters, current = [], first
    while current <= last:
        quarters.append(current)
        current = (current[0] + (current[1] == 4), current[1] % 4 + 1)
    return quarters


def _grounds(filters: AssessmentFilterForm) -> list[tuple[str, str]]:
    """The reportable grounds, named in the user's language; only the filtered one if a ground is chosen."""
    chosen = filters.value("ground")
    return [(key, name) for key, name in reportable_ground_names() if not chosen or key == chosen]


@dataclass
class DistrictRow:
    name: str
    assessments: int
    impacts: dict[tuple[str, str], int]  # (ground, class) -> n


def district_summary(filters: AssessmentFilterForm, user) -> tuple[list[DistrictRow], list[tuple[str, str]]]:
    """Per district: assessments in force (approved or decided) touching it and their impacts per ground (three
    queries)."""
    approved = {"status": [state.value for state in IN_FORCE]}
    grounds = _grounds(filters)
    counted = district_rows(filters)
    if counted is not None:
        counts, impacts = counted
    else:
        counts, impacts = _live_districts(filters, user, approved)
    chosen = filters.value("district")
    names = db.session.scalars(sa.select(District.name).where(District.active.is_(True)).order_by(District.name))
    rows = [
        DistrictRow(name, counts.get(name, 0), impacts.get(name, {})) for name in names if not chosen or name == chosen
    ]
    return rows, grounds


def _live_districts(filters: AssessmentFilterForm, user, approved: dict) -> tuple[dict[str, int], dict[str, dict]]:
    counts = dict(
        db.session.execute(
            sa.select(District.name, sa.func.count(assessment_districts.c.assessment_id))
            .join(assessment_districts, assessment_districts.c.district_id == District.id)
            .where(assessment_districts.c.assessment_id.in_(_ids(filters, user, **approved)))
            .group_by(District.name)
        ).all()
    )
    klass = _impact_class().label("klass")
    impacts: dict[str, dict] = {}
    for district, key, klass_value, count in db.session.execute(
        sa.select(District.name, Ground.key, klass, sa.func.count(GroundAnswer.id))
        .join(Ground, Ground.id == GroundAnswer.ground_id)
        .join(assessment_districts, assessment_districts.c.assessment_id == GroundAnswer.assessment_id)
        .join(District, District.id == assessment_districts.c.district_id)
        .where(
            GroundAnswer.assessment_id.in_(_ids(filters, user, **approved)),
            GroundAnswer.relevant.is_(True),
            klass.is_not(None),
            *filters.answer_conditions(**approved),
        )
        .group_by(District.name, Ground.key, klass)
    ):
        impacts.setdefault(district, {})[(key, klass_value)] = count
    return counts, impacts
