"""What the public register holds, whether it is open, and the changes to either, each recorded in the audit trail.

Publication follows from the state: an assessment is published while the register is open and it is approved or
decided, unless a reviewer keeps it unpublished (``PublicationHold``, e.g. secrecy under OSL). So an assessment
appears the moment it is approved and leaves when it is archived (replaced by a new version); those two moves
write a ``public_register.published`` / ``public_register.removed`` event while the register is open, so the
audit trail says when each assessment was out in public. None of these functions commits.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.assessments import access, lifecycle
from impact.assessments.enums import IN_FORCE, AssessmentStatus
from impact.assessments.lifecycle import WorkflowError
from impact.assessments.models import Assessment
from impact.audit import trail
from impact.auth.roles import Role
from impact.core.db import db, utcnow
from impact.public.models import PublicationHold
from impact.settings.models import Setting, get_setting

SETTING_KEY = "public_register"
HOLDABLE_STATES = (AssessmentStatus.submitted, *IN_FORCE)
REASON_MAX = 1000


def register_open() -> bool:
    """Whether the admins have opened the public register (closed unless switched on)."""
    return get_setting(SETTING_KEY, default="0") == "1"


def published_filter() -> sa.ColumnElement[bool]:
    """The WHERE clause of the published assessments: approved or decided, and not kept unpublished."""
    held = sa.exists().where(PublicationHold.assessment_id == Assessment.id)
    return sa.and_(Assessment.status.in_(IN_FORCE), ~held)


def is_published(assessment: Assessment) -> bool:
    return register_open() and assessment.status in IN_FORCE and hold_of(assessment) is None


def hold_of(assessment: Assessment) -> PublicationHold | None:
    return db.session.get(PublicationHold, assessment.id)


def can_hold(assessment: Assessment, user) -> bool:
    """Reviewers in the assessment's remit (and admins) keep it unpublished or release it, from submission on."""
    return (
        user.is_authenticated
        and assessment.status in HOLDABLE_STATES
        and (access.in_review_remit(assessment, user) or user.has_role(Role.admin))
    )


def set_register_open(is_open: bool, actor) -> bool:
    """Open or close the public register; returns whether anything changed."""
    if register_open() == is_open:
        return False
    row = db.session.get(Setting, SETTING_KEY) or Setting(key=SETTING_KEY)
    row.value = "1" if is_open else "0"
    row.updated_by_id = actor.id
    db.session.add(row)
    db.session.flush()
    trail.record(
        "public_register.open" if is_open else "public_register.close",
        None,
        actor=actor,
        changes={SETTING_KEY: {"before": not is_open, "after": is_open}},
    )
    return True


def keep_unpublished(assessment: Assessment, reason: str, actor) -> None:
    """Keep ``assessment`` out of the public register for ``reason``; raises WorkflowError."""
    reason = (reason or "").strip()
    if not can_hold(assessment, actor):
        raise WorkflowError(_l("You cannot change whether this assessment is published."))
    if not reason:
        raise WorkflowError(_l("Say why the assessment is kept unpublished."))
    if hold_of(assessment) is not None:
        raise WorkflowError(_l("The assessment is already kept unpublished."))
    db.session.add(PublicationHold(assessment_id=assessment.id, reason=reason, held_by_id=actor.id, held_at=utcnow()))
    db.session.flush()
    trail.record(
        "public_register.keep_unpublished",
        assessment,
        actor=actor,
        changes={"unpublished_reason": {"before": None, "after": reason}},
    )


def release(assessment: Assessment, actor) -> None:
    """Let ``assessment`` be published again (it is, once the register is open and it is in force)."""
    if not can_hold(assessment, actor):
        raise WorkflowError(_l("You cannot change whether this assessment is published."))
    hold = hold_of(assessment)
    if hold is None:
        raise WorkflowError(_l("The assessment is not kept unpublished."))
    reason = hold.reason
    db.session.delete(hold)
    db.session.flush()
    trail.record(
        "public_register.release",
        assessment,
        actor=actor,
        changes={"unpublished_reason": {"before": reason, "after": None}},
    )


@lifecycle.moved.connect
def _record_publication(assessment: Assessment, transition: str, actor) -> None:
    """Approval publishes, archiving removes: recorded while the register is open and nothing holds it back.

    A new version of an assessment kept unpublished is kept unpublished too, for the same reason, when approved:
    what was secret in one version is not published by the next.
    """
    if transition == "approve" and assessment.amends_id is not None and hold_of(assessment) is None:
        earlier = db.session.get(PublicationHold, assessment.amends_id)
        if earlier is not None:
            db.session.add(
                PublicationHold(
                    assessment_id=assessment.id, reason=earlier.reason, held_by_id=earlier.held_by_id, held_at=utcnow()
                )
            )
            db.session.flush()
            trail.record(
                "public_register.keep_unpublished",
                assessment,
                actor=actor,
                changes={
                    "unpublished_reason": {"before": None, "after": earlier.reason},
                    "amends": assessment.amends_id,
                },
            )
            return
    if transition not in ("approve", "archive") or not register_open() or hold_of(assessment) is not None:
        return
    trail.record(
        "public_register.published" if transition == "approve" else "public_register.removed",
        assessment,
        actor=actor,
        changes={"published": {"before": transition != "approve", "after": transition == "approve"}},
    )
