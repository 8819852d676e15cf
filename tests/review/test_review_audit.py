"""The audit trail: events for each review action, `audit verify` on a clean and a tampered trail, the
auditor's page."""

import pytest
import sqlalchemy as sa

from impact.assessments import lifecycle
from impact.audit.models import AuditEvent
from impact.core.db import db
from impact.review import operations
from tests import factories

pytestmark = pytest.mark.usefixtures("english")  # these pages are read in English


def _full_story():
    """One assessment through submit, return with a comment, reopen, submit, approve, amend, archive."""
    officer = factories.create_user(roles=("case_officer",))
    reviewer = factories.create_user(roles=("reviewer",))
    assessment = factories.create_assessment(author=officer, answers={"age": "negative"})
    lifecycle.submit(assessment, officer)
    ground = assessment.answers[0].ground
    operations.return_for_changes(assessment, reviewer, "Ändra", [(ground, "Mer underlag")])
    lifecycle.reopen(assessment, officer)
    lifecycle.submit(assessment, officer)
    operations.approve(assessment, reviewer)
    copy = operations.amend(assessment, officer)
    lifecycle.withdraw(copy, officer)
    operations.archive(assessment, reviewer)
    db.session.commit()
    return assessment, copy


def test_each_action_writes_its_event(app_ctx):
    assessment, copy = _full_story()
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.assessment_id == assessment.id).order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "assessment.submit",
        "assessment.return_for_changes",
        "review.comment",
        "review.comment",
        "assessment.reopen",
        "assessment.submit",
        "assessment.approve",
        "assessment.amend",
        "assessment.archive",
    ]
    copy_actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.assessment_id == copy.id).order_by(AuditEvent.id)
    ).all()
    assert copy_actions == ["assessment.create", "assessment.withdraw"]


def test_audit_verify_passes_on_a_clean_trail(app, runner):
    with app.app_context():
        _full_story()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output


def test_audit_verify_fails_on_a_tampered_row(app, runner):
    with app.app_context():
        _full_story()
        target = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assessment.approve"))
        target_id = target.id
        db.session.execute(sa.update(AuditEvent).where(AuditEvent.id == target_id).values(changes={"status": "forged"}))
        db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit event {target_id} " in result.output


@pytest.mark.parametrize("role,status", [("auditor", 200), ("admin", 200), ("reviewer", 403), ("case_officer", 403)])
def test_audit_page_is_for_auditors_and_admins(client, login_as, role, status):
    login_as(role)
    assert client.get("/audit/").status_code == status


def test_audit_page_filters_and_paginates(app, client, login_as):
    login_as("auditor")
    with app.app_context():
        assessment, copy = _full_story()
        ids = assessment.id, copy.id
    page = client.get("/audit/?action=assessment.approve").get_data(as_text=True)
    assert "1 event" in page and "Approved" in page
    page = client.get(f"/audit/?assessment={ids[1]}").get_data(as_text=True)
    assert "2 events" in page
    assert client.get("/audit/?assessment=-3&date_from=nonsense").status_code == 200
    assert client.get("/audit/?page=999").status_code == 200


def test_audit_page_query_count_does_not_grow_with_events(app, client, login_as):
    login_as("auditor")
    counts = []
    for _ in range(2):
        with app.app_context():
            _full_story()
        statements = []

        def count(*args, statements=statements):
            statements.append(1)

        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", count)
            try:
                client.get("/audit/")
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1]
