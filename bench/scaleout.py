"""Scale-out proof: two app instances and two job workers on one PostgreSQL database and one Redis.

    .venv/bin/python -m bench.scaleout --seconds 60

Creates a fresh PostgreSQL database (at PG_URL, as ``bench.load``) with a few thousand generated assessments
(``bench.generate``), the load test's case officers and a few exporters: municipality-wide auditors and case
officers of departments of their own. Starts two gunicorn instances and two ``flask --app impact worker`` processes
sharing the database, a jobs folder and a Redis database number of their own (``--redis-url``, which must be empty;
it is emptied again at the end). For ``--seconds`` the officers save assessments as in the load test while the
exporters ask for the register (CSV and XLSX, some filtered) on one instance, watch the progress on the other,
sometimes cancel, and download. Then checks every job: one end state, run exactly once (counted in the workers'
logs), nothing left queued or running, each file downloadable by its owner only, each CSV's rows exactly those the
owner may see; and that no save was lost and no request got a 5xx. Prints a table and a last line of JSON; exits
1 on any failure. Always stops its processes, drops its database and empties its Redis database.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import sqlalchemy as sa

from bench import load
from bench.load_client import Recorder, percentile
from bench.load_users import PASSWORD
from bench.scaleout_users import Exporter, Exports
from bench.scaleout_verify import HARD, verify_jobs

REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/8")
# The exporters: municipality-wide auditors, and case officers of departments the load test's officers do not
# work in (so what they may see does not change during the run).
EXPORTING_DEPARTMENTS = ("SOF", "IFO", "TKF", "MF")


def seed(app, args) -> tuple[list[str], list[str], int]:
    """Migrate and fill the database; the officers' and the exporters' e-mails and the last generated id."""
    from flask_migrate import upgrade

    from bench.generate import generate
    from impact.assessments.models import Assessment
    from impact.auth.models import User
    from impact.auth.passwords import hash_password
    from impact.auth.roles import Role
    from impact.core.db import db
    from impact.org.models import Department

    with app.app_context():
        upgrade()
        generate(args.assessments)
        seeded_up_to = db.session.scalar(sa.select(sa.func.max(Assessment.id)))
    officers, _reviewers = load.seed(app, args.officers, 0, 0)
    # (e-mail, name, department, role, municipality-wide)
    people = [
        (f"auditor{number}@scaleout.example.com", f"Revisor {number}", "SLK", Role.auditor, True)
        for number in range(args.auditors)
    ] + [
        (
            f"exporter{number}@scaleout.example.com",
            f"Utdragare {number}",
            EXPORTING_DEPARTMENTS[number % len(EXPORTING_DEPARTMENTS)],
            Role.case_officer,
            False,
        )
        for number in range(args.exporting_officers)
    ]
    with app.app_context():
        departments = {department.code: department for department in db.session.scalars(sa.select(Department))}
        password_hash = hash_password(PASSWORD)
        for email, name, code, role, wide in people:
            user = User(email=email, name=name, password_hash=password_hash, department=departments[code])
            user.municipality_wide, user.roles = wide, [role]
            db.session.add(user)
        db.session.commit()
        db.engine.dispose()
    exporters = [email for email, *_rest in people]
    return officers, exporters, seeded_up_to


def empty_redis(url: str):
    """A connection to the proof's Redis database, refused unless it is empty (nothing else may be using it)."""
    from redis import Redis

    connection = Redis.from_url(url)
    if connection.dbsize():
        raise SystemExit(f"{url} is not empty: give the proof a Redis database of its own with --redis-url")
    return connection


def hold_schedules(connection, queue: str) -> None:
    """Keep the workers from queueing the scheduled tasks (the reminders): not part of this proof. The key is the
    one ``impact.jobs.worker.queue_periodic`` sets when a task has been queued."""
    from impact.jobs.kinds import PERIODIC

    for name in PERIODIC:
        connection.set(f"impact:periodic:{queue}:{name}", "held by the scale-out proof", ex=24 * 3600)


