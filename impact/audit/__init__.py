"""The append-only, hash-chained audit trail, and the auditor's page to read it."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.core.navigation import NavEntry

bp = Blueprint("audit", __name__, url_prefix="/audit")


def _auditor(user) -> bool:
    from impact.auth.roles import Role

    return user.has_role(Role.auditor, Role.admin)


NAVIGATION = [
    NavEntry(
        "audit.index",
        _l("Audit trail"),
        visible=_auditor,
        card_text=_l("Read who did what, and when, to every assessment."),
        order=80,
    )
]

from impact.audit import views  # noqa: E402,F401
