"""Read-only JSON API for integrations, authenticated with per-user tokens."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
NAVIGATION: list = []

from impact.api import views  # noqa: E402,F401
