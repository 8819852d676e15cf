"""Who may see, edit and review an assessment: one set of rules for object checks and for list queries.

- Approved (and archived) assessments are public records: every signed-in user may read them.
- Everyone may read every assessment of their own department, and authors always their own.
- Reviewers and auditors whose remit is the whole municipality may read submitted assessments everywhere;
  nobody reads another department's drafts.
- Case officers edit drafts (and returned assessments) of their own department.
- Reviewers decide submitted assessments in their remit, never ones they wrote or co-wrote (four eyes).
"""

import sqlalchemy as sa

from impact.assessments.enums import AssessmentStatus
from impact.assessments.models import Assessment, assessment_authors
from impact.auth.roles import Role

PUBLIC_STATES = (AssessmentStatus.approved, AssessmentStatus.archived)
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


def can_review(assessment: Assessment, user) -> bool:
    return (
        user.is_authenticated
        and assessment.status == AssessmentStatus.submitted
        and in_review_remit(assessment, user)
        and not assessment.is_author(user)
    )


def visible_filter(user) -> sa.ColumnElement[bool]:
    """The WHERE clause selecting the assessments ``user`` may read (the SQL twin of can_view)."""
    if not user.is_authenticated:
        return sa.false()
    authored = sa.exists().where(
        assessment_authors.c.assessment_id == Assessment.id, assessment_authors.c.user_id == user.id
    )
    clauses = [
        Assessment.status.in_(PUBLIC_STATES),
        Assessment.department_id == user.department_id,
        authored,
    ]
    if wide_reader(user):
        clauses.append(Assessment.status == AssessmentStatus.submitted)
    return sa.or_(*clauses)
