"""seed-demo adds realistic assessments in every state, once."""

import sqlalchemy as sa

from impact.assessments.models import Assessment
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
    assert {state.value for state in states} == {"draft", "submitted", "returned", "approved", "withdrawn", "archived"}
    assert total >= 25 and departments >= 6
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == total
