"""Accounts, roles, login and logout."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.core.navigation import NavEntry

bp = Blueprint("auth", __name__)
NAVIGATION = [NavEntry("auth.change_password", _l("Change password"), visible=lambda user: True, order=99)]
# Flask-Login flashes this when it sends someone to log in; defined here so the auth catalogue translates it.
LOGIN_MESSAGE = _l("Log in to see this page.")

from impact.auth import people, views  # noqa: E402,F401
