"""Views of the api feature."""

from impact.api import bp  # noqa: F401