def start_worker(url: str, folder: Path, number: int) -> tuple[subprocess.Popen, Path]:
    """``flask --app impact worker`` in its own process group, everything it writes in a file."""
    env = {
        **os.environ,
        "IMPACT_ENV": "production",
        "SECRET_KEY": load.SECRET_KEY,
        "DATABASE_URL": url,
        "IMPACT_INSTANCE_PATH": str(folder / f"worker{number}"),
        "LOG_LEVEL": "INFO",  # the lines the run-once check counts
    }
    env.pop("REDIS_URL", None)
    log = folder / f"worker{number}.log"
    with open(log, "w") as output:
        process = subprocess.Popen(  # noqa: S603  (our own interpreter and app)
            [sys.executable, "-m", "flask", "--app", "impact", "worker"],
            cwd=load.ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return process, log


def wait_until_listening(process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"a worker exited with {process.returncode}: {log.read_text()[-2000:]}")
        if "Listening on" in log.read_text(errors="replace"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"a worker did not start within {seconds} s")


def run(ports: list[int], officers: list[str], exporters: list[str], args) -> tuple:
    """The officers (the load test's) and the exporters at work together until the officers' time is up."""
    result: dict = {}

    def officers_at_work() -> None:
        result["recorder"], result["ledger"] = load.run_users(ports, officers, [], args.seconds, False)

    stop = threading.Event()
    exports, recorder = Exports(), Recorder()
    people = [
        Exporter(
            email,
            exporters[(number + 1) % len(exporters)],
            PASSWORD,
            ports,
            recorder,
            exports=exports,
            stop=stop,
            cancel_share=args.cancel_share,
            seed=number,
        )
        for number, email in enumerate(exporters)
    ]
    threads = [threading.Thread(target=person.run, daemon=True) for person in people]
    started = time.monotonic()
    officers_thread = threading.Thread(target=officers_at_work, daemon=True)
    officers_thread.start()
    for thread in threads:
        thread.start()
    officers_thread.join()
    stop.set()
    for thread in threads:
        thread.join(timeout=360)  # each exporter follows its last job to its end
    return result["recorder"], result["ledger"], recorder, exports, time.monotonic() - started


def report(args, ports, seconds, officers: Recorder, exporters: Recorder, exports: Exports, saves, jobs) -> dict:
    """Print the table of figures; return every figure."""
    kinds = sorted({export.file_format for export in exports.items})
    print(f"{'export':<8}{'asked':>7}{'done':>7}{'cancelled':>11}{'failed':>8}{'p50 s':>8}{'p95 s':>8}  to done")
    by_kind = {}
    for kind in kinds:
        mine = [export for export in exports.items if export.file_format == kind]
        times = [export.seconds_to_end for export in mine if export.final_status == "done"]
        row = {state: sum(export.final_status == state for export in mine) for state in ("done", "cancelled", "failed")}
        row |= {"asked": len(mine), "p50_s": round(percentile(times, 0.5), 2)}
        row["p95_s"] = round(percentile(times, 0.95), 2)
        by_kind[kind] = row
        print(
            f"{kind:<8}{row['asked']:>7}{row['done']:>7}{row['cancelled']:>11}{row['failed']:>8}"
            f"{row['p50_s']:>8}{row['p95_s']:>8}"
        )
    cancels = [export for export in exports.items if export.cancel_sent]
    print(
        f"cancel pressed {len(cancels)} times: {sum(e.cancel_seen_as == 'asked' for e in cancels)} at once, "
        f"{sum(e.cancel_seen_as == 'running' for e in cancels)} while running; "
        f"{sum(e.final_status == 'cancelled' for e in cancels)} took effect "
        f"({jobs['figures'].get('cancelled_before_start', 0)} before the work started), the others had already ended"
    )
    by_port = {port: officers.by_port.get(port, 0) + exporters.by_port.get(port, 0) for port in ports}
    server_errors = officers.server_errors + exporters.server_errors
    transport_errors = officers.transport_errors + exporters.transport_errors
    figures = {
        "seconds": args.seconds,
        "wall_seconds": round(seconds, 1),
        "assessments_generated": args.assessments,
        "officers": args.officers,
        "exporters": args.auditors + args.exporting_officers,
        "exports": by_kind,
        "cancels_pressed": len(cancels),
        "cancels_effective": sum(export.final_status == "cancelled" for export in cancels),
        "requests": officers.requests + exporters.requests,
        "requests_by_instance": {f"instance {number + 1}": by_port[port] for number, port in enumerate(ports)},
        "server_errors": server_errors,
        "transport_errors": transport_errors,
        "ground_saves_acknowledged": len(saves["ledger"].ground_saves),
        "writes": officers.writes,
        **{key: value for key, value in saves["figures"].items() if key in SAVE_FIGURES},
        **jobs["figures"],
    }
    per_worker = ", ".join(f"{name} {count}" for name, count in sorted(figures["jobs_by_worker"].items()))
    per_instance = ", ".join(f"{name} {count}" for name, count in figures["requests_by_instance"].items())
    print(f"jobs per worker: {per_worker}; requests per instance: {per_instance}")
    print(
        f"{figures['requests']} requests in {figures['wall_seconds']} s ({args.seconds} s of work after logging in, "
        f"then the last jobs); {figures['writes']} writes by the officers, "
        f"{figures['ground_saves_acknowledged']} ground saves, lost {figures['lost_writes']}; "
        f"5xx {server_errors}, no answer {transport_errors}; CSV files checked {figures.get('csv_files_checked', 0)} "
        f"({figures.get('csv_rows_checked', 0)} rows); jobs run more than once or not at all "
        f"{figures.get('jobs_not_run_once', 0)}, left queued or running {figures['jobs_left_active']}"
    )
    for line in (exports.unexpected + saves["ledger"].unexpected + saves["problems"] + jobs["problems"])[:20]:
        print("  !", line[:300])
    for line in (officers.errors + exporters.errors)[:10]:
        print("  !", line[:300])
    return figures


SAVE_FIGURES = ("lost_writes", "unacknowledged_versions", "partial_assessments", "audit_chain_broken")


def failed(figures: dict, exports: Exports, ledger) -> bool:
    hard = sum(figures.get(name, 0) for name in HARD + SAVE_FIGURES)
    hard += figures["server_errors"] + figures["transport_errors"] + len(exports.unexpected) + len(ledger.unexpected)
    hard += figures["tracebacks_in_logs"]
    # A proof that proves nothing fails too: both workers ran jobs, and some files were made and checked.
    hard += len(figures["jobs_by_worker"]) < 2 or not figures.get("csv_files_checked")
    return hard > 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=load.PG_URL, help="the PostgreSQL server to create the database on")
    parser.add_argument("--redis-url", default=REDIS_URL, help="an empty Redis database for the proof alone")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--assessments", type=int, default=5000, help="generated assessments (the exports' size)")
    parser.add_argument("--officers", type=int, default=10, help="case officers saving assessments meanwhile")
    parser.add_argument("--auditors", type=int, default=3)
    parser.add_argument("--exporting-officers", type=int, default=3)
    parser.add_argument("--cancel-share", type=float, default=0.2, help="the share of exports cancelled")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--keep-logs", type=Path, help="copy the instances' and the workers' logs into this folder")
    args = parser.parse_args(argv)
    if args.auditors + args.exporting_officers < 2:
        parser.error("at least two exporters: each file is also asked for by another one")
    redis = empty_redis(args.redis_url)
    queue = f"impact-scaleout-{secrets.token_hex(4)}"
    try:
        with tempfile.TemporaryDirectory(prefix="impact-scaleout-") as tmp:
            folder = Path(tmp)
            jobs_dir = folder / "jobs"
            # The instances and the workers read these; one folder for the files, as a shared volume would be.
            os.environ.update({"JOBS_REDIS_URL": args.redis_url, "JOBS_QUEUE": queue, "JOBS_DIR": str(jobs_dir)})
            with load.fresh_database("postgresql", args.pg_url, folder) as url:
                figures, ok = prove(args, url, folder, redis, queue)
    finally:
        redis.flushdb()
        redis.close()
    print(json.dumps(figures, sort_keys=True))
    return 0 if ok else 1


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def prove(args, url: str, folder: Path, redis, queue: str) -> tuple[dict, bool]:
    from impact import create_app
    from impact.core.db import db

    production_hashing = {"ARGON2_TIME_COST": 3, "ARGON2_MEMORY_COST": 65536, "ARGON2_PARALLELISM": 4}
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url, **production_hashing})
    started = time.monotonic()
    officers, exporters, seeded_up_to = seed(app, args)
    say(f"database ready in {time.monotonic() - started:.1f} s")
    hold_schedules(redis, queue)
    instances, workers = [], []
    try:
        for number in range(2):
            instances.append(load.start_instance(url, args.workers, folder, number))
            workers.append(start_worker(url, folder, number))
        for process, port, _log in instances:
            load.wait_until_up(port, process)
        for process, log in workers:
            wait_until_listening(process, log)
        say(f"two instances and two workers up after {time.monotonic() - started:.1f} s")
        ports = [port for _process, port, _log in instances]
        officer_recorder, ledger, exporter_recorder, exports, seconds = run(ports, officers, exporters, args)
    finally:
        processes = [process for process, _port, _log in instances] + [process for process, _log in workers]
        with ThreadPoolExecutor(max_workers=4) as pool:  # side by side: each may take its graceful seconds
            list(pool.map(load.stop_instance, processes))
    from rq import Queue
    from rq.registry import StartedJobRegistry

    say(f"stopped after {time.monotonic() - started:.1f} s")
    from bench.load_verify import verify

    with app.app_context():
        saves = verify(ledger, seeded_up_to)
        jobs = verify_jobs(exports.items, [log for _process, log in workers], folder / "jobs", seeded_up_to)
        db.session.remove()
        db.engine.dispose()
    rq_queue = Queue(queue, connection=redis)
    jobs["figures"]["left_on_the_queue"] = len(rq_queue) + len(StartedJobRegistry(queue=rq_queue))
    saves["ledger"] = ledger
    say(f"checked after {time.monotonic() - started:.1f} s")
    logs = load.scan_logs([log for _process, _port, log in instances] + [log for _process, log in workers])
    figures = report(args, ports, seconds, officer_recorder, exporter_recorder, exports, saves, jobs)
    figures["tracebacks_in_logs"] = logs["Traceback"]
    figures["left_on_the_queue"] = jobs["figures"]["left_on_the_queue"]
    ok = not failed(figures, exports, ledger) and figures["left_on_the_queue"] == 0
    if args.keep_logs:
        args.keep_logs.mkdir(parents=True, exist_ok=True)
        for log in folder.glob("*.log"):
            shutil.copy(log, args.keep_logs / log.name)
    return figures, ok


if __name__ == "__main__":
    sys.exit(main())
