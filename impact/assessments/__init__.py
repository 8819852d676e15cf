"""Assessments: the proposal, screening, one answer per ground, conclusion, submission."""
