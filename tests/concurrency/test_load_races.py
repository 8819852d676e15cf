"""Races and faults the load test provokes, replayed deterministically (a save racing a submission, a lost commit)."""

import pytest
import sqlalchemy as sa

from impact.assessments import operations
from impact.assessments.enums import AssessmentStatus
from impact.assessments.models import Assessment
from impact.core.db import db, utcnow
from impact.grounds.models import Ground
from tests import factories
from tests.assessment_helpers import neutral_ground


def _submit_elsewhere(assessment_id: int) -> None:
    """A colleague's request, on its own connection, submits the assessment and commits."""
    with db.engine.begin() as connection:
        connection.execute(
            sa.update(Assessment)
            .where(Assessment.id == assessment_id)
            .values(status="submitted", submitted_at=utcnow(), lock_version=Assessment.lock_version + 1)
        )


def test_a_ground_save_that_loaded_a_draft_is_refused_once_a_colleague_has_submitted(app_ctx):
    assessment = factories.create_assessment(answers={"age": "neutral"})
    db.session.commit()
    officer = assessment.created_by
    ground = db.session.scalar(sa.select(Ground).where(Ground.key == "age"))
    # This request loaded the assessment while it was a draft ...
    assert assessment.status == AssessmentStatus.draft
    answer_version = operations.answer_version(assessment, ground)
    db.session.commit()  # end the read, as a request's reads end before its writes on SQLite
    assessment = db.session.get(Assessment, assessment.id)
    assessment.answers  # noqa: B018  (loaded as the page loads them)
    # ... and a colleague submits before it writes.
    _submit_elsewhere(assessment.id)
    data = {**neutral_ground(), "relevant": True, "evidence": "Ändrat efter inskickningen.", "mitigations": []}
    with pytest.raises(operations.StaleEdit):
        operations.save_ground(assessment, ground, officer, data, answer_version)
    db.session.rollback()
    saved = db.session.get(Assessment, assessment.id)
    assert saved.status == AssessmentStatus.submitted
    assert saved.answer_for(ground).evidence != "Ändrat efter inskickningen."


def test_a_login_whose_commit_fails_leaves_nobody_logged_in(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from tests.conftest import csrf_token

    with app.app_context():
        user = factories.create_user()
        db.session.commit()
        email = user.email
    app.config["PROPAGATE_EXCEPTIONS"] = False
    token = csrf_token(client)

    def connection_killed():
        raise OperationalError("COMMIT", {}, Exception("terminating connection due to administrator command"))

    with monkeypatch.context() as patched:
        patched.setattr(db.session, "commit", connection_killed)
        response = client.post("/login", data={"email": email, "password": factories.PASSWORD, "csrf_token": token})
    assert response.status_code == 500
    # The error page carries no logged-in session: the next page asks for a login again.
    assert client.get("/assessments/").status_code == 302
