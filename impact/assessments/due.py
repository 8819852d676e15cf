"""What is open and what is overdue in the follow-up of approved assessments: one definition of each rule.

The assessment filters, the dashboard's due-date tables, the overdue page, the start page and the daily reminders
all build on these conditions, so a figure and the list behind it can never disagree on what "overdue" means.
"Today" is passed in by the caller: one request uses one date throughout.
"""

from datetime import date

import sqlalchemy as sa

from impact.assessments.enums import IN_FORCE, MitigationStatus
from impact.assessments.models import Assessment, GroundAnswer, Mitigation, mitigation_grounds

OPEN_MITIGATION_STATES = (MitigationStatus.planned, MitigationStatus.in_progress)


def addresses_relevant_ground() -> sa.ColumnElement[bool]:
    """An action addresses at least one ground judged relevant: one whose grounds all turned out not relevant
    is left out of what is open, as a mitigation of such a ground was before actions had several grounds."""
    answer = sa.orm.aliased(GroundAnswer)
    return (
        sa.exists()
        .where(
            mitigation_grounds.c.mitigation_id == Mitigation.id,
            answer.id == mitigation_grounds.c.ground_answer_id,
            answer.relevant.is_(True),
        )
        .correlate(Mitigation)
    )


def open_mitigation() -> sa.ColumnElement[bool]:
    """An action not yet done or dropped that addresses a relevant ground (one row per action, never per ground)."""
    return sa.and_(Mitigation.status.in_(OPEN_MITIGATION_STATES), addresses_relevant_ground())


def overdue_mitigation(today: date) -> sa.ColumnElement[bool]:
    """An open mitigation whose due date has passed."""
    return sa.and_(open_mitigation(), Mitigation.due_date < today)


def follow_up_pending() -> sa.ColumnElement[bool]:
    """Approved, with a follow-up date, and some relevant ground still without a recorded outcome."""
    return sa.and_(
        Assessment.status.in_(IN_FORCE),
        Assessment.follow_up_date.is_not(None),
        sa.exists()
        .where(
            GroundAnswer.assessment_id == Assessment.id,
            GroundAnswer.relevant.is_(True),
            GroundAnswer.actual_outcome == "",
        )
        .correlate(Assessment),
    )


def overdue_follow_up(today: date) -> sa.ColumnElement[bool]:
    """A pending follow-up whose date has passed."""
    return sa.and_(follow_up_pending(), Assessment.follow_up_date < today)
