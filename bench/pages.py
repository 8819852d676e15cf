"""The assessment page, the form pages and the assessment list timed in-process: queries, their time, the median.

``python -m bench.pages --database-url URL`` signs in the generated benchmark accounts through the Flask test
client (no gunicorn, no network), requests each page ``--repeat`` times after warm-up, and prints per page the
number of SQL statements, the time spent in them and the median and p95 of the whole request. ``--statements``
also lists each statement of one request with its time, slowest first, to find what to EXPLAIN.
"""

import argparse
import re
import statistics
import time
from datetime import UTC, datetime
from urllib.parse import quote

import sqlalchemy as sa

from bench.data import BENCH_LOGINS, BENCH_PASSWORD
from bench.generate import make_app


def _pages(connection) -> list[tuple[str, str, str]]:
    """(label, role, path) of each page to time, with ids read from the data (as bench/run.py picks them)."""
    q = lambda sql, **kw: connection.scalar(sa.text(sql), kw)  # noqa: E731
    approved = q("SELECT count(*) FROM assessments WHERE status = 'approved'")
    approved_id = q(
        "SELECT id FROM assessments WHERE status = 'approved' ORDER BY id LIMIT 1 OFFSET :n", n=approved // 2
    )
    submitted_id = q(
        "SELECT id FROM assessments WHERE status = 'submitted' AND department_id = "
        "(SELECT id FROM departments WHERE code = 'FFF') ORDER BY id DESC LIMIT 1"
    )
    officer_id = q("SELECT id FROM users WHERE email = 'bench-officer@boras.example.com'")
    # An assessment the officer wrote (their department, in draft or returned, so they may edit it).
    authored_id = q(
        "SELECT a.id FROM assessments a JOIN assessment_authors aa ON aa.assessment_id = a.id "
        "WHERE aa.user_id = :u AND a.status IN ('draft', 'returned') ORDER BY a.id DESC LIMIT 1",
        u=officer_id,
    ) or q(
        "SELECT id FROM assessments WHERE status IN ('draft', 'returned') AND department_id = "
        "(SELECT id FROM departments WHERE code = 'FFF') ORDER BY id DESC LIMIT 1"
    )
    visible_where = (
        "status IN ('submitted', 'approved', 'archived') "
        "OR department_id = (SELECT id FROM departments WHERE code = 'SLK')"
    )
    visible = q(f"SELECT count(*) FROM assessments WHERE {visible_where}")  # noqa: S608
    deep_page = max(1, (visible // 25) * 9 // 10)
    updated, row_id = connection.execute(
        sa.text(
            f"SELECT updated_at, id FROM assessments WHERE {visible_where} "  # noqa: S608
            "ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET :n"
        ),
        {"n": max(0, (deep_page - 1) * 25 - 1)},
    ).one()
    if isinstance(updated, str):  # SQLite stores naive UTC text
        updated = datetime.fromisoformat(updated).replace(tzinfo=UTC)
    cursor = quote(f"{updated.isoformat()}|{row_id}")
    return [
        ("assessment page (approved)", "auditor", f"/assessments/{approved_id}"),
        ("assessment page (submitted)", "reviewer", f"/assessments/{submitted_id}"),
        ("assessment page (own draft)", "officer", f"/assessments/{authored_id}"),
        ("proposal form page", "officer", f"/assessments/{authored_id}/proposal"),
        ("ground form page (residence)", "officer", f"/assessments/{authored_id}/grounds/geographic_residence"),
        ("ground form page (age)", "officer", f"/assessments/{authored_id}/grounds/age"),
        ("review page (submitted)", "reviewer", f"/review/{submitted_id}"),
        ("list page 1", "auditor", "/assessments/"),
        (f"list deep page ({deep_page})", "auditor", f"/assessments/?after={cursor}"),
        ("list page 1 (officer)", "officer", "/assessments/"),
        (
            "list filtered+sorted",
            "auditor",
            "/assessments/?status=approved&department=FFF&ground=gender&impact=negative&sort=title",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="labels containing any of these words")
    parser.add_argument("--statements", action="store_true", help="list each statement of one request")
    args = parser.parse_args(argv)

    app = make_app(args.database_url)
    from impact.core.db import db

    with app.app_context():
        with db.engine.connect() as connection:
            pages = _pages(connection)
        emails = {role: email for role, email, *_rest in BENCH_LOGINS}
        statements: list[tuple[float, str]] = []
        started: dict = {}

        def before(conn, cursor, statement, parameters, context, executemany):
            started[id(cursor)] = time.perf_counter()

        def after(conn, cursor, statement, parameters, context, executemany):
            statements.append((time.perf_counter() - started.pop(id(cursor)), statement))

        sa.event.listen(db.engine, "before_cursor_execute", before)
        sa.event.listen(db.engine, "after_cursor_execute", after)

    clients = {}
    for role in sorted({role for _label, role, _path in pages}):
        client = app.test_client()
        with app.app_context():
            token_page = client.get("/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', token_page.get_data(as_text=True))
        response = client.post(
            "/login",
            data={"email": emails[role], "password": BENCH_PASSWORD, "csrf_token": token.group(1) if token else ""},
        )
        assert response.status_code == 302, (role, response.status_code)
        clients[role] = client

    print(f"{'page':34} {'role':9} {'queries':>7} {'SQL ms':>8} {'median ms':>10} {'p95 ms':>8}")
    for label, role, path in pages:
        if args.only and not any(word in label for word in args.only):
            continue
        client = clients[role]
        for _ in range(args.warmup):
            assert client.get(path).status_code == 200, (label, path)
        times, counts, sql_times = [], [], []
        for _ in range(args.repeat):
            statements.clear()
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (label, path, response.status_code)
            counts.append(len(statements))
            sql_times.append(sum(seconds for seconds, _sql in statements) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(
            f"{label:34} {role:9} {statistics.median(counts):7.0f} {statistics.median(sql_times):8.1f} "
            f"{statistics.median(times):10.1f} {p95:8.1f}"
        )
        if args.statements:
            statements.clear()
            client.get(path)
            for seconds, sql in sorted(statements, reverse=True):
                print(f"    {seconds * 1000:7.2f} ms  {' '.join(sql.split())[:220]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
