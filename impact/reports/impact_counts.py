"""Ground-level dashboard figures from a summary table kept in step with every change, in the same transaction.

``impact_counts`` holds, per department × status × creation month × ground × class, how many ground answers
there are: the impact classes of relevant answers (negative, neutral, positive, not assessed), every relevant
answer ("relevant"), and negative answers without mitigation or justification ("unmitigated").
and relevant answers whose actual impact was recorded at follow-up ("recorded") and where it is the predicted one
("held"). ``impact_totals`` holds the same summed over all months, for dashboards without a period.
``impact/reports/derived.py`` keeps both exact on every flush; ``impact/reports/counted.py`` reads them.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from impact.assessments.filters import IMPACT_CLASSES, actual_recorded, prediction_held, unmitigated_answer
from impact.assessments.models import Assessment, GroundAnswer
from impact.core.db import db
from impact.core.timefmt import local_timestamp
from impact.reports import derived

# The heat map's impact classes, and every class of a relevant answer (one filter asks for "cannot yet be assessed").
COUNTED_CLASSES = ("negative", "neutral", "positive")
ANSWER_CLASSES = (*COUNTED_CLASSES, "not_assessed")
RELEVANT, UNMITIGATED = "relevant", "unmitigated"
# At follow-up: the actual impact is recorded; it is the predicted one (the filters' "prediction" values).
RECORDED, HELD = "recorded", "held"


class ImpactCount(db.Model):
    """Ground answers per department, status, creation month, ground and class."""

    __tablename__ = "impact_counts"

    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column(primary_key=True)
    ground_id: Mapped[int] = mapped_column(sa.ForeignKey("grounds.id"), primary_key=True)
    klass: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class ImpactTotal(db.Model):
    """``impact_counts`` summed over all months: what a dashboard without a period reads (far fewer rows)."""

    __tablename__ = "impact_totals"

    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    ground_id: Mapped[int] = mapped_column(sa.ForeignKey("grounds.id"), primary_key=True)
    klass: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


def creation_month() -> tuple[sa.ColumnElement[int], sa.ColumnElement[int]]:
    """Year and month an assessment was created, in local time (a month is a Stockholm month, as a day in the
    date filters is a Stockholm day), portable across SQLite and PostgreSQL."""
    created = local_timestamp(Assessment.created_at)
    year = sa.cast(sa.extract("year", created), sa.Integer)
    month = sa.cast(sa.extract("month", created), sa.Integer)
    return year.label("year"), month.label("month")


def _klass() -> sa.Case:
    return sa.case(
        *((GroundAnswer.impact.in_(IMPACT_CLASSES[name]), name) for name in ANSWER_CLASSES),
        else_=None,
    )


def _contributions(where: sa.ColumnElement[bool] | None = None, by_month: bool = True) -> sa.Select:
    """What assessments (all, or those ``where`` selects) count in the table, grouped by its key."""
    key = (Assessment.department_id, Assessment.status, *(creation_month() if by_month else ()), GroundAnswer.ground_id)

    def counted(klass, *conditions) -> sa.Select:
        statement = (
            sa.select(*key, klass.label("klass"), sa.func.count().label("n"))
            .join(Assessment, Assessment.id == GroundAnswer.assessment_id)
            .where(GroundAnswer.relevant.is_(True), *conditions)
            .group_by(*key, klass)
        )
        return statement if where is None else statement.where(where)

    klass = _klass()
    return sa.union_all(
        counted(klass, klass.is_not(None)),
        counted(sa.literal(RELEVANT)),
        counted(sa.literal(UNMITIGATED), unmitigated_answer()),
        counted(sa.literal(RECORDED), actual_recorded()),
        counted(sa.literal(HELD), prediction_held()),
    )


derived.register(
    derived.DerivedTable(
        ImpactCount.__table__,
        key=("department_id", "status", "year", "month", "ground_id", "klass"),
        values=("n",),
        contributions=_contributions,
    )
)
derived.register(
    derived.DerivedTable(
        ImpactTotal.__table__,
        key=("department_id", "status", "ground_id", "klass"),
        values=("n",),
        contributions=lambda where: _contributions(where, by_month=False),
    )
)
