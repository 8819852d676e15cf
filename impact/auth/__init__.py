"""Accounts, roles, login and logout."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.core.navigation import NavEntry

bp = Blueprint("auth", __name__)
NAVIGATION = [NavEntry("auth.change_password", _l("Change password"), visible=lambda user: True, order=99)]

from impact.auth import views  # noqa: E402,F401
