"""The floor for the register's CSV: PostgreSQL writing the register's own query as CSV with ``COPY … TO STDOUT
WITH CSV`` to a bare driver connection (no labels, no neutralising, no HTTP). ``bench.run`` times it in the same run
as the CSV download and prints the ratio."""

import statistics
import time

import sqlalchemy as sa

from bench.raw_sql import AUDITOR


def register_copy_sql(database_url: str) -> str:
    """``COPY (the register's query for the benchmark's auditor, unfiltered) TO STDOUT WITH CSV``."""
    from config import normalize_database_url
    from impact import create_app
    from impact.auth.models import User
    from impact.core.db import db
    from impact.reports.register import register_statement
    from impact.reports.scope import scoped_filters

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url)})
    with app.test_request_context("/reports/register.csv"):
        user = db.session.scalar(sa.select(User).where(User.email == AUDITOR))
        statement = register_statement(scoped_filters(user), user)
        sql = str(statement.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
        db.session.remove()
        db.engine.dispose()
    return f"COPY ({sql}) TO STDOUT WITH CSV"


def time_copy(database_url: str, runs: int = 1) -> dict:
    """The median time of reading the whole COPY output ``runs`` times, and its size."""
    import psycopg

    sql = register_copy_sql(database_url)
    times, size = [], 0
    with psycopg.connect(database_url) as connection, connection.cursor() as cursor:
        for _ in range(runs):
            started, size = time.perf_counter(), 0
            with cursor.copy(sql, {}) as copy:  # {}: "%%" in the SQL as written by SQLAlchemy is one "%"
                for block in copy:
                    size += len(block)
            times.append(time.perf_counter() - started)
    return {"copy_ms": round(statistics.median(times) * 1000, 1), "copy_bytes": size}
