"""What a user may do with an assessment: view, edit, submit, withdraw, reopen, review, archive, amend, follow up.

The one place these rules live, for object checks, for list queries (``visible_filter``) and for the refusal
reasons shown to people (``review_refusal``). Views, templates, operations and the permission matrix test all ask
here. Exports of summaries are the auditors' and follow the role checks of ``impact/reports``.

- Approved (and archived) assessments are public records: every signed-in user may read them.
- Everyone may read every assessment of their own department, and authors always their own.
- Reviewers and auditors whose remit is the whole municipality may read submitted assessments everywhere;
  nobody reads another department's drafts.
- Case officers edit drafts (and returned assessments) of their own department.
- Reviewers decide submitted assessments in their remit, never ones they wrote or co-wrote (four eyes).
- Approved (and decided) assessments: reviewers in their remit (and admins) archive them; case officers of the
  department (and authors) start a new version and keep the follow-up.
- The committee's decision on an approved assessment is recorded, and later corrected, by its authors or by a
  committee secretary assigned to its committee.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.assessments.enums import IN_FORCE, AssessmentStatus
from impact.assessments.models import Assessment, assessment_authors
from impact.auth.roles import Role

PUBLIC_STATES = (*IN_FORCE, AssessmentStatus.archived)
EDITABLE_STATES = (AssessmentStatus.draft, AssessmentStatus.returned)
CROSS_DEPARTMENT_ROLES = (Role.reviewer, Role.auditor, Role.admin)


def wide_reader(user) -> bool:
    """Reviewers, auditors and admins with a municipality-wide remit also read submitted assessments everywhere."""
    return user.municipality_wide and user.has_role(*CROSS_DEPARTMENT_ROLES)


def can_view(assessment: Assessment, user) -> bool:
    if not user.is_authenticated:
        return False
    return (
        assessment.status in PUBLIC_STATES
        or assessment.department_id == user.department_id
        or assessment.is_author(user)
        or (wide_reader(user) and assessment.status == AssessmentStatus.submitted)
    )


def can_edit(assessment: Assessment, user) -> bool:
    return (
        user.is_authenticated
        and user.has_role(Role.case_officer)
        and assessment.status in EDITABLE_STATES
        and (assessment.department_id == user.department_id or assessment.is_author(user))
    )


def in_review_remit(assessment: Assessment, user) -> bool:
    return user.has_role(Role.reviewer) and (user.municipality_wide or assessment.department_id == user.department_id)


def review_refusal(assessment: Assessment, user):
    """Why ``user`` may not decide ``assessment`` now (a translatable text), or None when they may."""
    if not user.is_authenticated:
        return _l("Log in to review assessments.")
    if assessment.status != AssessmentStatus.submitted:
        status = str(assessment.status.label).lower()
        return _l("This assessment is not waiting for review: it is %(status)s.", status=status)
    if assessment.is_author(user):
        return _l("You cannot review an assessment you wrote or co-wrote.")
    if not in_review_remit(assessment, user):
        return _l("You cannot review assessments of this department.")
    return None


def can_review(assessment: Assessment, user) -> bool:
    return review_refusal(assessment, user) is None


def can_submit(assessment: Assessment, user) -> bool:
    return can_edit(assessment, user)


def can_withdraw(assessment: Assessment, user) -> bool:
    return assessment.status in EDITABLE_STATES and can_edit(assessment, user)


def can_reopen(assessment: Assessment, user) -> bool:
    return assessment.status == AssessmentStatus.returned and can_edit(assessment, user)


def can_archive(assessment: Assessment, user) -> bool:
    return (
        user.is_authenticated
        and assessment.status in IN_FORCE
        and (user.has_role(Role.admin) or in_review_remit(assessment, user))
    )


def _department_officer(assessment: Assessment, user) -> bool:
    return user.has_role(Role.case_officer) and (
        assessment.department_id == user.department_id or assessment.is_author(user)
    )


def can_amend(assessment: Assessment, user) -> bool:
    return user.is_authenticated and assessment.status in IN_FORCE and _department_officer(assessment, user)


def can_follow_up(assessment: Assessment, user) -> bool:
    """Authors (and case officers of the department) keep the follow-up of an approved assessment up to date."""
    return user.is_authenticated and assessment.status in IN_FORCE and _department_officer(assessment, user)


def keeps_minutes(assessment: Assessment, user) -> bool:
    """An author, or a committee secretary assigned to the assessment's committee."""
    return user.is_authenticated and (
        assessment.is_author(user)
        or (user.has_role(Role.committee_secretary) and assessment.committee in user.committees)
    )


def decision_refusal(assessment: Assessment, user):
    """Why ``user`` may not record (or correct) the committee's decision now, or None when they may."""
    if assessment.status not in IN_FORCE:
        return _l(
            "A decision is recorded for an approved assessment; this one is %(status)s.",
            status=str(assessment.status.label).lower(),
        )
    if not keeps_minutes(assessment, user):
        return _l("Only the authors and the secretaries of the committee record its decision.")
    return None


def can_record_decision(assessment: Assessment, user) -> bool:
    return assessment.status == AssessmentStatus.approved and decision_refusal(assessment, user) is None


def can_correct_decision(assessment: Assessment, user) -> bool:
    return assessment.status == AssessmentStatus.decided and decision_refusal(assessment, user) is None


def visible_filter(user) -> sa.ColumnElement[bool]:
    """The WHERE clause selecting the assessments ``user`` may read (the SQL twin of can_view)."""
    if not user.is_authenticated:
        return sa.false()
    authored = sa.exists().where(
        assessment_authors.c.assessment_id == Assessment.id, assessment_authors.c.user_id == user.id
    )
    return sa.or_(visible_by_status(user, Assessment.status, Assessment.department_id), authored)


def visible_by_status(user, status, department_id, as_text: bool = False) -> sa.ColumnElement[bool]:
    """The part of ``visible_filter`` read off an assessment's status and department alone (all of it but the
    co-authors), on any columns holding them; ``as_text`` for a status column of plain text (a summary table's)."""
    state = (lambda member: member.value) if as_text else (lambda member: member)
    clauses = [status.in_([state(member) for member in PUBLIC_STATES]), department_id == user.department_id]
    if wide_reader(user):
        clauses.append(status == state(AssessmentStatus.submitted))
    return sa.or_(*clauses)
