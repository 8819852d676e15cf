"""Administration: users, departments, districts, grounds and their template versions, settings."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.core.navigation import NavEntry

bp = Blueprint("admin", __name__, url_prefix="/admin")
NAVIGATION = [
    NavEntry(
        "admin.home",
        _l("Administration"),
        visible=lambda user: user.is_admin,
        card_text=_l("Users, departments, districts, the grounds' questions and settings."),
        order=90,
    )
]

from impact.admin import (  # noqa: E402,F401
    article_views,
    ground_views,
    group_rule_views,
    indicator_views,
    org_views,
    settings_views,
    user_views,
    views,
)
