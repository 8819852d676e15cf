"""Who may do what in review, versioning and follow-up; used by the views and the templates alike."""

from impact.assessments import access
from impact.assessments.enums import AssessmentStatus
from impact.assessments.models import Assessment
from impact.auth.roles import Role

S = AssessmentStatus


def _department_officer(assessment: Assessment, user) -> bool:
    return user.has_role(Role.case_officer) and (
        assessment.department_id == user.department_id or assessment.is_author(user)
    )


def can_withdraw(assessment: Assessment, user) -> bool:
    return assessment.status in (S.draft, S.returned) and access.can_edit(assessment, user)


def can_reopen(assessment: Assessment, user) -> bool:
    return assessment.status == S.returned and access.can_edit(assessment, user)


def can_archive(assessment: Assessment, user) -> bool:
    return (
        user.is_authenticated
        and assessment.status == S.approved
        and (user.has_role(Role.admin) or access.in_review_remit(assessment, user))
    )


def can_amend(assessment: Assessment, user) -> bool:
    return user.is_authenticated and assessment.status == S.approved and _department_officer(assessment, user)


def can_follow_up(assessment: Assessment, user) -> bool:
    """Authors (and case officers of the department) keep the follow-up of an approved assessment up to date."""
    return user.is_authenticated and assessment.status == S.approved and _department_officer(assessment, user)
