"""The state machine: allowed and refused transitions, four eyes, visibility rules."""

import pytest
import sqlalchemy as sa

from impact.assessments import access, lifecycle
from impact.assessments.enums import AssessmentStatus
from impact.assessments.lifecycle import WorkflowError
from impact.assessments.models import Assessment
from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.review import operations
from tests import factories


@pytest.fixture
def people(app_ctx):
    return {
        "officer": factories.create_user(roles=("case_officer",)),
        "reviewer": factories.create_user(roles=("reviewer",)),
        "other_officer": factories.create_user(roles=("case_officer",), department="GSF"),
        "wide_reviewer": factories.create_user(roles=("reviewer",), department="SLK", municipality_wide=True),
        "auditor": factories.create_user(roles=("auditor",), department="SLK", municipality_wide=True),
    }


def test_submit_then_approve(people):
    assessment = factories.create_assessment(author=people["officer"])
    lifecycle.submit(assessment, people["officer"])
    operations.approve(assessment, people["reviewer"])
    db.session.commit()
    assert assessment.status == AssessmentStatus.approved
    assert assessment.decided_by == people["reviewer"]
    actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["assessment.submit", "assessment.approve"]


def test_author_cannot_approve_own_assessment_even_as_reviewer(people):
    both = factories.create_user(roles=("case_officer", "reviewer"))
    assessment = factories.create_assessment(status="submitted", author=both)
    assert not access.can_review(assessment, both)
    with pytest.raises(WorkflowError):
        operations.approve(assessment, both)
    assert assessment.status == AssessmentStatus.submitted


def test_approving_a_draft_is_refused_and_records_nothing(people):
    assessment = factories.create_assessment(author=people["officer"])
    with pytest.raises(WorkflowError):
        operations.approve(assessment, people["reviewer"])
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == 0


def test_database_refuses_approved_without_decision(people):
    assessment = factories.create_assessment(author=people["officer"], status="submitted")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        # Below the session (and its guard on bulk changes): the database itself must refuse.
        db.session.connection().execute(
            sa.update(Assessment).where(Assessment.id == assessment.id).values(status="approved")
        )
        db.session.flush()
    db.session.rollback()


def test_other_departments_drafts_are_invisible(people):
    draft = factories.create_assessment(author=people["officer"])
    approved = factories.create_assessment(author=people["officer"], status="approved")
    submitted = factories.create_assessment(author=people["officer"], status="submitted")
    other = people["other_officer"]
    assert not access.can_view(draft, other)
    assert access.can_view(approved, other)
    assert not access.can_view(submitted, other)
    assert access.can_view(submitted, people["wide_reviewer"])
    assert access.can_view(submitted, people["auditor"])
    assert not access.can_view(draft, people["auditor"])
    visible = set(db.session.scalars(sa.select(Assessment.id).where(access.visible_filter(other))))
    assert visible == {approved.id}
    visible = set(db.session.scalars(sa.select(Assessment.id).where(access.visible_filter(people["auditor"]))))
    assert visible == {approved.id, submitted.id}
