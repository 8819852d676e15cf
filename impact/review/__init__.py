"""Review and approval: the reviewer's queue, decisions, versions, follow-up, notifications."""

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")
NAVIGATION: list = []

from impact.review import views  # noqa: E402,F401
