"""The dashboard's aggregation as raw SQL, timed on the database driver directly: the floor the dashboard can reach.

The heat map is department × ground × impact class over the assessments a municipality-wide auditor may see
(submitted, approved and archived ones everywhere, plus every assessment of the auditor's own department).
``python -m bench.raw_sql --database-url URL`` prints the timings.
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
    "dashboard": (HEATMAP.replace("EXTRA", ""), {}),
    "dashboard_filtered": (
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


def time_queries(database_url: str, repeat: int = 30) -> dict[str, dict]:
    """Median and p95 milliseconds of each query in QUERIES (after two warm-up runs), and its row count."""
    connection, dialect = _connect(database_url)
    results = {}
    try:
        for name, (sql, _) in QUERIES.items():
            statement = _driver_sql(sql, dialect)
            params = _params(connection, name, dialect)
            timings = []
            rows = 0
            for attempt in range(repeat + 2):
                started = time.perf_counter()
                rows = len(connection.execute(statement, params).fetchall())
                if attempt >= 2:
                    timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            results[name] = {
                "median_ms": round(statistics.median(timings), 2),
                "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
                "rows": rows,
                "runs": len(timings),
            }
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
            f"p95 {figures['p95_ms']:>8.2f} ms  rows {figures['rows']}"
        )


if __name__ == "__main__":
    main()
