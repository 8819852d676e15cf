"""The start page's "Your work": each person's own work, counted and linked, in a fixed number of queries.

A case officer sees their drafts, what was returned to them, what waits for review, the mitigations they own that
fall due soon or are overdue, and their unread notifications; a reviewer also the review queue. Contributed to the
start page through ``START`` in ``impact/review/__init__.py`` (core knows no feature).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from impact.assessments import due
from impact.assessments.enums import IN_FORCE, AssessmentStatus
from impact.assessments.models import Assessment, Mitigation, assessment_authors
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.timefmt import local_today
from impact.review.queries import queue_statement

# A mitigation counts as due soon this many days ahead: time enough to act before it is overdue.
DUE_SOON_DAYS = 14
# How many items each list on the start page shows; the count says how many there are in all.
SHOWN = 5
OWN_WORK = (AssessmentStatus.returned, AssessmentStatus.draft, AssessmentStatus.submitted)


@dataclass(frozen=True)
class Item:
    """One assessment in a list on the start page (plain columns, so nothing is loaded lazily)."""

    id: int
    title: str
    case_number: str
    status: AssessmentStatus


@dataclass(frozen=True)
class DueMitigation:
    id: int
    description: str
    due_date: date
    overdue: bool
    assessment_id: int
    assessment_title: str


@dataclass
class Work:
    own: dict[AssessmentStatus, int] = field(default_factory=dict)
    latest: dict[AssessmentStatus, list[Item]] = field(default_factory=dict)
    due: list[DueMitigation] = field(default_factory=list)
    due_count: int = 0
    unread: int = 0
    overdue_count: int = 0
    queue_count: int | None = None
    queue: list[Item] = field(default_factory=list)


def _authored(user) -> sa.ColumnElement[bool]:
    # Read from the authors' index on user_id: a person's few assessments, never a scan of all of them.
    return Assessment.id.in_(
        sa.select(assessment_authors.c.assessment_id).where(assessment_authors.c.user_id == user.id)
    )


def _own_work(user, work: Work) -> None:
    """Counts of the user's assessments per state, and the latest few of each: two queries."""
    mine = sa.and_(_authored(user), Assessment.status.in_(OWN_WORK))
    counts = db.session.execute(
        sa.select(Assessment.status, sa.func.count(Assessment.id)).where(mine).group_by(Assessment.status)
    )
    work.own = {status: 0 for status in OWN_WORK} | dict(counts.all())
    rank = (
        sa.func.row_number()
        .over(partition_by=Assessment.status, order_by=(Assessment.updated_at.desc(), Assessment.id.desc()))
        .label("rank")
    )
    ranked = (
        sa.select(Assessment.id, Assessment.title, Assessment.case_number, Assessment.status, rank)
        .where(mine)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(ranked.c.id, ranked.c.title, ranked.c.case_number, ranked.c.status)
        .where(ranked.c.rank <= SHOWN)
        .order_by(ranked.c.status, ranked.c.rank)
    )
    work.latest = {status: [] for status in OWN_WORK}
    for row in rows:
        work.latest[row.status].append(Item(row.id, row.title, row.case_number, row.status))


def _due_mitigations(user, work: Work) -> None:
    """Open mitigations the user owns on approved assessments, overdue or due soon: two queries."""
    today = local_today()
    conditions = (
        Mitigation.owner_id == user.id,
        due.open_mitigation(),
        Mitigation.due_date.is_not(None),
        Mitigation.due_date <= today + timedelta(days=DUE_SOON_DAYS),
        Assessment.status.in_(IN_FORCE),
    )

    def joined(*columns) -> sa.Select:
        return (
            sa.select(*columns)
            .select_from(Mitigation)
            .join(Assessment, Assessment.id == Mitigation.assessment_id)
            .where(*conditions)
        )

    overdue = sa.func.coalesce(sa.func.sum(sa.case((Mitigation.due_date < today, 1), else_=0)), 0)
    work.due_count, work.overdue_count = db.session.execute(joined(sa.func.count(Mitigation.id), overdue)).one()
    rows = db.session.execute(
        joined(Mitigation.id, Mitigation.description, Mitigation.due_date, Assessment.id, Assessment.title)
        .order_by(Mitigation.due_date, Mitigation.id)
        .limit(SHOWN)
    )
    work.due = [
        DueMitigation(mid, description, due, due < today, assessment_id, title)
        for mid, description, due, assessment_id, title in rows
    ]


def _review_queue(user, work: Work) -> None:
    """How many assessments wait for this reviewer, and the longest waiting few: two queries."""
    statement = queue_statement(user)
    work.queue_count = db.session.scalar(sa.select(sa.func.count()).select_from(statement.order_by(None).subquery()))
    ranked = statement.with_only_columns(
        Assessment.id, Assessment.title, Assessment.case_number, Assessment.status
    ).limit(SHOWN)
    work.queue = [Item(*row) for row in db.session.execute(ranked)]


def work_of(user) -> Work:
    """Everything "Your work" shows ``user``; the number of queries depends on the roles, never on the data."""
    from impact.notifications.sending import unread_count

    work = Work(unread=unread_count())
    if user.has_role(Role.case_officer):
        _own_work(user, work)
        _due_mitigations(user, work)
    if user.has_role(Role.reviewer):
        _review_queue(user, work)
    return work


def start_context(user) -> dict:
    """What ``review/_start_work.html`` needs."""
    from flask import url_for

    return {
        "work": work_of(user),
        "due_soon_days": DUE_SOON_DAYS,
        "statuses": AssessmentStatus,
        "view_url": lambda item: url_for("assessments.view", assessment_id=item.id),
        "tasks_url": lambda item: url_for("assessments.tasks", assessment_id=item.id),
        "review_url": lambda item: url_for("review.review", assessment_id=item.id),
    }
