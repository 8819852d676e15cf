"""Assessment-level dashboard figures from a summary table kept in step with every change, in the same transaction.

``assessment_counts`` holds, per department × status × creation month, how many assessments there are and how
many of them have at least one relevant answer of each impact class (or not yet assessed), and at least one
negative answer without mitigation or justification, and with an actual impact recorded at follow-up, and one
where it is the predicted one. ``impact/reports/derived.py`` keeps it exact on every flush;
``impact/reports/counted.py`` reads it.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from impact.assessments.filters import IMPACT_CLASSES, actual_recorded, prediction_held, unmitigated_answer
from impact.assessments.models import Assessment, GroundAnswer
from impact.core.db import db
from impact.reports import derived
from impact.reports.impact_counts import ANSWER_CLASSES, HELD, RECORDED, UNMITIGATED, creation_month

FLAGS = (*ANSWER_CLASSES, UNMITIGATED, RECORDED, HELD)


class AssessmentCount(db.Model):
    """Assessments per department, status and creation month; and how many have each kind of answer."""

    __tablename__ = "assessment_counts"

    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)
    negative: Mapped[int] = mapped_column(default=0)
    neutral: Mapped[int] = mapped_column(default=0)
    positive: Mapped[int] = mapped_column(default=0)
    not_assessed: Mapped[int] = mapped_column(default=0)
    unmitigated: Mapped[int] = mapped_column(default=0)
    recorded: Mapped[int] = mapped_column(default=0, server_default="0")
    held: Mapped[int] = mapped_column(default=0, server_default="0")


def _flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.max(sa.case((condition, 1), else_=0))


def _contributions(where: sa.ColumnElement[bool] | None = None) -> sa.Select:
    """What assessments (all, or those ``where`` selects) count in the table, grouped by its key."""
    conditions = {name: GroundAnswer.impact.in_(IMPACT_CLASSES[name]) for name in ANSWER_CLASSES}
    conditions[UNMITIGATED] = unmitigated_answer()
    conditions[RECORDED] = actual_recorded()
    conditions[HELD] = prediction_held()
    # One row per assessment with a relevant answer: 1 where it has an answer of that kind.
    flags = (
        sa.select(GroundAnswer.assessment_id, *(_flag(condition).label(name) for name, condition in conditions.items()))
        .where(GroundAnswer.relevant.is_(True))
        .group_by(GroundAnswer.assessment_id)
    )
    if where is not None:
        flags = flags.join(Assessment, Assessment.id == GroundAnswer.assessment_id).where(where)
    flags = flags.subquery("flags")
    year, month = creation_month()
    key = (Assessment.department_id, Assessment.status, year, month)
    statement = (
        sa.select(
            *key,
            sa.func.count(Assessment.id).label("n"),
            *(sa.func.coalesce(sa.func.sum(flags.c[name]), 0).label(name) for name in FLAGS),
        )
        .outerjoin(flags, flags.c.assessment_id == Assessment.id)
        .group_by(*key)
    )
    return statement if where is None else statement.where(where)


derived.register(
    derived.DerivedTable(
        AssessmentCount.__table__,
        key=("department_id", "status", "year", "month"),
        values=("n", *FLAGS),
        contributions=_contributions,
    )
)
