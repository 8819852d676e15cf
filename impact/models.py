"""Imports every model so that metadata (create_all, Alembic autogenerate) sees all tables."""

from impact.accessibility.models import AccessibilityReport
from impact.api.models import ApiToken
from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
from impact.assessments.cumulative import NegativeImpact
from impact.assessments.models import (
    Alternative,
    Assessment,
    CommitteeDecision,
    Consultation,
    GroundAnswer,
    GroupKind,
    Involvement,
    Mitigation,
)
from impact.assessments.search import index as search_index  # noqa: F401  (keeps the search index in step; its DDL)
from impact.audit.models import AuditEvent
from impact.auth.group_rules import GroupRule
from impact.auth.models import User, UserCommittee, UserRole
from impact.auth.sessions import LoginSession
from impact.core.stash import FormStash
from impact.coverage.models import CommitteeCase
from impact.grounds.models import Ground, GuidingQuestion, TemplateVersion
from impact.indicators.models import Indicator, IndicatorGround, IndicatorValue
from impact.jobs.models import Job
from impact.notifications.models import Notification
from impact.org.models import Area, Department, District
from impact.public.models import PublicationHold
from impact.reports import negative_impacts  # noqa: F401  (keeps negative_impacts in step)
from impact.reports.assessment_counts import AssessmentCount
from impact.reports.district_counts import DistrictAssessmentCount, DistrictCount, DistrictTotal
from impact.reports.due_counts import DueCount, DueMonthCount
from impact.reports.impact_counts import ImpactCount, ImpactTotal
from impact.review.models import ReviewComment
from impact.settings.models import Setting

__all__ = [
    "AccessibilityReport",
    "Alternative",
    "ApiToken",
    "Area",
    "Assessment",
    "AssessmentCount",
    "AuditEvent",
    "ChildRightEffectRow",
    "ChildRights",
    "CommitteeCase",
    "CommitteeDecision",
    "Consultation",
    "Department",
    "FormStash",
    "GroupRule",
    "District",
    "DistrictAssessmentCount",
    "DistrictCount",
    "DistrictTotal",
    "DueCount",
    "DueMonthCount",
    "Ground",
    "GroundAnswer",
    "GroupKind",
    "GuidingQuestion",
    "ImpactCount",
    "Indicator",
    "IndicatorGround",
    "IndicatorValue",
    "ImpactTotal",
    "Involvement",
    "Job",
    "LoginSession",
    "Mitigation",
    "NegativeImpact",
    "Notification",
    "PublicationHold",
    "ReviewComment",
    "Setting",
    "TemplateVersion",
    "User",
    "UserCommittee",
    "UserRole",
]
