"""The user's own profile: who they are, their roles, and their personal API tokens."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.core.navigation import NavEntry

bp = Blueprint("profile", __name__, url_prefix="/profile")
NAVIGATION = [NavEntry("profile.index", _l("Profile"), visible=lambda user: True, order=90)]

from impact.profile import views  # noqa: E402,F401
