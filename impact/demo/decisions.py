"""The committees' decisions on some of the demo's approved assessments (for seed-demo).

Several are decided (one with changes the analysis brought about, one rejected, one where the committee accepted
an adverse impact); others still await a decision, so the secretary's list has work on it. Idempotent: an
assessment that has a decision keeps it.
"""

from datetime import timedelta

import sqlalchemy as sa

from impact.assessments.enums import AssessmentStatus, CommitteeOutcome
from impact.assessments.models import Assessment
from impact.auth.models import User
from impact.core.db import db
from impact.core.timefmt import local_today
from impact.decisions import operations
from impact.demo.users import DEMO_COMMITTEES

# title: (outcome, how the analysis changed the proposal or "" if it did not, paragraph)
DECISIONS = {
    "Nya öppettider i simhallarna": (
        CommitteeOutcome.approved_with_changes,
        "Morgonsimmet för äldre och simskolans tider behölls efter analysen; kvällstiderna kortades som föreslaget.",
        "§ 45",
    ),
    "Ändrade regler för skolskjuts": (CommitteeOutcome.approved, "", "§ 112"),
    "Nytt äldreboende på Göta": (
        CommitteeOutcome.approved,
        "Fler lägenheter anpassades för personer med rörelsenedsättning.",
        "§ 78",
    ),
    "Bygglovstaxa 2027": (CommitteeOutcome.rejected, "", "§ 203"),
}


def ensure_demo_case_list() -> int:
    """The committee's list of cases for the coverage page: two with an assessment, one without (as the example
    file in docs/examples has them); returns how many were added."""
    from pathlib import Path

    from impact.coverage.case_lists import import_cases
    from impact.coverage.models import CommitteeCase

    if db.session.scalar(sa.select(CommitteeCase.id).limit(1)) is not None:
        return 0
    example = Path(__file__).resolve().parents[2] / "docs" / "examples" / "case-list.csv"
    if not example.exists():  # an installed package without the docs: nothing to show
        return 0
    return import_cases(example.read_bytes(), None).added


def ensure_demo_decisions() -> int:
    """Record the demo decisions not yet recorded; return how many were added."""
    secretary = db.session.scalar(sa.select(User).where(User.email.in_(list(DEMO_COMMITTEES))))
    added = 0
    for title, (outcome, change, paragraph) in DECISIONS.items():
        assessment = db.session.scalar(
            sa.select(Assessment).where(Assessment.title == title, Assessment.status == AssessmentStatus.approved)
        )
        if assessment is None:
            continue
        recorder = secretary if secretary and assessment.committee in secretary.committees else assessment.authors[0]
        meeting = min(assessment.decided_at.date() + timedelta(days=21), local_today())
        operations.record(
            assessment,
            recorder,
            operations.DecisionInput(
                committee=assessment.committee,
                meeting_date=meeting,
                paragraph=paragraph,
                outcome=outcome,
                analysis_changed=bool(change),
                analysis_change=change,
                minutes_reference=f"{assessment.committee} {meeting.isoformat()} {paragraph}",
            ),
        )
        added += 1
    db.session.flush()
    return added
