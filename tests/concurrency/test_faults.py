"""Faults: lost database connections, a request failing half-way, concurrent writers on SQLite."""

import threading

import pytest
import sqlalchemy as sa

from impact import create_app
from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.audit import trail
from impact.core.db import db
from impact.org.models import District
from tests import factories
from tests.databases import fresh_database, postgres_server, snapshot


def test_the_app_reconnects_after_postgresql_kills_its_connections(database_url, tmp_path, app):
    with fresh_database("postgresql", database_url, tmp_path) as url:
        victim = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with victim.app_context():
            db.create_all()
            factories.create_user(email="survivor@test.example.com")
            db.session.commit()
        client = victim.test_client()
        assert client.get("/healthz").status_code == 200
        name = sa.make_url(url).database
        admin_engine = sa.create_engine(postgres_server(database_url), isolation_level="AUTOCOMMIT")
        with admin_engine.connect() as connection:
            killed = connection.execute(
                sa.text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            ).scalar()
        admin_engine.dispose()
        assert killed >= 1, "the app held no pooled connection to kill"
        # The next requests find a dead pooled connection; pre-ping replaces it instead of failing.
        assert client.get("/healthz").status_code == 200
        assert client.get("/login").status_code == 200
        response = client.post(
            "/login",
            data={
                "email": "survivor@test.example.com",
                "password": factories.PASSWORD,
                "csrf_token": _token(client),
            },
        )
        assert response.status_code == 302
        with victim.app_context():
            db.session.remove()
            db.engine.dispose()


def _token(client) -> str:
    from tests.conftest import csrf_token

    return csrf_token(client)


@pytest.fixture
def half_way_route(app):
    """A request that writes an assessment, its answers and an audit event, flushes, then fails."""
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.post("/test-half-way")
    def half_way():
        assessment = factories.create_assessment(answers={"age": {"impact": "negative", "mitigations": [{}, {}]}})
        trail.record("assessment.created", assessment, actor=None)
        db.session.flush()
        assessment.answers.append(GroundAnswer(ground=assessment.template_version.grounds[0], relevant=True))
        db.session.flush()
        raise RuntimeError("the worker died half-way")

    return app


@pytest.mark.own_app
def test_a_request_failing_half_way_writes_nothing(half_way_route, client):
    app = half_way_route
    app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        before = snapshot()
    response = client.post("/test-half-way")
    assert response.status_code == 500
    assert "Något gick fel" in response.get_data(as_text=True)
    with app.app_context():
        assert snapshot() == before
        for model in (Assessment, GroundAnswer, Mitigation):
            assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    # The session was rolled back: the next request works and writes normally.
    assert client.get("/healthz").status_code == 200
    with app.app_context():
        factories.create_assessment()
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 1


def test_sqlite_runs_with_wal_and_a_busy_timeout(tmp_path):
    file_app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wal.sqlite'}"})
    with file_app.app_context():
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(sa.text("PRAGMA busy_timeout")).scalar() >= 5000
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_two_threads_writing_to_sqlite_at_once_never_see_database_is_locked(tmp_path):
    """Each thread reads, then writes, then commits, many times: the pattern of a request that saves an answer."""
    file_app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'busy.sqlite'}"})
    with file_app.app_context():
        db.create_all()
    rounds, errors = 60, []
    start = threading.Barrier(2)

    def writer(number: int) -> None:
        with file_app.app_context():
            start.wait()
            try:
                for step in range(rounds):
                    db.session.scalar(sa.select(sa.func.count()).select_from(District))
                    db.session.add(District(name=f"Kommundel {number}-{step}"))
                    db.session.commit()
            except sa.exc.OperationalError as error:  # "database is locked" would land here
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(number,)) for number in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with file_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(District)) == 2 * rounds
        db.engine.dispose()
