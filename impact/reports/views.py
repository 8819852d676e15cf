"""Views of the reports feature."""

from impact.reports import bp  # noqa: F401
