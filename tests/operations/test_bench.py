"""The benchmark's generator produces consistent data, and its raw SQL and form helper work on this database."""

import pytest
import sqlalchemy as sa

from bench import raw_sql
from bench.data import BENCH_LOGINS, BENCH_PASSWORD
from bench.generate import generate
from bench.scenarios import post_back_form
from impact.assessments.enums import AssessmentStatus, MitigationStatus
from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.audit import trail
from impact.audit.models import AuditEvent
from impact.auth.models import User
from impact.auth.passwords import verify_password
from impact.core.db import db
from impact.grounds.models import TemplateVersion

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out

SIZE = 50


def _generate() -> None:
    stats = generate(SIZE, seed=7, batch_size=20)
    assert stats.assessments == SIZE
    assert stats.per_table["ground_answers"] == SIZE * 9
    db.session.remove()  # the generator wrote through its own connection


def test_every_assessment_answers_all_nine_grounds(app_ctx):
    _generate()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == SIZE
    grounds = {ground.id for ground in TemplateVersion.current().grounds}
    for assessment in db.session.scalars(sa.select(Assessment)):
        assert {answer.ground_id for answer in assessment.answers} == grounds
        assert assessment.authors and assessment.created_by in assessment.authors
        for answer in assessment.answers:
            if answer.relevant:
                assert answer.impact is not None and answer.confidence is not None
            else:
                assert answer.impact is None and answer.not_relevant_reason


def test_workflow_invariants_hold(app_ctx):
    _generate()
    assessments = list(db.session.scalars(sa.select(Assessment)))
    assert len({a.status for a in assessments}) >= 3  # a mix of states, not one
    for assessment in assessments:
        if assessment.status in (AssessmentStatus.submitted, AssessmentStatus.approved, AssessmentStatus.archived):
            assert assessment.submitted_at is not None and assessment.submitted_at >= assessment.created_at
        if assessment.status in (AssessmentStatus.approved, AssessmentStatus.archived):
            assert assessment.decided_by is not None and assessment.decided_at >= assessment.submitted_at
        # A decider never decides an assessment they wrote (four eyes).
        assert assessment.decided_by_id not in {author.id for author in assessment.authors}


def test_negative_impacts_are_mitigated_or_justified(app_ctx):
    _generate()
    negatives = db.session.scalars(sa.select(GroundAnswer).where(GroundAnswer.relevant.is_(True))).all()
    negatives = [answer for answer in negatives if answer.impact.is_negative]
    assert negatives
    for answer in negatives:
        assert answer.mitigations or answer.acceptance_justification
    for mitigation in db.session.scalars(sa.select(Mitigation)):
        # An action of the plan addresses negative grounds of its own assessment.
        assert mitigation.answers and all(answer.impact.is_negative for answer in mitigation.answers)
        assert {answer.assessment_id for answer in mitigation.answers} == {mitigation.assessment_id}
        assert mitigation.status != MitigationStatus.dropped or mitigation.dropped_reason


def test_audit_chain_verifies_in_time_order(app_ctx):
    _generate()
    assert trail.first_broken_link() is None
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert len(events) >= SIZE  # at least one creation event per assessment
    times = [event.created_at for event in events]
    assert times == sorted(times)
    # A new event written by the app continues the generated chain.
    trail.record("bench.check")
    db.session.commit()
    assert trail.first_broken_link() is None


def test_bench_accounts_log_in_and_ids_continue(app_ctx):
    _generate()
    for _key, email, roles, _department, _wide in BENCH_LOGINS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert {role.value for role in user.roles} == set(roles)
        assert verify_password(user.password_hash, BENCH_PASSWORD)
    # Sequences continue after the explicit ids (PostgreSQL COPY does not advance them by itself).
    assessment = Assessment(**{c: v for c, v in _copyable(db.session.get(Assessment, 1)).items()})
    db.session.add(assessment)
    db.session.flush()
    assert assessment.id == SIZE + 1


def _copyable(assessment: Assessment) -> dict:
    skip = {"id", "lock_version"}
    return {c.key: getattr(assessment, c.key) for c in sa.inspect(Assessment).column_attrs if c.key not in skip}


def test_raw_sql_counts_agree_with_the_orm(app, database_url):
    with app.app_context():
        _generate()
        slk = db.session.scalar(sa.text("SELECT id FROM departments WHERE code = 'SLK'"))
        visible = sa.or_(Assessment.status.in_(["submitted", "approved", "archived"]), Assessment.department_id == slk)
        expected = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(GroundAnswer)
            .join(Assessment)
            .where(GroundAnswer.relevant.is_(True), GroundAnswer.impact.is_not(None), visible)
        )
        db.session.remove()
    connection, dialect = raw_sql._connect(database_url)
    try:
        rows = connection.execute(
            raw_sql._driver_sql(raw_sql.QUERIES["heatmap_base_tables"][0], dialect),
            raw_sql._params(connection, "heatmap_base_tables", dialect),
        ).fetchall()
    finally:
        connection.close()
    assert sum(row[-1] for row in rows) == expected > 0
    assert {row[2] for row in rows} <= {"negative", "neutral", "positive", "not_assessed"}


def test_the_raw_sql_reference_replays_the_dashboards_own_statements(app, database_url):
    """The reference is what the dashboard sends: the summary tables, and the base tables only for the overdue
    mitigations per owner's department, which the summary tables do not keep."""
    with app.app_context():
        _generate()
    statements = raw_sql.dashboard_statements(database_url, raw_sql.DASHBOARDS["dashboard"])
    sql = " ".join(statement.lower() for statement, _params in statements)
    assert "from assessment_counts" in sql and "from impact_totals" in sql and "from due_counts" in sql
    live = [statement.lower() for statement, _params in statements if "ground_answers" in statement.lower()]
    assert len(live) == 1 and "mitigations.owner_id" in live[0]
    timings = raw_sql.time_queries(database_url, repeat=1)
    assert set(timings) == {"dashboard", "dashboard_filtered", "heatmap_base_tables", "heatmap_base_tables_filtered"}
    assert timings["dashboard"]["statements"] == len(statements) and timings["dashboard"]["rows"] > 0


def test_post_back_form_sends_the_form_as_it_stands():
    html = """
    <form method="post" action="/language/en"><input name="csrf_token" type="hidden" value="t"></form>
    <form method="post" action="/assessments/3/grounds/age">
      <input name="csrf_token" type="hidden" value="abc">
      <input type="radio" name="relevant" value="yes" checked><input type="radio" name="relevant" value="no">
      <select name="impact"><option value="neutral">N</option><option value="negative" selected>Neg</option></select>
      <textarea name="evidence">Statistik</textarea>
      <input type="checkbox" name="districts" value="1" checked><input type="checkbox" name="districts" value="2">
      <button type="submit">Save</button>
    </form>"""
    request = post_back_form(html, "/x")
    assert request.method == "POST" and request.path == "/assessments/3/grounds/age"
    assert request.body == {
        "csrf_token": ["abc"],
        "relevant": ["yes"],
        "impact": ["negative"],
        "evidence": ["Statistik"],
        "districts": ["1"],
    }
