"""Review and approval: the reviewer's queue, decisions, versions, follow-up, notifications."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.core.navigation import NavEntry, StartSection

bp = Blueprint("review", __name__, url_prefix="/review")


def _reviewer(user) -> bool:
    from impact.auth.roles import Role

    return user.has_role(Role.reviewer)


NAVIGATION = [
    NavEntry(
        "review.queue",
        _l("To review"),
        visible=_reviewer,
        card_text=_l("Approve or return the assessments submitted to you, the longest waiting first."),
        order=30,
    ),
    NavEntry(
        "review.overdue",
        _l("Overdue follow-up"),
        visible=lambda user: True,
        card_text=_l("Mitigations past their due date and follow-ups not yet recorded."),
        order=70,
    ),
]


def _work(user) -> dict:
    from impact.review.start import start_context

    return start_context(user)


START = [StartSection("review/_start_work.html", _work, order=10)]

from impact.review import views  # noqa: E402,F401
