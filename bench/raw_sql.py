"""The dashboard's aggregation as raw SQL, timed on the database driver directly: the floor the dashboard can reach.

"dashboard" and "dashboard_filtered" are exactly the statements the dashboard sends for its figures, with their
parameters, captured from ``compute_summary`` for the benchmark's auditor and replayed on a bare driver connection
(no Flask, no ORM, no template): what the page costs beyond them is the app's own overhead.

For comparison, "heatmap_base_tables" (and "_filtered") is the heat map alone computed from the base tables
(department × ground × impact class over ``assessments ⨝ ground_answers`` for what a municipality-wide auditor
may see): what the summary tables save. ``python -m bench.raw_sql --database-url URL`` prints the timings.
"""

import argparse
import statistics
import time
from datetime import UTC, datetime

import sqlalchemy as sa

HEATMAP = """
SELECT a.department_id, ga.ground_id,
  CASE
    WHEN ga.impact IN ('significantly_negative', 'negative') THEN 'negative'
    WHEN ga.impact = 'neutral' THEN 'neutral'
    WHEN ga.impact IN ('positive', 'significantly_positive') THEN 'positive'
    ELSE 'not_assessed'
  END AS impact_class,
  count(*) AS answers
FROM assessments AS a
JOIN ground_answers AS ga ON ga.assessment_id = a.id
WHERE ga.relevant AND ga.impact IS NOT NULL
  AND (a.status IN ('submitted', 'approved', 'archived') OR a.department_id = :own_department)
  EXTRA
GROUP BY a.department_id, ga.ground_id, impact_class
"""

QUERIES = {
    # name -> (SQL, the dashboard URL's filters the SQL mirrors)
    "heatmap_base_tables": (HEATMAP.replace("EXTRA", ""), {}),
    "heatmap_base_tables_filtered": (
        HEATMAP.replace(
            "EXTRA", "AND a.department_id = :department AND a.created_at >= :start AND a.created_at < :end"
        ),
        {"department": "FFF", "years": 2},
    ),
}


def _params(connection, name: str, dialect: str, auditor_department: str = "SLK") -> dict:
    """Bind values for ``name``: department ids looked up by code, the period as the last N whole years."""

    def department_id(code: str) -> int:
        row = connection.execute(
            "SELECT id FROM departments WHERE code = " + ("?" if dialect == "sqlite" else "%s"),  # noqa: S608
            (code,),
        ).fetchone()
        return row[0]

    params: dict = {"own_department": department_id(auditor_department)}
    filters = QUERIES[name][1]
    if "department" in filters:
        now = datetime.now(UTC)
        start = datetime(now.year - filters["years"] + 1, 1, 1, tzinfo=UTC)
        end = datetime(now.year + 1, 1, 1, tzinfo=UTC)
        params["department"] = department_id(filters["department"])
        if dialect == "sqlite":  # SQLAlchemy stores naive UTC text on SQLite
            params["start"] = start.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
            params["end"] = end.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        else:
            params["start"], params["end"] = start, end
    return params


def period_args(years: int = 2) -> dict:
    """The dashboard query-string dates matching the filtered query's period."""
    now = datetime.now(UTC)
    return {"date_from": f"{now.year - years + 1}-01-01", "date_to": f"{now.year}-12-31"}


def _connect(database_url: str):
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        import sqlite3

        return sqlite3.connect(url.database), "sqlite"
    import psycopg

    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    return psycopg.connect(plain, autocommit=True), "postgresql"


def _driver_sql(sql: str, dialect: str) -> str:
    if dialect == "sqlite":
        return sql
    import re

    return re.sub(r":(\w+)", r"%(\1)s", sql)


# The dashboard pages the benchmark measures: name -> query string (bench/scenarios.py uses the same).
DASHBOARDS = {"dashboard": {}, "dashboard_filtered": {"department": "FFF", **period_args(2)}}
AUDITOR = "bench-auditor@boras.example.com"


def dashboard_statements(database_url: str, query: dict) -> list[tuple[str, object]]:
    """The statements (driver SQL and parameters) the dashboard sends to compute its figures under ``query``."""
    from urllib.parse import urlencode

    from config import normalize_database_url
    from impact import create_app
    from impact.auth.models import User
    from impact.core.db import db
    from impact.reports.scope import scoped_filters
    from impact.reports.summary import compute_summary

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url)})
    captured: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _executemany):
        captured.append((statement, parameters))

    with app.test_request_context("/reports/?" + urlencode(query)):
        user = db.session.scalar(sa.select(User).where(User.email == AUDITOR))
        filters = scoped_filters(user)
        sa.event.listen(db.engine, "before_cursor_execute", capture)
        try:
            compute_summary(filters, user)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", capture)
        db.session.remove()
        db.engine.dispose()
    return captured


def _time(connection, statements: list[tuple[str, object]], repeat: int) -> dict:
    """Median and p95 milliseconds of running ``statements`` one after another (after two warm-up runs)."""
    timings, rows = [], 0
    for attempt in range(repeat + 2):
        started = time.perf_counter()
        rows = sum(len(connection.execute(statement, params).fetchall()) for statement, params in statements)
        if attempt >= 2:
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
        "rows": rows,
        "statements": len(statements),
        "runs": len(timings),
    }


def time_queries(database_url: str, repeat: int = 30) -> dict[str, dict]:
    """Timings of the dashboard's own statements and of the base-table heat map, on the driver directly."""
    captured = {name: dashboard_statements(database_url, query) for name, query in DASHBOARDS.items()}
    connection, dialect = _connect(database_url)
    results = {}
    try:
        for name, statements in captured.items():
            results[name] = _time(connection, statements, repeat)
        for name, (sql, _) in QUERIES.items():
            statement = (_driver_sql(sql, dialect), _params(connection, name, dialect))
            results[name] = _time(connection, [statement], repeat)
    finally:
        connection.close()
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time the dashboard's aggregation as raw SQL")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args(argv)
    for name, figures in time_queries(args.database_url, args.repeat).items():
        print(
            f"{name:<20} median {figures['median_ms']:>8.2f} ms  "
            f"p95 {figures['p95_ms']:>8.2f} ms  rows {figures['rows']}  statements {figures['statements']}"
        )


if __name__ == "__main__":
    main()
