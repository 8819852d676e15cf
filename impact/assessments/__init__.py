"""Assessments: the proposal, screening, one answer per ground, conclusion, submission."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.auth.roles import Role
from impact.core.navigation import NavEntry

bp = Blueprint("assessments", __name__, url_prefix="/assessments")
NAVIGATION: list = [
    NavEntry(
        "assessments.index",
        _l("Assessments"),
        visible=lambda user: True,
        card_text=_l("Your assessments, your department's and every approved one in the municipality."),
        order=10,
    ),
    NavEntry(
        "assessments.new",
        _l("New assessment"),
        visible=lambda user: user.has_role(Role.case_officer),
        card_text=_l("Start an equality impact assessment of a proposal, one ground at a time."),
        order=11,
    ),
]

from impact.assessments import authors, form_views, views  # noqa: E402,F401
