"""Concurrent writers: no deadlock between the audit trail and the summary tables, and a request that loses a race
in the database runs again instead of failing.

The deadlock test runs on PostgreSQL (the suite's server, or the local one when the suite runs on SQLite): two
connections take the audit trail and the summary rows in the two opposite orders. Before the audit chain was
sealed after commit and the summary rows were written at commit in one order, one of the two was aborted with
40P01 (DeadlockDetected).
"""

import threading

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask

from impact import create_app
from impact.assessments.enums import AssessmentStatus
from impact.assessments.models import Assessment
from impact.audit import trail
from impact.audit.models import AuditEvent
from impact.core import retry
from impact.core.db import db
from impact.grounds.defaults import install_default_template
from impact.reports import derived
from tests import factories
from tests.databases import fresh_database
from tests.reports.test_dashboard_counts import _tables


@pytest.fixture
def postgres_app(database_url, tmp_path):
    with fresh_database("postgresql", database_url, tmp_path) as url:
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            db.create_all()
            install_default_template()
            db.session.commit()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
def test_writers_taking_the_trail_and_the_summary_rows_in_opposite_orders_both_commit(postgres_app: Flask):
    with postgres_app.app_context():
        author = factories.create_user(roles=("case_officer",), department="FFF")
        first = factories.create_assessment(status="draft", department="FFF", author=author)
        second = factories.create_assessment(status="draft", department="FFF", author=author)
        db.session.commit()
        ids = (first.id, second.id)  # same department, status and month: the same summary rows
        events_before = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    barrier = threading.Barrier(2, timeout=30)
    failures: list[BaseException] = []

    def writer(assessment_id: int, trail_first: bool) -> None:
        with postgres_app.app_context():
            try:
                assessment = db.session.get(Assessment, assessment_id)
                if trail_first:  # the audit trail, then (after the other has its rows) the summary rows
                    trail.record("assessment.update", assessment, changes={"title": {"before": "a", "after": "b"}})
                    barrier.wait()
                    assessment.status = AssessmentStatus.withdrawn
                    db.session.flush()
                else:  # the summary rows, then (after the other has the trail) the audit trail
                    assessment.status = AssessmentStatus.withdrawn
                    db.session.flush()
                    barrier.wait()
                    trail.record("assessment.update", assessment, changes={"title": {"before": "c", "after": "d"}})
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 (reported by the test below)
                failures.append(error)
                barrier.abort()
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=writer, args=(ids[0], True)),
        threading.Thread(target=writer, args=(ids[1], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    with postgres_app.app_context():
        statuses = db.session.scalars(sa.select(Assessment.status).where(Assessment.id.in_(ids))).all()
        assert statuses == [AssessmentStatus.withdrawn] * 2
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)) == events_before + 2
        assert trail.first_broken_link() is None and trail.unsealed_count() == 0
        kept = _tables()
        derived.rebuild_all()
        assert _tables() == kept
        db.session.rollback()


def _deadlock() -> sa.exc.OperationalError:
    return sa.exc.OperationalError("UPDATE …", {}, psycopg.errors.DeadlockDetected("deadlock detected"))


@pytest.fixture
def new_assessment(login_as, client) -> dict:
    """A case officer is logged in; the start page's form filled in as they would."""
    from tests.conftest import csrf_token

    login_as("case_officer")
    return {
        "csrf_token": csrf_token(client, "/assessments/new"),
        "title": "Nya öppettider på biblioteket",
        "case_number": "2026-00123",
        "committee": "Fritids- och folkhälsonämnden",
        "description": "Biblioteket öppnar senare.",
        "purpose": "Spara pengar.",
        "concerns": "Besökare.",
        "whole_municipality": "y",
    }


def test_a_request_that_loses_a_race_runs_again_and_saves_once(app: Flask, new_assessment, client, monkeypatch):
    from impact.assessments import operations

    create = operations.create
    calls = []

    def create_then_deadlock(actor, data):
        calls.append(1)
        assessment = create(actor, data)
        if len(calls) == 1:
            db.session.flush()  # the first attempt's rows reach the database, then the attempt is aborted
            raise _deadlock()
        return assessment

    monkeypatch.setattr(operations, "create", create_then_deadlock)
    monkeypatch.setattr(retry.time, "sleep", lambda _seconds: None)
    response = client.post("/assessments/new", data=new_assessment)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert len(calls) == 2
    with app.app_context():
        titles = db.session.scalars(sa.select(Assessment.title)).all()
        assert titles == ["Nya öppettider på biblioteket"]
        created = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action == "assessment.create"))
        assert len(created.all()) == 1


def test_a_request_that_keeps_losing_keeps_the_input_and_says_so(app: Flask, new_assessment, client, monkeypatch):
    from impact.assessments import operations

    def always_deadlock(actor, data):
        raise _deadlock()

    monkeypatch.setattr(operations, "create", always_deadlock)
    monkeypatch.setattr(retry.time, "sleep", lambda _seconds: None)
    response = client.post("/assessments/new", data=new_assessment)
    assert response.status_code == 302 and response.headers["Location"].endswith("/assessments/new")
    page = client.get("/assessments/new").get_data(as_text=True)
    assert "Impact hade för mycket att göra" in page  # in Swedish, the user's language
    assert 'value="Nya öppettider på biblioteket"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 0


@pytest.mark.own_app
def test_a_request_without_a_form_to_keep_gets_a_busy_page_in_the_users_language(app: Flask, monkeypatch):
    monkeypatch.setattr(retry.time, "sleep", lambda _seconds: None)
    attempts = []

    @app.get("/test-busy")
    def busy():
        attempts.append(1)
        raise _deadlock()

    response = app.test_client().get("/test-busy", headers={"Accept-Language": "en"})
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert len(attempts) == retry.ATTEMPTS
    assert "Impact is busy" in response.get_data(as_text=True)


@pytest.mark.own_app
def test_other_database_errors_are_not_run_again(app: Flask):
    attempts = []

    @app.get("/test-broken")
    def broken():
        attempts.append(1)
        raise sa.exc.OperationalError("SELECT", {}, psycopg.errors.UndefinedTable("no such table"))

    with pytest.raises(sa.exc.OperationalError):  # the testing app lets errors through to the test
        app.test_client().get("/test-broken")
    assert len(attempts) == 1
