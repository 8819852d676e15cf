"""State transitions of an assessment, one function each. Each checks that the transition is allowed,
sets actor and time, records the audit event and flushes. None commits: the view commits once per request.

    draft ──submit──▶ submitted ──approve──▶ approved ──archive──▶ archived
      ▲  │                 │
      │  withdraw          return_for_changes
      │  ▼                 ▼
      │ withdrawn       returned ──reopen──▶ draft (also: submit straight from returned)
"""

from flask_babel import lazy_gettext as _l

from impact.assessments import access
from impact.assessments.enums import AssessmentStatus
from impact.assessments.models import Assessment
from impact.audit import trail
from impact.auth.roles import Role
from impact.core.db import utcnow

S = AssessmentStatus

# Every allowed (from, to) pair; anything else is refused before any check of who asks.
TRANSITIONS: dict[str, tuple[tuple[AssessmentStatus, ...], AssessmentStatus]] = {
    "submit": ((S.draft, S.returned), S.submitted),
    "approve": ((S.submitted,), S.approved),
    "return_for_changes": ((S.submitted,), S.returned),
    "reopen": ((S.returned,), S.draft),
    "withdraw": ((S.draft, S.returned), S.withdrawn),
    "archive": ((S.approved,), S.archived),
}


class WorkflowError(Exception):
    """The transition is not allowed; ``message`` says why, in the user's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _move(assessment: Assessment, name: str, actor, changes: dict | None = None) -> None:
    sources, target = TRANSITIONS[name]
    if assessment.status not in sources:
        raise WorkflowError(
            _l(
                "This cannot be done while the assessment is %(status)s.",
                status=assessment.status.label,
            )
        )
    before = assessment.status
    assessment.status = target
    trail.record(
        f"assessment.{name}",
        assessment,
        actor=actor,
        changes={"status": {"before": before.value, "after": target.value}, **(changes or {})},
    )


def submit(assessment: Assessment, actor) -> None:
    """Send for review. The caller has validated the content; raises WorkflowError."""
    if not access.can_edit(assessment, actor):
        raise WorkflowError(_l("You cannot submit this assessment."))
    assessment.submitted_at = utcnow()
    _move(assessment, "submit", actor)


def approve(assessment: Assessment, actor) -> None:
    _check_reviewer(assessment, actor)
    assessment.decided_at = utcnow()
    assessment.decided_by = actor
    _move(assessment, "approve", actor)


def return_for_changes(assessment: Assessment, actor, comment: str) -> None:
    if not comment.strip():
        raise WorkflowError(_l("Write a comment that tells the authors what to change."))
    _check_reviewer(assessment, actor)
    assessment.decided_at = utcnow()
    assessment.decided_by = actor
    _move(assessment, "return_for_changes", actor, {"comment": comment})


def reopen(assessment: Assessment, actor) -> None:
    """A returned assessment becomes a draft again when its authors start changing it."""
    if not access.can_edit(assessment, actor):
        raise WorkflowError(_l("You cannot change this assessment."))
    _move(assessment, "reopen", actor)


def withdraw(assessment: Assessment, actor) -> None:
    if not access.can_edit(assessment, actor):
        raise WorkflowError(_l("You cannot withdraw this assessment."))
    _move(assessment, "withdraw", actor)


def archive(assessment: Assessment, actor) -> None:
    if not (actor.has_role(Role.admin) or access.in_review_remit(assessment, actor)):
        raise WorkflowError(_l("You cannot archive this assessment."))
    _move(assessment, "archive", actor)


def _check_reviewer(assessment: Assessment, actor) -> None:
    if assessment.is_author(actor):
        raise WorkflowError(_l("You cannot review an assessment you wrote or co-wrote."))
    if assessment.status == S.submitted and not access.in_review_remit(assessment, actor):
        raise WorkflowError(_l("You cannot review assessments of this department."))
