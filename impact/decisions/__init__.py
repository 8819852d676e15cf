"""The committee's decision: recorded on an approved assessment by its authors or the committee's secretary."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.core.navigation import NavEntry

bp = Blueprint("decisions", __name__)


def _secretary(user) -> bool:
    from impact.auth.roles import Role

    return user.has_role(Role.committee_secretary)


NAVIGATION = [
    NavEntry(
        "decisions.index",
        _l("Committee decisions"),
        visible=_secretary,
        card_text=_l("Record what your committees decided on approved assessments."),
        order=35,
    ),
]

from impact.decisions import views  # noqa: E402,F401
