"""Run the benchmark: ``python -m bench.run --sizes 10000 100000 --databases sqlite postgresql``.

For each database and size: generate the data (or reuse the cached database), time the dashboard's raw SQL, start
Impact under gunicorn (production settings, 2 workers, 127.0.0.1), log in per role and measure every scenario in
bench.scenarios. A bare Flask view under the same gunicorn settings gives the ceiling. Prints a table and one JSON
line, and writes both to bench/results/<timestamp>.json.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from bench import copy_baseline, raw_sql
from bench.data import BENCH_LOGINS, BENCH_PASSWORD, TABLE_ORDER
from bench.machine import machine_info
from bench.report import render_table
from bench.scenarios import SCENARIOS, Context, Request, Scenario
from bench.server import PROJECT_DIR, Client, Gunicorn, peak_growth_mb, reset_peak

BENCH_DIR = Path(__file__).resolve().parent
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
EMAILS = {key: email for key, email, *_ in BENCH_LOGINS}


def database_url(kind: str, size: int, pg_server: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{BENCH_DIR / 'data' / f'impact-{size}.sqlite'}"
    return sa.engine.make_url(pg_server).set(database=f"impact_bench_{size}").render_as_string(hide_password=False)


def _cached(url: str, size: int) -> bool:
    """The database exists, is at the migrations' head(s) and holds exactly ``size`` generated assessments."""
    from alembic.script import ScriptDirectory

    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database).exists():
        return False
    heads = set(ScriptDirectory(str(PROJECT_DIR / "migrations")).get_heads())
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            current = set(connection.scalars(sa.text("SELECT version_num FROM alembic_version")))
            count = connection.scalar(sa.text("SELECT count(*) FROM assessments"))
            marker = connection.scalar(sa.text("SELECT count(*) FROM users WHERE email = :e"), {"e": EMAILS["officer"]})
        return current == heads and count == size and marker == 1
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def ensure_data(url: str, size: int, regenerate: bool) -> dict:
    if not regenerate and _cached(url, size):
        print(f"Reusing {sa.engine.make_url(url).render_as_string()} ({size:,} assessments)", flush=True)
        return {"reused": True}
    print(f"Generating {size:,} assessments into {sa.engine.make_url(url).render_as_string()}", flush=True)
    # A subprocess keeps the generator's app (and its engine) out of this process.
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--assessments", str(size), "--database-url", url],
        cwd=PROJECT_DIR,
        check=True,
        env={**os.environ, "IMPACT_INSTANCE_PATH": tempfile.mkdtemp(prefix="impact-bench-")},
    )
    seconds = time.perf_counter() - started
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        rows = sum(
            connection.scalar(sa.text(f'SELECT count(*) FROM "{table}"'))  # noqa: S608
            for table in TABLE_ORDER
        )
    engine.dispose()
    return {"reused": False, "seconds": round(seconds, 1), "rows": rows, "rows_per_second": round(rows / seconds)}


