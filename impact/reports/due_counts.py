"""The dashboard's overdue figures from a summary table keyed by due date, kept in step in the same transaction.

Whether something is overdue depends on today's date, so the tables count by date and the dashboard sums what
falls before today: whole months from ``due_month_counts``, this month's days from ``due_counts``. Both hold, per
kind × date (or month) × department × status:

- ``mitigation``: open mitigations (planned or in progress) of relevant answers, by their due date;
- ``assessment``: assessments by the earliest due date of those mitigations (overdue once that date has passed);
- ``follow_up``: approved assessments with a relevant answer whose outcome is not yet recorded, by follow-up date.

``impact/reports/derived.py`` keeps them exact on every flush; ``impact/reports/counted.py`` reads them.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from impact.assessments import due
from impact.assessments.models import Assessment, Mitigation
from impact.core.db import db
from impact.reports import derived

MITIGATION, ASSESSMENT, FOLLOW_UP = "mitigation", "assessment", "follow_up"
KINDS = (MITIGATION, ASSESSMENT, FOLLOW_UP)


class DueCount(db.Model):
    """Open mitigations and pending follow-ups per kind, date, department and status (this month's days)."""

    __tablename__ = "due_counts"

    # Kind and date first: the dashboard reads one month of days, a range of this key.
    kind: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    due: Mapped[date] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class DueMonthCount(db.Model):
    """``due_counts`` per month of the date: the dashboard sums the months before this one here."""

    __tablename__ = "due_month_counts"

    kind: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


def _by_date(where: sa.ColumnElement[bool] | None = None) -> sa.Select:
    """What assessments (all, or those ``where`` selects) count, per kind, date, department and status."""
    key = (Assessment.department_id, Assessment.status)

    def scoped(statement: sa.Select) -> sa.Select:
        return statement if where is None else statement.where(where)

    open_mitigations = (
        sa.select(*key, Mitigation.assessment_id, Mitigation.due_date)
        .join(Assessment, Assessment.id == Mitigation.assessment_id)
        .where(
            due.open_mitigation(),
            Mitigation.due_date.is_not(None),
        )
    )
    open_mitigations = scoped(open_mitigations).subquery("open_mitigations")
    by_due = sa.select(
        sa.literal(MITIGATION).label("kind"),
        open_mitigations.c.due_date.label("due"),
        open_mitigations.c.department_id,
        open_mitigations.c.status,
        sa.func.count().label("n"),
    ).group_by(open_mitigations.c.department_id, open_mitigations.c.status, open_mitigations.c.due_date)
    earliest = (
        sa.select(
            open_mitigations.c.department_id,
            open_mitigations.c.status,
            sa.func.min(open_mitigations.c.due_date).label("due"),
        )
        .group_by(open_mitigations.c.department_id, open_mitigations.c.status, open_mitigations.c.assessment_id)
        .subquery("earliest")
    )
    by_earliest = sa.select(
        sa.literal(ASSESSMENT).label("kind"),
        earliest.c.due,
        earliest.c.department_id,
        earliest.c.status,
        sa.func.count().label("n"),
    ).group_by(earliest.c.department_id, earliest.c.status, earliest.c.due)
    follow_ups = (
        sa.select(sa.literal(FOLLOW_UP).label("kind"), Assessment.follow_up_date, *key, sa.func.count())
        .where(due.follow_up_pending())
        .group_by(*key, Assessment.follow_up_date)
    )
    return sa.union_all(by_due, by_earliest, scoped(follow_ups))


def _by_month(where: sa.ColumnElement[bool] | None = None) -> sa.Select:
    """``_by_date`` summed per month of the date."""
    dates = _by_date(where).subquery("dates")
    year = sa.cast(sa.extract("year", dates.c.due), sa.Integer).label("year")
    month = sa.cast(sa.extract("month", dates.c.due), sa.Integer).label("month")
    key = (dates.c.kind, year, month, dates.c.department_id, dates.c.status)
    return sa.select(*key, sa.func.sum(dates.c.n).label("n")).group_by(*key)


derived.register(
    derived.DerivedTable(
        DueCount.__table__, key=("kind", "due", "department_id", "status"), values=("n",), contributions=_by_date
    )
)
derived.register(
    derived.DerivedTable(
        DueMonthCount.__table__,
        key=("kind", "year", "month", "department_id", "status"),
        values=("n",),
        contributions=_by_month,
    )
)
