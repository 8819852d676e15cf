"""The reviewer's side of the life cycle: approve, return for changes and archive, with the review comments and
notifications; new versions (amend) and follow-up. The transitions themselves, and the authors' own (submit,
reopen, withdraw), are in ``impact/assessments/lifecycle.py``. None commits: the view commits once per request.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.assessments import access, lifecycle
from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
from impact.assessments.enums import IN_FORCE, AssessmentStatus, Impact
from impact.assessments.lifecycle import OPEN_STATES, WorkflowError, check_state, move
from impact.assessments.models import Alternative, Assessment, Consultation, GroundAnswer, Involvement, Mitigation
from impact.audit import trail
from impact.core.db import db, utcnow
from impact.grounds.models import Ground
from impact.notifications import sending
from impact.notifications.models import NotificationKind
from impact.review.models import Decision, ReviewComment, Section

S = AssessmentStatus

# (what the comment concerns, its text): a Ground or a Section.
CommentInput = tuple[Ground | Section, str]


@lifecycle.moved.connect
def _tell_reviewers_of_submissions(assessment: Assessment, transition: str, actor) -> None:
    """Reviewers in the assessment's remit hear of every submission (connected when this module is imported,
    which registering the review blueprint does)."""
    if transition == "submit":
        sending.notify(sending.reviewers_for(assessment), NotificationKind.submitted, assessment)


def approve(assessment: Assessment, actor, comments: Iterable[CommentInput] = (), comment: str = "") -> None:
    """Approve a submitted assessment; ``comments`` per ground or section are kept with the decision."""
    check_state(assessment, "approve")
    _check_reviewer(assessment, actor)
    assessment.decided_at = utcnow()
    assessment.decided_by = actor
    move(assessment, "approve", actor)
    _add_comments(assessment, actor, Decision.approved, comments, comment)
    if assessment.amends is not None and assessment.amends.status in IN_FORCE:
        # The new version replaces the one it amends; the old one stays readable, archived.
        move(assessment.amends, "archive", actor, {"superseded_by": assessment.id})
    sending.notify(assessment.authors, NotificationKind.approved, assessment)


def return_for_changes(assessment: Assessment, actor, comment: str, comments: Iterable[CommentInput] = ()) -> None:
    """Send back to the authors; ``comment`` (what to change) is required."""
    check_state(assessment, "return_for_changes")
    _check_reviewer(assessment, actor)
    if not (comment or "").strip():
        raise WorkflowError(_l("Write a comment that tells the authors what to change."))
    assessment.decided_at = utcnow()
    assessment.decided_by = actor
    move(assessment, "return_for_changes", actor, {"comment": comment})
    _add_comments(assessment, actor, Decision.returned, comments, comment)
    sending.notify(assessment.authors, NotificationKind.returned, assessment)


def archive(assessment: Assessment, actor) -> None:
    check_state(assessment, "archive")
    if not access.can_archive(assessment, actor):
        raise WorkflowError(_l("You cannot archive this assessment."))
    move(assessment, "archive", actor)


def _check_reviewer(assessment: Assessment, actor) -> None:
    if refusal := access.review_refusal(assessment, actor):
        raise WorkflowError(refusal)


def review_round(assessment: Assessment) -> int:
    """The number of the review round now being decided (1 for the first decision)."""
    last = db.session.scalar(
        sa.select(sa.func.max(ReviewComment.round)).where(ReviewComment.assessment_id == assessment.id)
    )
    return (last or 0) + 1


def _add_comments(assessment: Assessment, actor, decision: Decision, comments, overall: str) -> None:
    number = review_round(assessment)
    targets = [(Section.overall, overall), *comments]
    for target, body in targets:
        body = (body or "").strip()
        if not body:
            continue
        comment = ReviewComment(
            assessment=assessment,
            author=actor,
            body=body,
            round=number,
            decision=decision,
            ground=target if isinstance(target, Ground) else None,
            section=target if isinstance(target, Section) else None,
        )
        db.session.add(comment)
        trail.record(
            "review.comment",
            comment,
            actor=actor,
            assessment_id=assessment.id,
            changes={
                "concerns": target.key if isinstance(target, Ground) else target.value,
                "body": {"before": None, "after": body},
                "round": number,
            },
        )


# --- Versions -------------------------------------------------------------------------------------------------

_NOT_COPIED = {
    "id",
    "status",
    "amends_id",
    "version_number",
    "created_at",
    "updated_at",
    "submitted_at",
    "decided_at",
    "decided_by_id",
    "lock_version",
    "created_by_id",
}
# What happened at the follow-up belongs to the version followed up, not to the new one.
_ANSWER_NOT_COPIED = {
    "id",
    "assessment_id",
    "updated_at",
    "updated_by_id",
    "lock_version",
    "actual_outcome",
    "actual_impact",
    "actual_comment",
    "actual_recorded_at",
}
_MITIGATION_NOT_COPIED = {"id", "assessment_id", "created_at", "updated_at", "lock_version"}
_ALTERNATIVE_NOT_COPIED = {"id", "assessment_id", "created_at"}
_CONSULTATION_NOT_COPIED = {"id", "assessment_id", "created_at"}


def _columns(obj, skip: set[str]) -> dict:
    return {
        column.key: getattr(obj, column.key) for column in sa.inspect(type(obj)).column_attrs if column.key not in skip
    }


def open_amendment(assessment: Assessment) -> Assessment | None:
    """A version of ``assessment`` still being written or reviewed, if any."""
    return db.session.scalar(
        sa.select(Assessment).where(Assessment.amends_id == assessment.id, Assessment.status.in_(OPEN_STATES))
    )


def amend(assessment: Assessment, actor) -> Assessment:
    """Start a new version of an approved assessment: a deep copy in draft that goes through review again."""
    if assessment.status not in IN_FORCE:
        raise WorkflowError(_l("Only an approved assessment can be amended."))
    if not access.can_amend(assessment, actor):
        raise WorkflowError(_l("You cannot amend this assessment."))
    if open_amendment(assessment) is not None:
        raise WorkflowError(_l("A new version of this assessment is already being written."))
    copy = Assessment(**_columns(assessment, _NOT_COPIED))
    copy.status = S.draft
    copy.amends = assessment
    copy.version_number = assessment.version_number + 1
    copy.created_by = actor
    copy.authors = list(assessment.authors) + ([actor] if not assessment.is_author(actor) else [])
    copy.districts = list(assessment.districts)
    copy.areas = list(assessment.areas)
    copied_answers = {}
    for answer in assessment.answers:
        new_answer = GroundAnswer(**_columns(answer, _ANSWER_NOT_COPIED))
        new_answer.districts = list(answer.districts)
        new_answer.areas = list(answer.areas)
        copy.answers.append(new_answer)
        copied_answers[answer.id] = new_answer
    # The action plan, each action addressing the copies of the grounds it addressed.
    copy.actions = [
        Mitigation(
            **_columns(action, _MITIGATION_NOT_COPIED),
            answers=[copied_answers[answer.id] for answer in action.answers],
        )
        for action in assessment.actions
    ]
    copy.alternatives = [Alternative(**_columns(a, _ALTERNATIVE_NOT_COPIED)) for a in assessment.alternatives]
    copy.consultations = [Consultation(**_columns(c, _CONSULTATION_NOT_COPIED)) for c in assessment.consultations]
    if assessment.involvement is not None:  # a version of one started before the step stays without it
        answers = _columns(assessment.involvement, {"assessment_id"})
        copy.involvement = Involvement(**{**answers, "minorities": list(answers["minorities"])})
    if assessment.child_rights is not None:  # likewise for the child-rights step
        record = assessment.child_rights
        copy.child_rights = ChildRights(**_columns(record, {"assessment_id"}), districts=list(record.districts))
        copy.child_rights.effects = [ChildRightEffectRow(**_columns(e, {"assessment_id"})) for e in record.effects]
    db.session.add(copy)
    db.session.flush()
    trail.record(
        "assessment.create",
        copy,
        actor=actor,
        changes={"amends": assessment.id, "version_number": copy.version_number, "status": {"after": "draft"}},
    )
    trail.record("assessment.amend", assessment, actor=actor, changes={"new_version": copy.id})
    return copy


# --- Follow-up ------------------------------------------------------------------------------------------------


def update_mitigation(mitigation: Mitigation, actor, **values) -> None:
    """Change owner, due date, status, reason or outcome of a mitigation of an approved assessment."""
    assessment = mitigation.assessment
    if not access.can_follow_up(assessment, actor):
        raise WorkflowError(_l("You cannot follow up this assessment."))
    if values.get("status") == "dropped" and not (values.get("dropped_reason") or "").strip():
        raise WorkflowError(_l("Say why the mitigation was dropped."))
    before = {key: getattr(mitigation, key) for key in values}
    for key, value in values.items():
        setattr(mitigation, key, value)
    changes = trail.diff(_plain(before), _plain({key: getattr(mitigation, key) for key in values}))
    if changes:
        trail.record("mitigation.update", mitigation, actor=actor, assessment_id=assessment.id, changes=changes)


@dataclass(frozen=True)
class FollowUpInput:
    """What the follow-up page gives for one ground."""

    outcome: str = ""
    actual_impact: Impact | None = None
    actual_comment: str = ""


def record_outcomes(assessment: Assessment, actor, outcomes: dict[GroundAnswer, FollowUpInput]) -> None:
    """Record per ground what actually happened against what was predicted, and the actual impact with its comment.

    The texts of all grounds make one event; each ground whose actual impact or comment changed makes one more.
    """
    if not access.can_follow_up(assessment, actor):
        raise WorkflowError(_l("You cannot follow up this assessment."))
    changes = {}
    for answer, given in outcomes.items():
        if answer.assessment_id != assessment.id:
            raise WorkflowError(_l("You cannot follow up this assessment."))
        if (answer.actual_outcome or "") != given.outcome:
            changes[answer.ground.key] = {"before": answer.actual_outcome, "after": given.outcome}
            answer.actual_outcome = given.outcome
            answer.updated_by_id = actor.id
        _record_actual_impact(assessment, answer, actor, given)
    if changes:
        trail.record("assessment.follow_up", assessment, actor=actor, changes=changes)


def _record_actual_impact(assessment: Assessment, answer: GroundAnswer, actor, given: FollowUpInput) -> None:
    before = _plain({"actual_impact": answer.actual_impact, "actual_comment": answer.actual_comment or ""})
    after = _plain({"actual_impact": given.actual_impact, "actual_comment": given.actual_comment})
    changes = trail.diff(before, after)
    if not changes:
        return
    if answer.actual_impact != given.actual_impact:
        answer.actual_recorded_at = utcnow() if given.actual_impact is not None else None
    answer.actual_impact, answer.actual_comment = given.actual_impact, given.actual_comment
    answer.updated_by_id = actor.id
    predicted = answer.predicted_impact
    trail.record(
        "ground_answer.actual_impact",
        answer,
        actor=actor,
        changes={"ground": answer.ground.key, "predicted_impact": predicted.value if predicted else None, **changes},
        assessment_id=assessment.id,
    )


def _plain(values: dict) -> dict:
    return {key: (value.value if hasattr(value, "value") else value) for key, value in values.items()}