def context_values(url: str) -> dict:
    """Ids and page numbers the scenarios need, read from the generated data."""
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        q = lambda sql, **kw: connection.scalar(sa.text(sql), kw)  # noqa: E731
        approved = q("SELECT count(*) FROM assessments WHERE status = 'approved'")
        visible = q(
            "SELECT count(*) FROM assessments WHERE status IN ('submitted', 'approved', 'archived') "
            "OR department_id = (SELECT id FROM departments WHERE code = 'SLK')"
        )
        values = {
            "assessment_id": q(
                "SELECT id FROM assessments WHERE status = 'approved' ORDER BY id LIMIT 1 OFFSET :n", n=approved // 2
            ),
            "deep_page": max(1, (visible // 25) * 9 // 10),
            "draft_ids": list(
                connection.scalars(
                    sa.text(
                        "SELECT id FROM assessments WHERE status IN ('draft', 'returned') AND department_id = "
                        "(SELECT id FROM departments WHERE code = 'FFF') ORDER BY id DESC LIMIT 200"
                    )
                )
            ),
            "ground_key": "age",
        }
        # The form pages are measured on a draft that names areas, so that they show the areas' key figures and
        # the notice of earlier negative impacts there (the heaviest form pages there are).
        values["draft_id"] = q(
            "SELECT max(id) FROM assessments WHERE status IN ('draft', 'returned') AND department_id = "
            "(SELECT id FROM departments WHERE code = 'FFF') AND id IN (SELECT assessment_id FROM assessment_areas)"
        ) or (values["draft_ids"][0] if values["draft_ids"] else 0)
        # The list's default order (last changed first, then id): the cursor of the row before the deep page.
        updated, row_id = connection.execute(
            sa.text(
                "SELECT updated_at, id FROM assessments WHERE status IN ('submitted', 'approved', 'archived') "
                "OR department_id = (SELECT id FROM departments WHERE code = 'SLK') "
                "ORDER BY updated_at DESC, id DESC LIMIT 1 OFFSET :n"
            ),
            {"n": max(0, (values["deep_page"] - 1) * 25 - 1)},
        ).one()
        if isinstance(updated, str):  # SQLite stores naive UTC text
            updated = datetime.fromisoformat(updated).replace(tzinfo=UTC)
        values["deep_cursor"] = quote(f"{updated.isoformat()}|{row_id}")
    engine.dispose()
    return values


def create_token(url: str, email: str, instance: str) -> str | None:
    """A Bearer token from ``flask create-token EMAIL``; None while that command does not exist."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("flask")), "--app", "impact", "create-token", email],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "DATABASE_URL": url, "IMPACT_INSTANCE_PATH": instance},
        timeout=120,
    )
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    return lines[-1].split()[-1] if result.returncode == 0 and lines else None


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _build(scenario: Scenario, path: str | None, context: Context, client: Client) -> Request | None:
    if scenario.prepare is not None:
        return scenario.prepare(context, client)
    return Request("GET", path)


def _resolve(scenario: Scenario, context: Context, client: Client) -> tuple[str | None, str]:
    """The scenario's path on this server, or None and why it is skipped."""
    if scenario.prepare is not None:
        request = scenario.prepare(context, client)
        return (None, "no form route yet (hook: SAVE_GROUND_PAGES)") if request is None else ("", "")
    candidates = scenario.path if isinstance(scenario.path, tuple) else (scenario.path,)
    last = None
    for candidate in candidates:
        path = candidate.format(**context.values)
        # A download is probed by its first byte only: a whole 100k export just to learn the route exists is waste.
        response = client.request("GET", path, first_byte_only=scenario.kind == "download")
        last = response.status
        if response.status != 404:
            if response.status >= 400:
                return None, f"HTTP {response.status} {path}"
            return path, ""
    return None, f"{last} {candidates[0].format(**context.values)}"


def measure_page(scenario: Scenario, path: str | None, context: Context, client: Client, args) -> dict:
    """Sequential requests for latency, then a thread pool for throughput; both after a warm-up."""

    def one(own: Client) -> tuple[float, int]:
        request = _build(scenario, path, context, own)
        if request is None:
            return 0.0, 599
        response = own.request(request.method, request.path, request.body)
        return response.seconds, response.status

    for _ in range(args.warmup):
        one(client)
    latencies, errors = [], 0
    deadline = time.monotonic() + args.max_seconds
    while len(latencies) < args.requests and time.monotonic() < deadline:
        seconds, status = one(client)
        latencies.append(seconds)
        errors += status >= 400
    clones = [Client(client.port, dict(client.cookies), client.token) for _ in range(args.threads)]
    done, deadline = 0, time.monotonic() + args.max_seconds

    def worker(own: Client) -> int:
        count = 0
        while count < args.requests // args.threads and time.monotonic() < deadline:
            _, status = one(own)
            count += 1
        return count

    started = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        done = sum(pool.map(worker, clones))
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "median_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
        "throughput_requests": done,
        "rps": round(done / wall, 1),
        "errors": errors,
    }


def measure_download(scenario: Scenario, path: str, gunicorn: Gunicorn, client: Client, args) -> dict:
    """Whole downloads, one at a time: first byte, total time, size, and the worker's peak RSS growth."""
    runs = []
    deadline = time.monotonic() + args.max_seconds
    while len(runs) < args.download_runs and (not runs or time.monotonic() < deadline):
        before = reset_peak(gunicorn.worker_pids())
        response = client.request("GET", path, keep_body=False)
        runs.append(
            (response.first_byte_seconds, response.seconds, peak_growth_mb(before), response.size, response.status)
        )
    return {
        "requests": len(runs),
        "ttfb_ms": round(statistics.median(r[0] for r in runs) * 1000, 1),
        "median_ms": round(statistics.median(r[1] for r in runs) * 1000, 1),
        "p95_ms": round(max(r[1] for r in runs) * 1000, 1),
        "rss_growth_mb": max(r[2] for r in runs),
        "bytes": runs[-1][3],
        "errors": sum(r[4] >= 400 for r in runs),
    }


def measure_bare(args) -> dict:
    print("Bare Flask view under the same gunicorn settings", flush=True)
    with Gunicorn("bench.bare_app:app", {}, workers=args.workers) as server:
        scenario = Scenario("bare Flask view", "/", role=None)
        return {
            "scenario": scenario.name,
            "path": "/",
            **measure_page(scenario, "/", Context(), Client(server.port), args),
        }


def run_database(kind: str, size: int, args, bare_rps: float) -> tuple[dict, list[dict]]:
    url = database_url(kind, size, args.pg_server)
    load = ensure_data(url, size, args.regenerate)
    raw = raw_sql.time_queries(url)
    context = Context(values=context_values(url))
    instance = tempfile.mkdtemp(prefix="impact-bench-inst-")
    tokens = {role: create_token(url, email, instance) for role, email in EMAILS.items() if role == "auditor"}
    env = {
        "IMPACT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url,
        "IMPACT_INSTANCE_PATH": instance,
        "SESSION_COOKIE_SECURE": "0",  # plain HTTP on 127.0.0.1; production sits behind TLS
        "LOG_LEVEL": "WARNING",
        # The download scenarios time the direct URLs whatever the size; in production a register larger than
        # REGISTER_DIRECT_ASSESSMENTS (2,000) is made as a background job instead.
        "REGISTER_DIRECT_ASSESSMENTS": str(10**9),
    }
    rows = []
    selected = [s for s in SCENARIOS if not args.only or any(word in s.name for word in args.only)]
    with Gunicorn("wsgi:app", env, workers=args.workers) as server:
        for role in {s.role for s in selected if s.role}:
            client = Client(server.port)
            client.login(EMAILS[role], BENCH_PASSWORD)
            context.clients[role] = client
        for scenario in selected:
            client = Client(server.port)
            if scenario.auth == "token":
                client.token = tokens.get(scenario.role)
            elif scenario.role:
                client.cookies = dict(context.clients[scenario.role].cookies)
            row = {"database": kind, "size": size, "scenario": scenario.name, "role": scenario.role or "anonymous"}
            if scenario.auth == "token" and not client.token:
                path, why = None, "no token (no create-token command yet)"
            else:
                path, why = _resolve(scenario, context, client)
            print(f"  {kind} {size:,}: {scenario.name} {why}", flush=True)
            if path is None:
                rows.append({**row, "skipped": why})
                continue
            row["path"] = path
            if scenario.kind == "download":
                row.update(measure_download(scenario, path, server, client, args))
                if scenario.copy_baseline and kind == "postgresql":
                    # The database's own CSV of the same query, in the same run: the floor for the download.
                    row.update(copy_baseline.time_copy(url, args.download_runs))
                    row["times_copy"] = round(row["median_ms"] / max(row["copy_ms"], 0.01), 1)
                    row["note"] = f"COPY {row['copy_ms']:,.0f} ms, {row['times_copy']:.1f}× COPY"
            else:
                row.update(measure_page(scenario, path, context, client, args))
                row["fraction_of_bare"] = round(row["rps"] / bare_rps, 3) if bare_rps else None
            if scenario.reference:
                row["raw_sql_ms"] = raw[scenario.reference]["median_ms"]
                row["times_raw_sql"] = round(row["median_ms"] / max(raw[scenario.reference]["median_ms"], 0.01), 1)
            if scenario.note:
                row["note"] = scenario.note.format(**context.values)
            rows.append(row)
    summary = {
        "database": kind,
        "size": size,
        "load": load,
        "raw_sql": raw,
        "context": {k: v for k, v in context.values.items() if k != "draft_ids"},
    }
    return summary, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument(
        "--pg-server",
        default=os.environ.get("BENCH_PG_URL", DEFAULT_PG),
        help="PostgreSQL server URL; databases impact_bench_<size> are created on it",
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per scenario and phase")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--threads", type=int, default=4, help="client threads in the throughput phase")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--max-seconds", type=float, default=30, help="time limit per scenario and phase")
    parser.add_argument("--download-runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="measure only scenarios whose name contains one of these words")
    parser.add_argument("--regenerate", action="store_true", help="generate the data even if a cached copy fits")
    args = parser.parse_args(argv)

    started = datetime.now(UTC)
    load_before = os.getloadavg()
    bare = measure_bare(args)
    summaries, rows = [], []
    for size in args.sizes:
        for kind in args.databases:
            summary, measured = run_database(kind, size, args, bare["rps"])
            summaries.append(summary)
            rows.extend(measured)
    result = {
        "started": started.isoformat(timespec="seconds"),
        "command": "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine_info(args.pg_server if "postgresql" in args.databases else None),
        # Other work on the machine skews every figure; the load average shows whether the run had it to itself.
        "load_average": {"start": [round(x, 2) for x in load_before], "end": [round(x, 2) for x in os.getloadavg()]},
        "settings": {k: getattr(args, k) for k in ("requests", "warmup", "threads", "workers", "max_seconds")},
        "bare": bare,
        "databases": summaries,
        "results": rows,
    }
    table = render_table(result)
    print()
    print(table)
    print(json.dumps(result, separators=(",", ":"), default=str))
    out = BENCH_DIR / "results" / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({**result, "table": table}, indent=1, default=str) + "\n")
    print(f"Written to {out.relative_to(PROJECT_DIR)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
