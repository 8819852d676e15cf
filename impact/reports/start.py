"""The start page's key figures for auditors: the dashboard's figures of their remit, each linked."""

from impact.auth.roles import Role


def start_context(user) -> dict | None:
    """What ``reports/_start_figures.html`` needs, or None for anyone but an auditor (a fixed number of queries)."""
    if not user.has_role(Role.auditor):
        return None
    from impact.reports.scope import scoped_filters
    from impact.reports.summary import compute_summary
    from impact.reports.views import figure_links

    filters = scoped_filters(user, {})
    return {"summary": compute_summary(filters, user), "figure_link": figure_links(filters)}
