"""Coverage: the committee's list of cases, imported from the case-management system, against the assessments.

Did every case that went to a committee have an approved analysis? A secretary, an auditor or an admin imports
the list (CSV); the coverage page shows, per committee and year of meeting, how many of its cases have one, and
lists those that do not.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.core.navigation import NavEntry

bp = Blueprint("coverage", __name__, url_prefix="/coverage")


def _reader(user) -> bool:
    from impact.auth.roles import Role

    return user.has_role(Role.auditor, Role.reviewer, Role.admin, Role.committee_secretary)


NAVIGATION = [
    NavEntry(
        "coverage.index",
        _l("Coverage"),
        visible=_reader,
        card_text=_l("Which of the committees' cases had an approved assessment, and which did not."),
        order=63,
    ),
]

from impact.coverage import views  # noqa: E402,F401
