"""Coverage per committee and year: the cases on its list that have an approved assessment with the same case
number, counted by the database (one query for the table, one for the missing cases shown)."""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from impact.assessments.enums import AssessmentStatus
from impact.assessments.models import Assessment
from impact.core.db import db
from impact.coverage.models import CommitteeCase

# An assessment that went through review: approved, decided by the committee, or archived after either.
COVERING_STATES = (AssessmentStatus.approved, AssessmentStatus.decided, AssessmentStatus.archived)
MISSING_SHOWN = 500


def covered() -> sa.ColumnElement[bool]:
    return (
        sa.exists()
        .where(Assessment.case_number == CommitteeCase.case_number, Assessment.status.in_(COVERING_STATES))
        .correlate(CommitteeCase)
    )


@dataclass(frozen=True)
class CoverageRow:
    committee: str
    year: int
    cases: int
    covered: int

    @property
    def missing(self) -> int:
        return self.cases - self.covered

    @property
    def share(self) -> int:
        """Covered cases in whole per cent, rounded down (100 only when nothing is missing)."""
        return self.covered * 100 // self.cases if self.cases else 0


def coverage_rows() -> list[CoverageRow]:
    year = sa.extract("year", CommitteeCase.meeting_date)
    statement = (
        sa.select(
            CommitteeCase.committee,
            year.label("year"),
            sa.func.count().label("cases"),
            sa.func.count(sa.case((covered(), 1))).label("covered"),
        )
        .group_by(CommitteeCase.committee, year)
        .order_by(CommitteeCase.committee, year.desc())
    )
    return [CoverageRow(row.committee, int(row.year), row.cases, row.covered) for row in db.session.execute(statement)]


def missing_cases(committee: str | None, year: int | None) -> list[CommitteeCase]:
    """The cases without an approved assessment (the first MISSING_SHOWN), for one committee and year if given."""
    statement = sa.select(CommitteeCase).where(~covered())
    if committee:
        statement = statement.where(CommitteeCase.committee == committee)
    if year:
        statement = statement.where(CommitteeCase.meeting_date.between(date(year, 1, 1), date(year, 12, 31)))
    order = (CommitteeCase.committee, CommitteeCase.meeting_date.desc(), CommitteeCase.case_number)
    return db.session.scalars(statement.order_by(*order).limit(MISSING_SHOWN)).all()
