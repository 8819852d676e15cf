"""Recording the committee's decision on an approved assessment, and correcting it afterwards.

A recorded decision is part of the record: it changes only through a correction that says why, and the audit
trail keeps what it said before. None commits: the view commits once per request.
"""

from dataclasses import dataclass, fields
from datetime import date

from flask_babel import lazy_gettext as _l

from impact.assessments import access
from impact.assessments.enums import CommitteeOutcome
from impact.assessments.lifecycle import check_state, move
from impact.assessments.models import Assessment, CommitteeDecision
from impact.audit import trail
from impact.auth.roles import Role
from impact.core.db import db, utcnow
from impact.core.refusal import Refusal
from impact.core.timefmt import local_today


class DecisionError(Refusal):
    """The decision cannot be recorded or corrected as asked; ``message`` says why, ``field`` where."""


@dataclass(frozen=True)
class DecisionInput:
    committee: str
    meeting_date: date
    paragraph: str
    outcome: CommitteeOutcome
    analysis_changed: bool
    analysis_change: str = ""
    minutes_reference: str = ""

    def values(self) -> dict:
        # "How it changed" is kept only while the answer is yes.
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        if not self.analysis_changed:
            values["analysis_change"] = ""
        return values


def record(assessment: Assessment, actor, decision: DecisionInput) -> CommitteeDecision:
    """Record the committee's decision on an approved assessment, which becomes decided."""
    check_state(assessment, "decide")
    _check(assessment, actor, decision)
    # The move first: its versioned UPDATE of the assessment is where two people recording at once part ways
    # (the second gets a StaleDataError, shown as an edit conflict), before either inserts a decision.
    move(assessment, "decide", actor, _audited(decision.values()))
    row = CommitteeDecision(assessment=assessment, recorded_by=actor, recorded_at=utcnow(), **decision.values())
    db.session.add(row)
    db.session.flush()
    return row


def correct(row: CommitteeDecision, actor, decision: DecisionInput, reason: str) -> dict:
    """Change a recorded decision; ``reason`` is required and kept in the audit trail with what changed.
    Returns the changes ({} when nothing differed, and then nothing is recorded)."""
    _check(row.assessment, actor, decision)
    if not reason.strip():
        raise DecisionError(_l("Say why the recorded decision is corrected."), field="correction_reason")
    before = _audited({name: getattr(row, name) for name in decision.values()})
    after = _audited(decision.values())
    changes = trail.diff(before, after)
    if not changes:
        return {}
    for name, value in decision.values().items():
        setattr(row, name, value)
    row.corrected_at = utcnow()
    trail.record(
        "committee_decision.correct",
        row,
        actor=actor,
        changes={**changes, "correction_reason": reason.strip()},
        assessment_id=row.assessment_id,
    )
    return changes


def _check(assessment: Assessment, actor, decision: DecisionInput) -> None:
    refusal = access.decision_refusal(assessment, actor)
    if refusal is not None:
        raise DecisionError(refusal)
    if (
        not assessment.is_author(actor)
        and actor.has_role(Role.committee_secretary)
        and decision.committee not in actor.committees
    ):
        raise DecisionError(_l("Choose one of the committees you keep the minutes of."), field="committee")
    if decision.meeting_date > local_today():
        raise DecisionError(
            _l("The meeting cannot be in the future: record the decision once it is taken."), field="meeting_date"
        )
    if decision.analysis_changed and not decision.analysis_change.strip():
        raise DecisionError(_l("Describe how the analysis changed the proposal."), field="analysis_change")


def _audited(values: dict) -> dict:
    """The values as the audit trail keeps them: dates in ISO form, the outcome as its code under a name of its own
    (``outcome`` in an event is the follow-up's text)."""
    audited = {name: value.isoformat() if isinstance(value, date) else value for name, value in values.items()}
    audited["committee_outcome"] = str(audited.pop("outcome"))
    return audited
