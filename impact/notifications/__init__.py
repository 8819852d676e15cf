"""Notifications: the in-app list of what happened to a person's work, and the email that goes with it."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.core.navigation import NavEntry

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


class _MenuLabel:
    """The menu label with the number of unread notifications, computed when the menu is drawn."""

    def __str__(self) -> str:
        from impact.notifications.sending import unread_count

        count = unread_count()
        return str(_l("Notifications (%(count)s unread)", count=count) if count else _l("Notifications"))

    def __html__(self) -> str:
        from markupsafe import escape

        return str(escape(str(self)))


NAVIGATION = [NavEntry("notifications.index", _MenuLabel(), visible=lambda user: True, order=90)]


@bp.record_once
def _install(state) -> None:
    from impact.notifications.sending import install_outbox

    install_outbox(state.app)


from impact.notifications import schedule, views  # noqa: E402,F401
