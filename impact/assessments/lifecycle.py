"""The life cycle of an assessment: the allowed transitions, the state check, and the move with its audit event.

    draft ──submit──▶ submitted ──approve──▶ approved ──decide──▶ decided
      ▲  │                 │                    │                    │
      │  withdraw          return_for_changes   └─archive─▶ archived ◀─archive
      │  ▼                 ▼
      │ withdrawn       returned ──reopen──▶ draft (also: submit straight from returned)

An approved or decided assessment is in force (``enums.IN_FORCE``): it may be amended (a new version, a copy in draft,
that replaces it once approved) and its follow-up kept. The committee's decision is recorded by the decisions
feature (``impact/decisions``), which makes the ``decide`` move.

The authors' own transitions (submit, reopen, withdraw) are here; the reviewer's decisions (approve, return,
archive) are in the review feature (its ``operations.py``), which builds on this module. None commits: the view
commits once per request. Every move sends ``moved`` after it is recorded, so features above this one (notifications to
reviewers) react to it without this module knowing them.
"""

from blinker import Namespace
from flask_babel import lazy_gettext as _l

from impact.assessments import access
from impact.assessments.enums import AssessmentStatus
from impact.assessments.models import Assessment
from impact.audit import trail
from impact.core.db import utcnow
from impact.core.refusal import Refusal

S = AssessmentStatus

# Every allowed (from, to) pair; anything else is refused before any check of who asks.
TRANSITIONS: dict[str, tuple[tuple[AssessmentStatus, ...], AssessmentStatus]] = {
    "submit": ((S.draft, S.returned), S.submitted),
    "approve": ((S.submitted,), S.approved),
    "return_for_changes": ((S.submitted,), S.returned),
    "reopen": ((S.returned,), S.draft),
    "withdraw": ((S.draft, S.returned), S.withdrawn),
    "decide": ((S.approved,), S.decided),
    "archive": ((S.approved, S.decided), S.archived),
}
OPEN_STATES = (S.draft, S.submitted, S.returned)

# moved.send(assessment, transition=name, actor=actor): after the move and its audit event, before the commit.
moved = Namespace().signal("assessment-moved")


class WorkflowError(Refusal):
    """The transition is not allowed; ``message`` says why, in the user's language."""


def check_state(assessment: Assessment, name: str) -> None:
    """Refuse a transition the state machine does not allow, before any check of who asks."""
    if assessment.status not in TRANSITIONS[name][0]:
        raise WorkflowError(
            _l("This cannot be done while the assessment is %(status)s.", status=assessment.status.label)
        )


def move(assessment: Assessment, name: str, actor, changes: dict | None = None) -> None:
    """Make the transition ``name`` (after the caller's checks of who asks), record it and announce it."""
    check_state(assessment, name)
    target = TRANSITIONS[name][1]
    before = assessment.status
    assessment.status = target
    trail.record(
        f"assessment.{name}",
        assessment,
        actor=actor,
        changes={"status": {"before": before.value, "after": target.value}, **(changes or {})},
    )
    moved.send(assessment, transition=name, actor=actor)


def submit(assessment: Assessment, actor) -> None:
    """Send for review. The caller has validated the content; raises WorkflowError."""
    check_state(assessment, "submit")
    if not access.can_submit(assessment, actor):
        raise WorkflowError(_l("You cannot submit this assessment."))
    assessment.submitted_at = utcnow()
    move(assessment, "submit", actor)


def reopen(assessment: Assessment, actor) -> None:
    """A returned assessment becomes a draft again when its authors start changing it."""
    check_state(assessment, "reopen")
    if not access.can_edit(assessment, actor):
        raise WorkflowError(_l("You cannot change this assessment."))
    move(assessment, "reopen", actor)


def reopen_if_returned(assessment: Assessment, actor) -> None:
    """Saving any part of a returned assessment starts changing it: it becomes a draft again."""
    if assessment.status == S.returned:
        reopen(assessment, actor)


def withdraw(assessment: Assessment, actor) -> None:
    check_state(assessment, "withdraw")
    if not access.can_edit(assessment, actor):
        raise WorkflowError(_l("You cannot withdraw this assessment."))
    move(assessment, "withdraw", actor)
