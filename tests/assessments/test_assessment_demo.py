"""seed-demo adds realistic assessments in every state, once."""

import sqlalchemy as sa

from impact.assessments import validation
from impact.assessments.enums import AssessmentStatus, Outcome
from impact.assessments.models import Alternative, Assessment
from impact.core.db import db


def test_seed_demo_adds_assessments_in_every_state_once(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        states = dict(
            db.session.execute(sa.select(Assessment.status, sa.func.count()).group_by(Assessment.status)).all()
        )
        total = sum(states.values())
        departments = db.session.scalar(sa.select(sa.func.count(sa.distinct(Assessment.department_id))))
    # Each outcome, one continuing despite adverse impacts with its justification and alternatives; every submitted
    # demo assessment complete by today's rules (a request context, for the links of what is missing).
    with app.test_request_context():
        assessments = db.session.scalars(sa.select(Assessment)).all()
        assert {assessment.outcome for assessment in assessments} >= set(Outcome)
        continuing = [a for a in assessments if a.analysis_outcome == Outcome.continue_despite]
        assert any(a.outcome_justification and a.alternatives for a in continuing)
        assert db.session.scalar(sa.select(sa.func.count(Alternative.id))) >= 5
        incomplete = [
            (a.title, [problem.field for problem in validation.all_problems(a)])
            for a in assessments
            if a.status == AssessmentStatus.submitted and validation.all_problems(a)
        ]
        assert incomplete == []
    assert set(states) == set(AssessmentStatus)  # every state, decided included
    assert total >= 25 and departments >= 6
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == total
