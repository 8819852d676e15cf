"""Demo data: Borås's departments and districts, a user per role, and sample assessments."""
