"""The district view's figures from summary tables kept in step with every change, in the same transaction.

The district view counts approved assessments only. ``district_assessment_counts`` holds, per district ×
department × creation month, how many approved assessments touch the district; ``district_counts`` per district ×
department × creation month × ground × impact class, how many relevant answers of those assessments there are;
``district_totals`` the same summed over all months, for a view without a period.
``impact/reports/derived.py`` keeps them exact on every flush; ``district_rows`` reads them.
"""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from impact.assessments.enums import IN_FORCE
from impact.assessments.filters import IMPACT_CLASSES, AssessmentFilterForm
from impact.assessments.models import Assessment, GroundAnswer, assessment_districts
from impact.core.db import db
from impact.grounds.models import Ground
from impact.org.models import District
from impact.reports import derived
from impact.reports.counted import LIVE_ONLY_FILTERS, department_and_period, month_bounds
from impact.reports.impact_counts import COUNTED_CLASSES, creation_month


class DistrictAssessmentCount(db.Model):
    """Approved assessments per district, department and creation month."""

    __tablename__ = "district_assessment_counts"

    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class DistrictCount(db.Model):
    """Relevant answers of approved assessments per district, department, creation month, ground and class."""

    __tablename__ = "district_counts"

    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column(primary_key=True)
    ground_id: Mapped[int] = mapped_column(sa.ForeignKey("grounds.id"), primary_key=True)
    klass: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


class DistrictTotal(db.Model):
    """``district_counts`` summed over all months."""

    __tablename__ = "district_totals"

    district_id: Mapped[int] = mapped_column(sa.ForeignKey("districts.id"), primary_key=True)
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), primary_key=True)
    ground_id: Mapped[int] = mapped_column(sa.ForeignKey("grounds.id"), primary_key=True)
    klass: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


def _approved(statement: sa.Select, where: sa.ColumnElement[bool] | None) -> sa.Select:
    statement = statement.where(Assessment.status.in_(IN_FORCE))
    return statement if where is None else statement.where(where)


def _assessments(where: sa.ColumnElement[bool] | None = None) -> sa.Select:
    key = (assessment_districts.c.district_id, Assessment.department_id, *creation_month())
    statement = (
        sa.select(*key, sa.func.count().label("n"))
        .join(assessment_districts, assessment_districts.c.assessment_id == Assessment.id)
        .group_by(*key)
    )
    return _approved(statement, where)


def _answers(where: sa.ColumnElement[bool] | None = None, by_month: bool = True) -> sa.Select:
    klass = sa.case(
        *((GroundAnswer.impact.in_(IMPACT_CLASSES[name]), name) for name in COUNTED_CLASSES), else_=None
    ).label("klass")
    key = (
        assessment_districts.c.district_id,
        Assessment.department_id,
        *(creation_month() if by_month else ()),
        GroundAnswer.ground_id,
        klass,
    )
    statement = (
        sa.select(*key, sa.func.count().label("n"))
        .select_from(Assessment)
        .join(assessment_districts, assessment_districts.c.assessment_id == Assessment.id)
        .join(GroundAnswer, GroundAnswer.assessment_id == Assessment.id)
        .where(GroundAnswer.relevant.is_(True), klass.is_not(None))
        .group_by(*key)
    )
    return _approved(statement, where)


derived.register(
    derived.DerivedTable(
        DistrictAssessmentCount.__table__,
        key=("district_id", "department_id", "year", "month"),
        values=("n",),
        contributions=_assessments,
    )
)
derived.register(
    derived.DerivedTable(
        DistrictCount.__table__,
        key=("district_id", "department_id", "year", "month", "ground_id", "klass"),
        values=("n",),
        contributions=_answers,
    )
)
derived.register(
    derived.DerivedTable(
        DistrictTotal.__table__,
        key=("district_id", "department_id", "ground_id", "klass"),
        values=("n",),
        contributions=lambda where: _answers(where, by_month=False),
    )
)


def district_rows(filters: AssessmentFilterForm) -> tuple[dict[str, int], dict[str, dict]] | None:
    """({district: approved assessments}, {district: {(ground, class): n}}) from the tables, or None when the
    filters need the live queries (any the dashboard's tables cannot serve but the district, and ground, impact,
    "needs attention", or part-month periods)."""
    # What the dashboard's tables cannot serve (committee, decision, who was heard, ...), less the district, which
    # these tables are keyed by, plus what narrows the answers counted.
    live = [name for name in LIVE_ONLY_FILTERS if name != "district"] + ["ground", "impact", "concern"]
    if any(filters.value(name) for name in live):
        return None
    months = month_bounds(filters)
    if months is None:
        return None

    def scope(table: sa.Table) -> list[sa.ColumnElement[bool]]:
        conditions = department_and_period(table, filters, months)
        if name := filters.value("district"):
            conditions.append(District.name == name)
        return conditions

    counts_table = DistrictAssessmentCount.__table__
    total = sa.func.sum(counts_table.c.n)
    counts = {
        name: int(n)
        for name, n in db.session.execute(
            sa.select(District.name, total)
            .join(District, District.id == counts_table.c.district_id)
            .where(*scope(counts_table))
            .group_by(District.name)
            .having(total > 0)
        )
    }
    table = (DistrictTotal if months == (None, None) else DistrictCount).__table__
    total = sa.func.sum(table.c.n)
    impacts: dict[str, dict] = {}
    for district, key, klass, n in db.session.execute(
        sa.select(District.name, Ground.key, table.c.klass, total)
        .join(District, District.id == table.c.district_id)
        .join(Ground, Ground.id == table.c.ground_id)
        .where(*scope(table))
        .group_by(District.name, Ground.key, table.c.klass)
        .having(total > 0)
    ):
        impacts.setdefault(district, {})[(key, klass)] = int(n)
    return counts, impacts
