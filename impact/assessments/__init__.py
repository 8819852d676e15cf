"""Assessments: the proposal, screening, one answer per ground, conclusion, submission."""

from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/assessments")
NAVIGATION: list = []

from impact.assessments import views  # noqa: E402,F401
