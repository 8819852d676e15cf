"""Views of the assessments feature."""

from impact.assessments import bp  # noqa: F401
