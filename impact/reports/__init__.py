"""Summaries for review and audit: dashboard, district view, exports."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from impact.auth.roles import Role
from impact.core.navigation import NavEntry, StartSection

bp = Blueprint("reports", __name__, url_prefix="/reports")
NAVIGATION = [
    NavEntry(
        "reports.dashboard",
        _l("Dashboard"),
        visible=lambda user: bool(user.roles),
        card_text=_l("Figures on impacts, missing mitigations and overdue follow-ups, with exports."),
        order=60,
    ),
    NavEntry(
        "reports.districts",
        _l("Districts"),
        visible=lambda user: bool(user.roles),
        card_text=_l("How approved assessments touch each district, ground by ground."),
        order=61,
    ),
    NavEntry(
        "reports.cumulative",
        _l("Cumulative impact"),
        visible=lambda user: user.has_role(Role.auditor, Role.reviewer, Role.admin),
        card_text=_l("Per year, district and ground: how many approved assessments had a negative impact."),
        order=63,
    ),
    NavEntry(
        "reports.committees",
        _l("Committees"),
        visible=lambda user: user.has_role(Role.auditor, Role.reviewer, Role.admin, Role.committee_secretary),
        card_text=_l("What each committee decided, how often the analysis changed the proposal, what it accepted."),
        order=62,
    ),
    NavEntry(
        "reports.quality",
        _l("Quality"),
        visible=lambda user: user.has_role(Role.auditor, Role.reviewer, Role.admin),
        card_text=_l("Per department and year: screened out, not yet assessable, low confidence, no evidence links."),
        order=64,
    ),
    NavEntry(
        "reports.voices",
        _l("Voices and children"),
        visible=lambda user: user.has_role(Role.auditor, Role.reviewer, Role.admin),
        card_text=_l(
            "Per department and year: proposals concerning children, children heard, rights weakened, "
            "nobody heard; who was consulted."
        ),
        order=65,
    ),
]


def _figures(user) -> dict | None:
    from impact.reports.start import start_context

    return start_context(user)


START = [StartSection("reports/_start_figures.html", _figures, order=20)]

from impact.reports import cumulative_views, export_jobs, exports, views  # noqa: E402,F401
