"""Whose figures a user sees: auditors, reviewers and admins their remit, case officers their own department."""

from flask import request
from werkzeug.datastructures import MultiDict

from impact.assessments.filters import AssessmentFilterForm
from impact.auth.roles import Role

WIDE_ROLES = (Role.reviewer, Role.auditor, Role.admin)


def own_department_only(user) -> bool:
    """True when the user's summaries are limited to their own department."""
    if user.is_admin:
        return False
    return not (user.municipality_wide and user.has_role(*WIDE_ROLES))


def scoped_filters(user, args: MultiDict | None = None) -> AssessmentFilterForm:
    """The shared filter form read from ``args`` (default: the query string), held to the user's remit."""
    args = MultiDict(request.args if args is None else args)
    if own_department_only(user):
        args.setlist("department", [user.department.code])
    filters = AssessmentFilterForm.from_args(args)
    if own_department_only(user):
        filters.department.choices = [(user.department.code, user.department.name)]
    return filters
