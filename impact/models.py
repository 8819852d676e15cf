"""Imports every model so that metadata (create_all, Alembic autogenerate) sees all tables."""

from impact.api.models import ApiToken
from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.audit.models import AuditEvent
from impact.auth.models import User, UserRole
from impact.grounds.models import Ground, GuidingQuestion, TemplateVersion
from impact.org.models import Department, District
from impact.settings.models import Setting

__all__ = [
    "ApiToken",
    "Assessment",
    "AuditEvent",
    "Department",
    "District",
    "Ground",
    "GroundAnswer",
    "GuidingQuestion",
    "Mitigation",
    "Setting",
    "TemplateVersion",
    "User",
    "UserRole",
]
