"""Concurrency and load test: gunicorn instances on one database, simulated case officers and reviewers.

    .venv/bin/python -m bench.load --database postgresql --instances 2 --workers 2 --officers 50 --reviewers 5 \
        --seconds 60
    .venv/bin/python -m bench.load --database sqlite --instances 1 --workers 2 --officers 12 --reviewers 2

Creates a fresh database (PostgreSQL at PG_URL, default postgresql://postgres@127.0.0.1:5432/postgres, or a SQLite
file), migrates and seeds it, serves it with gunicorn on free ports of 127.0.0.1 (IMPACT_ENV=production) and lets
the users log in, then work for the given seconds. Then compares every acknowledged write with the database,
prints latency percentiles per action and a last line of JSON with every figure. Exits 1 on any 5xx, lost write,
unreported conflict, "database is locked" or half-written assessment. Always stops its servers and drops its database.
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlalchemy as sa

from bench.load_client import Recorder, percentile
from bench.load_users import PASSWORD, Ledger, Officer, Reviewer, Team, World

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DEPARTMENTS = ("FFF", "KUF", "GSF", "VAF", "SBF")
LOG_PROBLEMS = ("database is locked", "Traceback", "[CRITICAL]", "WORKER TIMEOUT")


@contextmanager
def fresh_database(kind: str, server: str, folder: Path):
    """The URL of an empty database, dropped (or deleted with the folder) afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'load.sqlite'}"
        return
    from config import normalize_database_url

    server = normalize_database_url(server)
    name = f"impact_load_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def seed(app, officers: int, reviewers: int, backlog: int) -> tuple[list[str], list[str]]:
    """Migrate, publish the grounds, add the users (production password hashing, one hash for all) and a backlog
    of ``backlog`` complete submitted assessments, so that reviewers have work from the first second."""
    from datetime import timedelta

    from flask_migrate import upgrade

    from impact.assessments.enums import AssessmentStatus, Confidence, Impact
    from impact.assessments.models import Assessment, GroundAnswer
    from impact.audit import trail
    from impact.auth.models import User
    from impact.auth.passwords import hash_password
    from impact.auth.roles import Role
    from impact.core.db import db, utcnow
    from impact.demo.organisation import ensure_departments, ensure_districts
    from impact.grounds.defaults import install_default_template
    from impact.grounds.models import TemplateVersion

    with app.app_context():
        upgrade()
        install_default_template()
        departments = ensure_departments()
        ensure_districts()
        password_hash = hash_password(PASSWORD)
        officer_emails = [f"officer{number}@load.example.com" for number in range(officers)]
        reviewer_emails = [f"reviewer{number}@load.example.com" for number in range(reviewers)]
        for number, email in enumerate(officer_emails):
            # Neighbours share a department, so that pairs (0, 1), (2, 3), ... may edit each other's work.
            department = departments[DEPARTMENTS[(number // 2) % len(DEPARTMENTS)]]
            user = User(email=email, name=f"Handläggare {number}", password_hash=password_hash, department=department)
            user.roles = [Role.case_officer]
            db.session.add(user)
        for number, email in enumerate(reviewer_emails):
            user = User(
                email=email,
                name=f"Granskare {number}",
                password_hash=password_hash,
                department=departments["SLK"],
                municipality_wide=True,
            )
            user.roles = [Role.reviewer]
            db.session.add(user)
        db.session.flush()
        authors = db.session.scalars(sa.select(User).where(User.email.in_(officer_emails)).order_by(User.id)).all()
        version = TemplateVersion.current()
        earlier = utcnow() - timedelta(hours=1)
        for number in range(backlog if authors else 0):
            author = authors[number % len(authors)]
            assessment = Assessment(
                template_version=version,
                department=author.department,
                created_by=author,
                title=f"Inskickad före provet {number}",
                case_number=f"2025-{number:05d}",
                committee=author.department.committee,
                description="Ändrade öppettider.",
                purpose="Minska kostnaderna.",
                concerns="Besökare.",
                whole_municipality=True,
                affects_people=True,
                overall_assessment="Små effekter.",
                recommendation="Genomför förslaget.",
                created_at=earlier,
                updated_at=earlier,
            )
            assessment.authors = [author]
            for ground in version.active_grounds:
                assessment.answers.append(
                    GroundAnswer(
                        ground=ground,
                        relevant=True,
                        impact=Impact.neutral,
                        affected_groups="Alla besökare.",
                        evidence="Besöksstatistik.",
                        confidence=Confidence.medium,
                        updated_at=earlier,
                    )
                )
            db.session.add(assessment)
            trail.record("assessment.create", assessment, actor=author)
            assessment.status = AssessmentStatus.submitted
            assessment.submitted_at = utcnow()
        db.session.commit()
        db.engine.dispose()
    return officer_emails, reviewer_emails


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_instance(url: str, workers: int, folder: Path, number: int) -> tuple[subprocess.Popen, int, Path]:
    """One gunicorn instance in its own process group, its stderr in a file."""
    port = free_port()
    env = {
        **os.environ,
        "IMPACT_ENV": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": url,
        "SESSION_COOKIE_SECURE": "false",  # plain http on 127.0.0.1
        "IMPACT_INSTANCE_PATH": str(folder / f"instance{number}"),
        # Every simulated user logs in from 127.0.0.1; failed logins would be the only ones counted anyway.
        "LOGIN_LIMIT_PER_ADDRESS": "100000 per minute",
        "LOGIN_LIMIT_PER_ACCOUNT": "1000 per minute",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    log = folder / f"gunicorn{number}.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
        "wsgi:app",
    ]
    with open(log, "w") as stderr:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
        )
    return process, port, log


SECRET_KEY = secrets.token_urlsafe(48)


def wait_until_up(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} exited with {process.returncode}")
        with suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:  # noqa: S310
            if answer.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not answer within {seconds} s")


def stop_instance(process: subprocess.Popen) -> None:
    """SIGTERM to the whole group (master and workers), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def terminate_backends(server: str, url: str, stop: threading.Event, every: float, killed: list) -> None:
    """Fault injection: every ``every`` seconds, terminate the app's PostgreSQL connections (never the server)."""
    from config import normalize_database_url

    name = sa.make_url(url).database
    admin = sa.create_engine(normalize_database_url(server), isolation_level="AUTOCOMMIT")
    try:
        while not stop.wait(every):
            with admin.connect() as connection:
                count = connection.execute(
                    sa.text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": name},
                ).scalar()
            killed.append((time.monotonic(), int(count or 0)))
    finally:
        admin.dispose()


def run_users(ports: list[int], officers: list[str], reviewers: list[str], seconds: float, faults: bool) -> tuple:
    """Let everybody work for ``seconds``; return the recorder and the ledger."""
    from impact.grounds.models import GROUND_KEYS

    world = World(ports, Recorder(), Ledger(), threading.Event(), GROUND_KEYS, faults)
    threads, teams = [], []
    people = [Officer(email, world, seed) for seed, email in enumerate(officers)]
    # Every second pair of neighbours works as a team on one assessment; the others work alone.
    for index in range(0, len(people) - 1, 2):
        if (index // 2) % 2 == 0:
            team = Team(people[index], people[index + 1])
            teams.append(team)
            threads += [threading.Thread(target=team.run, args=(member,)) for member in (team.leader, team.partner)]
        else:
            threads += [threading.Thread(target=people[i].run_alone) for i in (index, index + 1)]
    if len(people) % 2:
        threads.append(threading.Thread(target=people[-1].run_alone))
    for seed, email in enumerate(reviewers):
        threads.append(threading.Thread(target=Reviewer(email, world, 1000 + seed).run))
    world.ready = threading.Barrier(len(threads) + 1, timeout=300)
    for thread in threads:
        thread.daemon = True
        thread.start()
    # The clock starts once everybody has logged in (the logins are timed all the same).
    with suppress(threading.BrokenBarrierError):
        world.ready.wait()
    world.stop.wait(seconds)
    world.stop.set()
    for team in teams:
        team.barrier.abort()
    for thread in threads:
        thread.join(timeout=120)
    return world.recorder, world.ledger


def scan_logs(logs: list[Path]) -> dict[str, int]:
    text = "\n".join(log.read_text(errors="replace") for log in logs)
    return {problem: text.count(problem) for problem in LOG_PROBLEMS}


def report(args, recorder: Recorder, ledger: Ledger, verified: dict, logs: dict, killed: list) -> dict:
    """Print the table and return every figure."""
    print(f"{'action':<18}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses")
    actions = {}
    for action in sorted(recorder.latencies):
        values = recorder.latencies[action]
        row = {
            "requests": len(values),
            "p50_ms": round(percentile(values, 0.50) * 1000, 1),
            "p95_ms": round(percentile(values, 0.95) * 1000, 1),
            "p99_ms": round(percentile(values, 0.99) * 1000, 1),
            "statuses": {str(code): count for code, count in sorted(recorder.statuses[action].items())},
        }
        actions[action] = row
        statuses = " ".join(f"{code}×{count}" for code, count in row["statuses"].items())
        print(f"{action:<18}{row['requests']:>9}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}  {statuses}")
    every = [value for values in recorder.latencies.values() for value in values]
    figures = {
        "database": args.database,
        "instances": args.instances,
        "workers": args.workers,
        "officers": args.officers,
        "reviewers": args.reviewers,
        "seconds": args.seconds,
        "requests": recorder.requests,
        "requests_per_second": round(recorder.requests / args.seconds, 1),
        "writes": recorder.writes,
        "writes_per_second": round(recorder.writes / args.seconds, 2),
        "p50_ms": round(percentile(every, 0.50) * 1000, 1),
        "p95_ms": round(percentile(every, 0.95) * 1000, 1),
        "p99_ms": round(percentile(every, 0.99) * 1000, 1),
        "server_errors": recorder.server_errors,
        "transport_errors": recorder.transport_errors,
        "assessments_created": len(ledger.created),
        "ground_saves_acknowledged": len(ledger.ground_saves),
        "submitted": len(ledger.submitted),
        "approved_acknowledged": len(ledger.approvals),
        "reviews_refused_decided_meanwhile": ledger.reviews_refused,
        "conflicts_provoked": ledger.conflicts_provoked,
        "conflicts_reported": ledger.conflicts_reported,
        "conflicts_unreported": ledger.conflicts_unreported,
        "conflicts_both_refused": ledger.conflicts_both_refused,
        "conflict_pages_shown": ledger.conflicts_seen,
        "unexpected_responses": len(ledger.unexpected),
        "database_is_locked": logs["database is locked"],
        "tracebacks_in_logs": logs["Traceback"],
        "worker_timeouts": logs["WORKER TIMEOUT"],
        "backends_terminated": sum(count for _when, count in killed),
        # Proof of reconnection: requests served without error after the last time the connections were killed.
        "answered_after_last_kill": recorder.answered_after(max((when for when, _count in killed), default=0)),
        **verified["figures"],
        "actions": actions,
    }
    print(
        f"\n{figures['requests']} requests in {args.seconds} s ({figures['requests_per_second']}/s), "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms; "
        f"{figures['writes']} writes ({figures['writes_per_second']}/s) on {args.instances} instance(s)"
    )
    print(
        f"5xx {figures['server_errors']}, no answer {figures['transport_errors']}, "
        f"lost writes {figures['lost_writes']}, conflicts provoked {figures['conflicts_provoked']} / reported "
        f"{figures['conflicts_reported']} / unreported {figures['conflicts_unreported']}, "
        f'"database is locked" {figures["database_is_locked"]}, partial assessments {figures["partial_assessments"]}'
    )
    for line in (ledger.unexpected + verified["problems"] + recorder.errors)[:20]:
        print("  !", line[:300])
    return figures


def failed(figures: dict, faults: bool) -> bool:
    """A server error, a lost or half write, an unreported conflict, a locked database: the run fails."""
    hard = (
        figures["lost_writes"]
        + figures["conflicts_unreported"]
        + figures["database_is_locked"]
        + figures["partial_assessments"]
        + figures["versions_without_audit_event"]
        + figures["double_decisions"]
        + figures["audit_chain_broken"]
    )
    if faults:
        hard += figures["answered_after_last_kill"] == 0
    else:
        # Under injected faults a request on a killed connection may fail; without them nothing may.
        hard += figures["server_errors"] + figures["transport_errors"] + figures["unexpected_responses"]
        hard += figures["unacknowledged_versions"] + figures["worker_timeouts"]
    return hard > 0 or figures["conflicts_provoked"] == 0 and figures["conflicts_reported"] == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--pg-url", default=PG_URL, help="the PostgreSQL server to create the database on")
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--reviewers", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--backlog", type=int, default=None, help="submitted assessments waiting for review at the start (officers/2)"
    )
    parser.add_argument(
        "--kill-connections",
        type=float,
        default=0,
        metavar="SECONDS",
        help="PostgreSQL only: terminate the app's database connections every SECONDS while the load runs",
    )
    args = parser.parse_args(argv)
    if args.kill_connections and args.database != "postgresql":
        parser.error("--kill-connections needs --database postgresql")
    from impact import create_app

    with tempfile.TemporaryDirectory(prefix="impact-load-") as tmp:
        folder = Path(tmp)
        with fresh_database(args.database, args.pg_url, folder) as url:
            # The seeding app: production's Argon2 parameters, so that logging in costs what it costs in production.
            production_hashing = {"ARGON2_TIME_COST": 3, "ARGON2_MEMORY_COST": 65536, "ARGON2_PARALLELISM": 4}
            app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, **production_hashing})
            backlog = args.officers // 2 if args.backlog is None else args.backlog
            officers, reviewers = seed(app, args.officers, args.reviewers, backlog)
            instances = []
            stop_faults = threading.Event()
            killed: list[tuple[float, int]] = []
            try:
                for number in range(args.instances):
                    instances.append(start_instance(url, args.workers, folder, number))
                for process, port, _log in instances:
                    wait_until_up(port, process)
                faults = None
                if args.kill_connections:
                    faults = threading.Thread(
                        target=terminate_backends,
                        args=(args.pg_url, url, stop_faults, args.kill_connections, killed),
                        daemon=True,
                    )
                    faults.start()
                ports = [port for _process, port, _log in instances]
                recorder, ledger = run_users(ports, officers, reviewers, args.seconds, bool(args.kill_connections))
                stop_faults.set()
                if faults is not None:
                    faults.join(timeout=30)
            finally:
                stop_faults.set()
                for process, _port, _log in instances:
                    stop_instance(process)
            from bench.load_verify import verify
            from impact.core.db import db

            with app.app_context():
                verified = verify(ledger)
                db.session.remove()
                db.engine.dispose()
            logs = scan_logs([log for _process, _port, log in instances])
            figures = report(args, recorder, ledger, verified, logs, killed)
    print(json.dumps(figures, sort_keys=True))
    return 1 if failed(figures, bool(args.kill_connections)) else 0


if __name__ == "__main__":
    sys.exit(main())
