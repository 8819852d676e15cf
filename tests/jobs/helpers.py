"""Job kinds for tests (slow, failing) and waiting for a job: shared by the thread and the worker tests."""

import os
import time
from pathlib import Path

import sqlalchemy as sa

from impact.core.db import db
from impact.jobs.kinds import KINDS, JobKind, register_kind
from impact.jobs.models import Job

SLOW_ROWS = 400
REDIS_SERVER = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0]


def redis_url_of_this_worker() -> str:
    """A Redis database number of this pytest worker's own: 10 for gw0, 11 for gw1, ... (9 without xdist)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    number = 10 + int(worker[2:]) if worker.startswith("gw") else 9
    return f"{REDIS_SERVER}/{number}"


def anyone_with_a_role(user, params: dict) -> str | None:
    return "test" if user.roles else None


def run_slow(job, progress, path: Path) -> str:
    """A row every 20 ms (params["delay"] to change it); stops when cancelled."""
    delay = float(job.params.get("delay", 0.02))
    progress.total(SLOW_ROWS)
    with path.open("w", encoding="utf-8") as output:
        for number in range(SLOW_ROWS):
            output.write(f"{number}\n")
            time.sleep(delay)
            progress.advance()
    return "slow.txt"


def run_failing(job, progress, path: Path) -> str:
    progress.total(10)
    with path.open("w", encoding="utf-8") as output:
        for number in range(5):
            output.write(f"{number}\n")
            progress.advance()
    raise RuntimeError("the database went away half-way")


def run_cancelled_as_it_ends(job, progress, path: Path) -> str:
    """Writes its whole file, and the person cancels just then, after the last progress report (on a connection of
    its own, as the cancel comes from another process)."""
    from impact.jobs.models import JobStatus

    progress.total(3)
    path.write_text("1\n2\n3\n", encoding="utf-8")
    for _ in range(3):
        progress.advance()
    with db.engine.begin() as connection:
        connection.execute(sa.update(Job).where(Job.id == job.id).values(status=JobStatus.cancelled))
    return "late.txt"


TEST_KINDS = (
    JobKind("test_slow", "Slow test file", anyone_with_a_role, run_slow, "text/plain", "reports.dashboard"),
    JobKind("test_failing", "Failing test file", anyone_with_a_role, run_failing, "text/plain", "reports.dashboard"),
    JobKind(
        "test_late_cancel",
        "Late test file",
        anyone_with_a_role,
        run_cancelled_as_it_ends,
        "text/plain",
        "reports.dashboard",
    ),
)


def register_test_kinds() -> None:
    for kind in TEST_KINDS:
        register_kind(kind)


def unregister_test_kinds() -> None:
    for kind in TEST_KINDS:
        KINDS.pop(kind.name, None)


def job_row(app, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        db.session.expunge(job)
        return job


def wait_for(app, job_id: int, condition, timeout: float = 60) -> Job:
    """Poll the job's row until ``condition(job)`` holds; fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        job = job_row(app, job_id)
        if condition(job):
            return job
        assert time.monotonic() < deadline, f"job {job_id} still {job.status} after {timeout} s ({job.rows_done} rows)"
        time.sleep(0.05)


def latest_job_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.max(Job.id)))
