"""Brand-new databases for tests that need one of their own (backup round trips, fault injection)."""

import os
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from config import normalize_database_url

# The PostgreSQL server the suite may use even when it runs on SQLite (it is there on developers' machines and CI).
POSTGRES_SERVER = normalize_database_url(os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"))


def postgres_server(suite_url: str) -> str:
    """The suite's PostgreSQL server when it runs on one, else the local one."""
    return suite_url if suite_url.startswith("postgresql") else POSTGRES_SERVER


@contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """The URL of a brand-new PostgreSQL database ``name`` on the server ``server_url`` names, dropped afterwards
    (one left over by an interrupted run is dropped first).

    Every engine that connected to it in the meantime (an app's, a migration's, a test's own) is disposed before
    the drop, so that no pooled connection outlives its database: the drop's FORCE would close it under the pool,
    and psycopg warns when the garbage collector later finds it, in whichever test runs then."""
    admin_engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engines: weakref.WeakSet[sa.Engine] = weakref.WeakSet()

    def remember(connection: sa.Connection) -> None:
        if connection.engine.url.database == name:
            engines.add(connection.engine)

    sa.event.listen(sa.Engine, "engine_connect", remember)
    try:
        yield sa.make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        sa.event.remove(sa.Engine, "engine_connect", remember)
        for engine in list(engines):
            engine.dispose()
        with admin_engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


@contextmanager
def fresh_database(kind: str, suite_url: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of ``kind`` ("sqlite" or "postgresql"), dropped afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / f'fresh-{uuid.uuid4().hex[:8]}.sqlite'}"
        return
    with postgres_database(postgres_server(suite_url), f"impact_fresh_{uuid.uuid4().hex[:10]}") as url:
        yield url


def kind_of(url: str) -> str:
    """ "postgresql" or "sqlite": the kind of database ``url`` names."""
    return "postgresql" if url.startswith("postgresql") else "sqlite"


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table, in key order (inside an app context): compare two to prove nothing changed."""
    from impact.core.db import db

    with db.engine.connect() as connection:
        return {
            table.name: [
                dict(row)
                for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()
            ]
            for table in db.metadata.sorted_tables
        }


@contextmanager
def recorded_statements(app) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs inside the block, in order (for query-count tests)."""
    found: list[str] = []

    def listener(_connection, _cursor, statement, *_args):
        found.append(statement)

    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        yield found
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def page_statements(app, client, path: str) -> tuple[int, str]:
    """The number of SQL statements a GET of ``path`` runs, and the page (which must answer 200)."""
    with recorded_statements(app) as found:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(found), response.get_data(as_text=True)
