"""The committee view: per committee and year of meeting, what its decisions were and what they left open.

Counted by the database in one query per table, whatever the number of assessments; each figure has the filters
of the assessment list that shows the assessments behind it (``link_args``), so a figure and its list agree.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from impact.assessments import access, due
from impact.assessments.enums import AssessmentStatus, CommitteeOutcome, Outcome
from impact.assessments.filters import ADOPTED, IMPACT_CLASSES, AssessmentFilterForm, outcome_is
from impact.assessments.models import Assessment, CommitteeDecision, GroundAnswer, Mitigation
from impact.core.db import db


@dataclass(frozen=True)
class CommitteeYear:
    committee: str
    year: int
    decided: int
    by_outcome: dict[str, int]
    analysis_changed: int
    accepted_adverse: int
    open_mitigations: int

    def link_args(self, **more) -> dict:
        """The list's filters for this committee and year (and ``more``)."""
        start, end = date(self.year, 1, 1), date(self.year, 12, 31)
        return {"committee": self.committee, "meeting_from": start.isoformat(), "meeting_to": end.isoformat(), **more}


# Adopted although the analysis found adverse impacts it did not remove (continuing despite them, or a ground still
# negative after the mitigations): what the committee knowingly accepted. The list's filter is ``adverse_remains``.
ACCEPTED_ADVERSE_ARGS = {"decision": "adopted", "concern": "adverse_remains"}


def committee_years(filters: AssessmentFilterForm) -> list[CommitteeYear]:
    """One row per committee and year of its meetings, the latest year first within each committee.

    A decision is recorded only on an approved assessment, which stays public (decided, then perhaps archived):
    every reader may see them all, so the cheap state condition stands in for the full visibility rule. The
    assessments with open mitigations are found once, as a set joined in, rather than probed row by row (at
    100,000 assessments on PostgreSQL: 0.4 s instead of 1.5 s).
    """
    year = sa.extract("year", CommitteeDecision.meeting_date)
    with_open = (
        sa.select(Mitigation.assessment_id.label("assessment_id"))
        .where(due.open_mitigation())
        .distinct()
        .subquery("with_open_mitigations")
    )
    # The same condition as the list's ``adverse_remains``, with the answers still negative found once as a set.
    remains_negative = (
        sa.select(GroundAnswer.assessment_id.label("assessment_id"))
        .where(GroundAnswer.relevant.is_(True), GroundAnswer.remaining_impact.in_(IMPACT_CLASSES["negative"]))
        .distinct()
        .subquery("with_negative_remaining")
    )
    accepted = sa.and_(
        CommitteeDecision.outcome.in_(ADOPTED),
        sa.or_(outcome_is(Outcome.continue_despite), remains_negative.c.assessment_id.is_not(None)),
    )
    outcomes = [
        sa.func.count(sa.case((CommitteeDecision.outcome == outcome, 1))).label(outcome.value)
        for outcome in CommitteeOutcome
    ]
    statement = (
        sa.select(
            CommitteeDecision.committee,
            year.label("year"),
            sa.func.count().label("decided"),
            *outcomes,
            sa.func.count(sa.case((CommitteeDecision.analysis_changed.is_(True), 1))).label("changed"),
            sa.func.count(sa.case((accepted, 1))).label("accepted"),
            sa.func.count(with_open.c.assessment_id).label("open"),
        )
        .join(Assessment, Assessment.id == CommitteeDecision.assessment_id)
        .outerjoin(with_open, with_open.c.assessment_id == Assessment.id)
        .outerjoin(remains_negative, remains_negative.c.assessment_id == Assessment.id)
        .where(Assessment.status.in_(access.PUBLIC_STATES))
        .group_by(CommitteeDecision.committee, year)
        .order_by(CommitteeDecision.committee, year.desc())
    )
    rows = db.session.execute(filters.apply(statement)).all()
    return [
        CommitteeYear(
            committee=row.committee,
            year=int(row.year),
            decided=row.decided,
            by_outcome={outcome.value: getattr(row, outcome.value) for outcome in CommitteeOutcome},
            analysis_changed=row.changed,
            accepted_adverse=row.accepted,
            open_mitigations=row.open,
        )
        for row in rows
    ]


def awaiting_decision(filters: AssessmentFilterForm) -> list[tuple[str, int]]:
    """(committee, approved assessments going to it that have no decision recorded yet), by committee; approved
    assessments are public, so they are the same for every reader."""
    statement = (
        sa.select(Assessment.committee, sa.func.count())
        .where(Assessment.status == AssessmentStatus.approved, Assessment.committee.is_not(None))
        .group_by(Assessment.committee)
        .order_by(Assessment.committee)
    )
    return [(committee, count) for committee, count in db.session.execute(filters.apply(statement))]
