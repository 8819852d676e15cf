"""Views of the review feature."""

from impact.review import bp  # noqa: F401
