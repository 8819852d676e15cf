"""Fixtures shared by the whole suite.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL is set (CI does both). The schema is
created once per session; after every test all rows are removed, so each test starts from an empty database.
"""

import os
import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from config import normalize_database_url
from impact import create_app
from impact.assessments.search import schema as search_schema
from impact.core.db import db
from impact.grounds.defaults import install_default_template
from impact.notifications.sending import CAPTURED_KEY
from tests import factories
from tests.databases import postgres_database


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """SQLite in a temporary folder, or DATABASE_URL; with pytest-xdist, each worker gets a database of its own."""
    url = os.environ.get("DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'impact-test.sqlite'}"
    elif worker:
        server = normalize_database_url(url)
        with postgres_database(server, f"{sa.make_url(server).database}_{worker}") as worker_url:
            yield worker_url
    else:
        yield normalize_database_url(url)


@pytest.fixture(scope="session")
def _schema(database_url: str) -> Iterator[None]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


def _empty_all_tables() -> None:
    """Delete every row, children first, and start the ids again at 1.

    DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE of every table costs about a second (each table gets new
    files), a DELETE of the few rows a test leaves costs milliseconds. On PostgreSQL the statements go as one
    script, in one round trip.
    """
    connection = db.session.connection()  # below the session's guard on bulk changes (impact/reports/derived.py)
    tables = reversed(db.metadata.sorted_tables)
    if db.engine.dialect.name == "postgresql":
        sequences = connection.scalars(sa.text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"))
        script = [f'DELETE FROM "{table.name}"' for table in tables]  # noqa: S608  (names from the models)
        script += [f'ALTER SEQUENCE "{sequence}" RESTART' for sequence in sequences.all()]
        connection.exec_driver_sql("; ".join(script))
    else:
        for table in tables:
            connection.execute(table.delete())
    search_schema.clear(connection)  # not in the metadata; on SQLite nothing cascades to it
    db.session.commit()


@pytest.fixture(scope="session")
def jobs_dir(tmp_path_factory) -> str:
    """Where the test apps keep the files background jobs make (JOBS_DIR), instead of the instance folder."""
    return str(tmp_path_factory.mktemp("jobs"))


@pytest.fixture(scope="session")
def _shared_app(database_url: str, _schema: None, jobs_dir: str) -> Iterator[Flask]:
    """One app for the whole session: its URL map, compiled templates and SQL cache are built once, not per test."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "JOBS_DIR": jobs_dir})
    yield app
    with app.app_context():
        db.engine.dispose()  # close the pooled connections before the database is dropped


@pytest.fixture
def app(request: pytest.FixtureRequest, database_url: str, _shared_app: Flask, jobs_dir: str) -> Iterator[Flask]:
    """The app on an empty database holding only the default template.

    Tests share one app; what a test changes on it (config, extensions, captured mail) is put back afterwards. A
    test that adds routes of its own is marked ``own_app`` and gets an app of its own, since routes cannot be
    added to an app that has served requests.
    """
    own_app = request.node.get_closest_marker("own_app") is not None
    overrides = {"SQLALCHEMY_DATABASE_URI": database_url, "JOBS_DIR": jobs_dir}
    app = create_app("testing", overrides) if own_app else _shared_app
    config, extensions = dict(app.config), dict(app.extensions)
    with app.app_context():
        install_default_template()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        _empty_all_tables()
        db.session.remove()
        if own_app:
            db.engine.dispose()
    app.config.clear()
    app.config.update(config)
    app.extensions.clear()
    app.extensions.update(extensions)
    app.extensions.pop(CAPTURED_KEY, None)


@pytest.fixture(scope="session")
def _oidc_provider_server(tmp_path_factory):
    """oidc-provider (npm) in a Node.js process, one per test worker (tests/oidc/provider.mjs)."""
    from tests.oidc.provider import NodeProvider

    provider = NodeProvider(tmp_path_factory.mktemp("oidc-provider")).start()
    yield provider
    provider.stop()


@pytest.fixture(scope="session")
def _oidc_interceptor(_oidc_provider_server):
    from tests.oidc.interceptor import TokenInterceptor

    interceptor = TokenInterceptor(_oidc_provider_server).start()
    yield interceptor
    interceptor.stop()


@pytest.fixture
def oidc_provider(request: pytest.FixtureRequest, app: Flask, _oidc_provider_server, _oidc_interceptor):
    """The OpenID Connect provider on 127.0.0.1, emptied, with the app registered as its client and pointed at it.
    In a browser test the client's redirect URI is the live server's."""
    from tests.oidc.handle import ProviderHandle

    live = "live_server" in request.fixturenames
    app_url = request.getfixturevalue("live_server").url if live else "http://localhost"
    _oidc_provider_server.reset(app_url)
    app.config.update(_oidc_provider_server.config())
    handle = ProviderHandle(app, _oidc_provider_server, _oidc_interceptor)
    handle.fault = None
    yield handle
    _oidc_interceptor.fault = None


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def english(client: FlaskClient) -> None:
    """The client reads English pages (use with ``pytestmark = pytest.mark.usefixtures("english")``): its browser
    asks for English, and English is chosen with the language switch before logging in, so that the accounts it
    logs in with take that choice (Accept-Language alone does not count once logged in)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.post("/language/en", data={"csrf_token": csrf_token(client), "next": "/login"})


@pytest.fixture
def seeded(app: Flask) -> dict[str, int]:
    """The report data set (``factories.seed_report_data``): assessment ids by name."""
    with app.app_context():
        made = factories.seed_report_data()
        db.session.commit()
        return {name: assessment.id for name, assessment in made.items()}


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def app_ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token from a rendered form, as a browser would send it back."""
    response = client.get(path)
    match = CSRF_INPUT.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


class AuthActions:
    """Log in and out through the real login form (CSRF included)."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def login(self, email: str, password: str = factories.PASSWORD, next_url: str | None = None):
        data = {"email": email, "password": password, "csrf_token": csrf_token(self.client)}
        if next_url is not None:
            data["next"] = next_url
        return self.client.post("/login", data=data)

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": csrf_token(self.client, "/")})


@pytest.fixture
def auth(client: FlaskClient) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def login_as(app: Flask, auth: AuthActions):
    """login_as("reviewer", department="FFF") creates a user with that role and logs them in; returns the user."""

    def _login_as(*roles: str, department: str = "FFF", **kwargs):
        with app.app_context():
            user = factories.create_user(roles=roles or ("case_officer",), department=department, **kwargs)
            db.session.commit()
            user_id, email = user.id, user.email
        response = auth.login(email)
        assert response.status_code == 302, response.get_data(as_text=True)
        with app.app_context():
            return db.session.get(factories.User, user_id)

    return _login_as
