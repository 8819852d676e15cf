"""Quality figures for auditors: per department and year of creation, among the assessments sent for review, the
share screened out, approved with a ground not yet assessable, with low confidence, without evidence links,
returned at least once, and the median days from creation to approval.

Counted by the database: one query for the shares, one for the medians, whatever the number of assessments.
Each figure has the filters of the assessment list that shows the assessments behind it (``link_args``).
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

from impact.assessments import access
from impact.assessments.enums import AssessmentStatus
from impact.assessments.filters import (
    IMPACT_CLASSES,
    AssessmentFilterForm,
    low_confidence,
    no_evidence_link,
    returned_once,
    screened_out,
)
from impact.assessments.models import Assessment, GroundAnswer
from impact.core.db import db
from impact.core.timefmt import local_timestamp
from impact.org.models import Department

# Sent for review at least once: the assessments whose quality an auditor judges.
REVIEWED_STATES = (
    AssessmentStatus.submitted,
    AssessmentStatus.returned,
    AssessmentStatus.approved,
    AssessmentStatus.decided,
    AssessmentStatus.archived,
)
APPROVED_STATES = (AssessmentStatus.approved, AssessmentStatus.decided, AssessmentStatus.archived)


class days_between(sa.sql.functions.FunctionElement):  # noqa: N801  (a SQL function, named like one)
    """SQL: the days (with fractions) from the first timestamp to the second, on SQLite and PostgreSQL."""

    type = sa.Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between, "postgresql")
def _days_between_postgresql(element, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(extract(epoch from ({end} - {start})) / 86400.0)"


@compiles(days_between)
def _days_between_other(element, compiler, **kw) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(julianday({end}) - julianday({start}))"


class DepartmentYear:
    """A row of figures for one department (``code``) and year of creation, among the assessments sent for review
    (``assessments``): the list's filters behind it, and shares of it."""

    code: str
    year: int
    assessments: int

    def link_args(self, **more) -> dict:
        """The list's filters for this department and year (and ``more``)."""
        return {
            "department": self.code,
            "date_from": date(self.year, 1, 1).isoformat(),
            "date_to": date(self.year, 12, 31).isoformat(),
            "status": [state.value for state in REVIEWED_STATES],
            **more,
        }

    def share(self, count: int, of: int | None = None) -> int:
        """``count`` in whole per cent of ``of`` (the assessments by default), rounded to the nearest."""
        total = self.assessments if of is None else of
        return round(count * 100 / total) if total else 0


@dataclass(frozen=True)
class QualityRow(DepartmentYear):
    department: str
    code: str
    year: int
    assessments: int
    screened_out: int
    approved: int
    approved_not_assessed: int
    low_confidence: int
    no_evidence_link: int
    returned_once: int
    median_days: float | None = None


def year_created() -> sa.ColumnElement[int]:
    """The year an assessment was created, in local time."""
    return sa.cast(sa.extract("year", local_timestamp(Assessment.created_at)), sa.Integer)


def quality_rows(filters: AssessmentFilterForm, user) -> list[QualityRow]:
    year = year_created().label("year")
    approved = Assessment.status.in_(APPROVED_STATES)
    not_assessed = (
        sa.exists()
        .where(
            GroundAnswer.assessment_id == Assessment.id,
            GroundAnswer.relevant.is_(True),
            GroundAnswer.impact.in_(IMPACT_CLASSES["not_assessed"]),
        )
        .correlate(Assessment)
    )

    def count(condition) -> sa.ColumnElement[int]:
        return sa.func.count(sa.case((condition, 1)))

    statement = (
        sa.select(
            Department.name,
            Department.code,
            year,
            sa.func.count().label("assessments"),
            count(screened_out()).label("screened_out"),
            count(approved).label("approved"),
            count(sa.and_(approved, not_assessed)).label("approved_not_assessed"),
            count(low_confidence()).label("low_confidence"),
            count(no_evidence_link()).label("no_evidence_link"),
            count(returned_once()).label("returned_once"),
        )
        .join(Department, Department.id == Assessment.department_id)
        .where(access.visible_filter(user), Assessment.status.in_(REVIEWED_STATES))
        .group_by(Department.name, Department.code, year)
        .order_by(Department.name, year.desc())
    )
    rows = db.session.execute(filters.apply(statement)).all()
    medians = _median_days(filters, user)
    return [QualityRow(*row, median_days=medians.get((row.code, row.year))) for row in rows]


def _median_days(filters: AssessmentFilterForm, user) -> dict[tuple[str, int], float]:
    """The median days from creation to approval per (department code, year), by window functions (both databases
    lack a portable median aggregate)."""
    year = year_created()
    days = days_between(Assessment.created_at, Assessment.decided_at)
    ranked = filters.apply(
        sa.select(
            Department.code.label("code"),
            year.label("year"),
            days.label("days"),
            sa.func.row_number().over(partition_by=(Department.code, year), order_by=days).label("position"),
            sa.func.count().over(partition_by=(Department.code, year)).label("total"),
        )
        .join(Department, Department.id == Assessment.department_id)
        .where(
            access.visible_filter(user),
            Assessment.status.in_(APPROVED_STATES),
            Assessment.decided_at.is_not(None),
        )
    ).subquery("ranked")
    middle = sa.or_(
        ranked.c.position == (ranked.c.total + 1) / 2,
        ranked.c.position == (ranked.c.total + 2) / 2,
    )
    statement = (
        sa.select(ranked.c.code, ranked.c.year, sa.func.avg(ranked.c.days))
        .where(middle)
        .group_by(ranked.c.code, ranked.c.year)
    )
    return {(code, year): float(days) for code, year, days in db.session.execute(statement)}
