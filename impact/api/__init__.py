"""Read-only JSON API for integrations, authenticated with per-user tokens."""

from flask import Blueprint

from impact.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Token authentication only: no session cookie is honoured, so there is no cross-site request to forge.
csrf.exempt(bp)
NAVIGATION: list = []

from impact.api import views  # noqa: E402,F401
