"""The dashboard's heat map from a summary table kept in step with every change, in the same transaction.

``impact_counts`` holds, per department × status × creation month × ground × impact class, how many relevant
ground answers there are. Every ORM flush that touches an assessment or a ground answer subtracts what the touched
assessments counted before the flush and adds what they count after it, so the table is exact whatever operation
made the change (saving a ground, a status transition, a department change, a deletion). Bulk loads that bypass
the ORM call ``rebuild``. ``heat_rows`` answers the heat map from it when the filters allow (no text search,
district or follow-up concern; whole months), else returns None and the caller runs the live GROUP BY.
"""

from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from impact.assessments import access
from impact.assessments.enums import AssessmentStatus
from impact.assessments.filters import IMPACT_CLASSES, AssessmentFilterForm
from impact.assessments.models import Assessment, GroundAnswer, assessment_authors
from impact.core.db import db
from impact.grounds.models import Ground
from impact.org.models import Department

COUNTED_CLASSES = ("negative", "neutral", "positive")
_PENDING = "impact_counts_before"


class ImpactCount(db.Model):
    """Relevant ground answers per department, status, creation month, ground and impact class."""

    __tablename__ = "impact_counts"

    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"), primary_key=True)
    status: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[int] = mapped_column(primary_key=True)
    ground_id: Mapped[int] = mapped_column(sa.ForeignKey("grounds.id"), primary_key=True)
    klass: Mapped[str] = mapped_column(sa.String(12), primary_key=True)
    n: Mapped[int] = mapped_column(default=0)


def _klass() -> sa.Case:
    return sa.case(
        *((GroundAnswer.impact.in_(IMPACT_CLASSES[name]), name) for name in COUNTED_CLASSES),
        else_=None,
    )


def _contributions(where: sa.ColumnElement[bool] | None = None) -> sa.Select:
    """What assessments (all, or those ``where`` selects) count in the summary, grouped by its key."""
    klass = _klass().label("klass")
    year = sa.cast(sa.extract("year", Assessment.created_at), sa.Integer).label("year")
    month = sa.cast(sa.extract("month", Assessment.created_at), sa.Integer).label("month")
    statement = (
        sa.select(
            Assessment.department_id,
            Assessment.status,
            year,
            month,
            GroundAnswer.ground_id,
            klass,
            sa.func.count().label("n"),
        )
        .join(Assessment, Assessment.id == GroundAnswer.assessment_id)
        .where(GroundAnswer.relevant.is_(True), klass.is_not(None))
        .group_by(Assessment.department_id, Assessment.status, year, month, GroundAnswer.ground_id, klass)
    )
    return statement if where is None else statement.where(where)


def _counted(session: Session, ids: set[int]) -> Counter:
    if not ids:
        return Counter()
    rows = session.execute(_contributions(Assessment.id.in_(sorted(ids))))
    return Counter(
        {
            (dept, getattr(status, "value", status), y, m, ground, klass): n
            for dept, status, y, m, ground, klass, n in rows
        }
    )


def _touched(session: Session) -> set[int]:
    """Ids of the assessments whose counts this flush may change."""
    ids = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Assessment) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, GroundAnswer):
            if obj.assessment_id is not None:
                ids.add(obj.assessment_id)
            elif obj.assessment is not None and obj.assessment.id is not None:
                ids.add(obj.assessment.id)
    return ids


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    ids = _touched(session)
    with session.no_autoflush:
        session.info[_PENDING] = (ids, _counted(session, ids))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    before_ids, before = session.info.pop(_PENDING, (set(), Counter()))
    ids = before_ids | _touched(session)
    after = _counted(session, ids)
    delta = Counter(after)
    delta.subtract(before)
    for (dept, status, y, m, ground, klass), change in sorted(delta.items()):
        if not change:
            continue
        key = {"department_id": dept, "status": status, "year": y, "month": m, "ground_id": ground, "klass": klass}
        table = ImpactCount.__table__
        updated = session.execute(
            table.update().where(*(table.c[name] == value for name, value in key.items())).values(n=table.c.n + change)
        )
        if not updated.rowcount:
            session.execute(table.insert().values(**key, n=change))


def rebuild() -> None:
    """Recount everything from the base tables (after a bulk load or an import that bypassed the ORM)."""
    session = db.session
    session.execute(ImpactCount.__table__.delete())
    columns = ["department_id", "status", "year", "month", "ground_id", "klass", "n"]
    session.execute(ImpactCount.__table__.insert().from_select(columns, _contributions()))


def _month_bounds(filters: AssessmentFilterForm) -> tuple[tuple[int, int] | None, tuple[int, int] | None] | None:
    """The period as whole months (first, last), or None if it does not start and end on month boundaries."""
    start, end = filters.value("date_from"), filters.value("date_to")
    if start and start.day != 1:
        return None
    if end and (end + timedelta(days=1)).day != 1:
        return None
    return ((start.year, start.month) if start else None, (end.year, end.month) if end else None)


def _visible(user) -> sa.ColumnElement[bool] | None:
    """The visibility rule on the summary's columns, or None if it cannot be expressed there for ``user``."""
    if not user.is_authenticated:
        return None
    states = [state.value for state in access.PUBLIC_STATES]
    if access._wide_reader(user):
        states.append(AssessmentStatus.submitted.value)
    table = ImpactCount.__table__
    rule = sa.or_(table.c.status.in_(states), table.c.department_id == user.department_id)
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
    return None if outside else rule


def heat_rows(filters: AssessmentFilterForm, user) -> list[tuple[str, str, str, int]] | None:
    """(department code, ground key, class, n) from the summary, or None when the filters need the live query."""
    if any(filters.value(name) for name in ("q", "district", "concern")):
        return None
    months = _month_bounds(filters)
    if months is None:
        return None
    visible = _visible(user)
    if visible is None:
        return None
    table = ImpactCount.__table__
    conditions = [visible, table.c.n != 0]
    known = {status.value for status in AssessmentStatus}
    if statuses := [value for value in filters.value("status") or [] if value in known]:
        conditions.append(table.c.status.in_(statuses))
    if code := filters.value("department"):
        conditions.append(Department.code == code)
    if key := filters.value("ground"):
        conditions.append(Ground.key == key)
    if klass := filters.value("impact"):
        if klass not in COUNTED_CLASSES:
            return []
        conditions.append(table.c.klass == klass)
    first, last = months
    period = sa.tuple_(table.c.year, table.c.month)
    if first:
        conditions.append(period >= sa.tuple_(*first))
    if last:
        conditions.append(period <= sa.tuple_(*last))
    total = sa.func.sum(table.c.n)
    rows = db.session.execute(
        sa.select(Department.code, Ground.key, table.c.klass, total)
        .join(Department, Department.id == table.c.department_id)
        .join(Ground, Ground.id == table.c.ground_id)
        .where(*conditions)
        .group_by(Department.code, Ground.key, table.c.klass)
        .having(total > 0)
    )
    return [(code, key, klass, int(n)) for code, key, klass, n in rows]
