"""Summaries for review and audit: dashboard, district view, exports."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
NAVIGATION: list = []

from impact.reports import views  # noqa: E402,F401
