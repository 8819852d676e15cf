"""Views of the admin feature."""

from impact.admin import bp  # noqa: F401
