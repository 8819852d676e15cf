"""Background jobs on PostgreSQL with Redis: a real RQ worker process (tests/jobs/run_worker.py) runs them.

Each test gets a brand-new PostgreSQL database and a Redis database number of its pytest worker's own (emptied
before and after), so parallel runs do not meet. Covers the export end to end, cancel (the stop-job command), a
killed work horse, and a worker killed outright, whose job must not stay "running".
"""

import io
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from config import normalize_database_url
from impact import create_app
from impact.core.db import db
from impact.grounds.defaults import install_default_template
from impact.indicators.models import IndicatorValue
from impact.jobs import backends
from impact.jobs.models import Job, JobStatus
from impact.jobs.running import create_job, sweep
from impact.notifications.models import Notification, NotificationKind
from tests import factories
from tests.conftest import AuthActions, csrf_token
from tests.databases import postgres_database, postgres_server
from tests.jobs.helpers import (
    SLOW_ROWS,
    redis_url_of_this_worker,
    register_test_kinds,
    unregister_test_kinds,
    wait_for,
)

PROJECT_DIR = Path(__file__).resolve().parents[2]
HEARTBEAT, STALE = 0.3, 2.0  # seconds: a killed worker's job is found quickly


class Setup:
    def __init__(self, app, env: dict, jobs_dir: Path):
        self.app, self.env, self.jobs_dir = app, env, jobs_dir
        self.workers: list[subprocess.Popen] = []

    def start_worker(self) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603  (our own module, our own interpreter)
            [sys.executable, "-m", "tests.jobs.run_worker"], cwd=PROJECT_DIR, env=self.env, start_new_session=True
        )
        self.workers.append(process)
        return process

    def horse_of(self, worker: subprocess.Popen, timeout: float = 10) -> int:
        """The pid of the work horse the worker forked for its current job."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
            if children:
                return int(children[0])
            time.sleep(0.05)
        raise AssertionError("the worker forked no work horse")

    def job(self, kind: str, user_id: int, **params) -> int:
        with self.app.app_context():
            job = create_job(db.session.get(factories.User, user_id), kind, params, "sv")
            db.session.commit()
            assert backends.enqueue(job.id)
            return job.id

    def files(self) -> list[str]:
        return sorted(os.listdir(self.jobs_dir))


@pytest.fixture
def setup(database_url, tmp_path):
    queue_db = redis.Redis.from_url(redis_url_of_this_worker())
    queue_db.flushdb()
    name = f"impact_jobs_{uuid.uuid4().hex[:10]}"
    with postgres_database(postgres_server(database_url), name) as url:
        jobs_dir = tmp_path / "jobs"
        jobs_dir.mkdir()
        settings = {
            "JOBS_REDIS_URL": redis_url_of_this_worker(),
            "JOBS_QUEUE": f"impact-test-{uuid.uuid4().hex[:8]}",  # a worker of an earlier test never takes these
            "JOBS_DIR": str(jobs_dir),
            "JOBS_HEARTBEAT_SECONDS": str(HEARTBEAT),
            "JOBS_STALE_SECONDS": str(STALE),
        }
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": normalize_database_url(url), **settings})
        app.config.update(JOBS_HEARTBEAT_SECONDS=HEARTBEAT, JOBS_STALE_SECONDS=STALE)
        with app.app_context():
            db.create_all()
            install_default_template()
            db.session.commit()
        env = {**os.environ, **settings, "DATABASE_URL": url, "IMPACT_ENV": "testing", "PYTHONPATH": str(PROJECT_DIR)}
        register_test_kinds()
        made = Setup(app, env, jobs_dir)
        try:
            yield made
        finally:
            unregister_test_kinds()
            for process in made.workers:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)  # a warm shutdown; the horse has its own group
                    try:
                        process.wait(10)
                    except subprocess.TimeoutExpired:
                        os.killpg(process.pid, signal.SIGKILL)
                        process.wait()
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            queue_db.flushdb()
            queue_db.close()


def _officer(app, roles=("case_officer",)) -> int:
    with app.app_context():
        user = factories.create_user(roles=roles, department="FFF")
        db.session.commit()
        return user.id


def test_the_worker_makes_the_register_the_person_asked_for(setup):
    app = setup.app
    with app.app_context():
        factories.seed_report_data()
        user = factories.create_user(roles=("auditor",), department="KS", municipality_wide=True)
        db.session.commit()
        email = user.email
    setup.start_worker()
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 302
    response = client.post("/reports/register.xlsx/job", data={"csrf_token": csrf_token(client, "/downloads/")})
    job_id = int(response.headers["Location"].rsplit("/", 1)[1])
    job = wait_for(app, job_id, lambda job: job.status == JobStatus.done)
    assert job.rows_done == job.rows_total > 0
    download = client.get(f"/downloads/{job_id}/file")
    assert download.status_code == 200 and download.get_data()[:2] == b"PK"  # a zip: the XLSX
    assert setup.files() == [job.file_path]


def test_cancel_stops_the_work_horse_and_the_worker_goes_on(setup):
    user_id = _officer(setup.app)
    setup.start_worker()
    job_id = setup.job("test_slow", user_id, delay=0.05)
    wait_for(setup.app, job_id, lambda job: job.status == JobStatus.running and job.rows_done > 0)
    client = setup.app.test_client()
    with setup.app.app_context():
        email = db.session.get(factories.User, user_id).email
    AuthActions(client).login(email)
    client.post(f"/downloads/{job_id}/cancel", data={"csrf_token": csrf_token(client, "/downloads/")})
    job = wait_for(setup.app, job_id, lambda job: job.status == JobStatus.cancelled)
    assert job.rows_done < SLOW_ROWS
    # The worker is free again: the next job runs to the end.
    next_id = setup.job("test_slow", user_id, delay=0)
    done = wait_for(setup.app, next_id, lambda job: job.status == JobStatus.done)
    assert done.rows_done == SLOW_ROWS
    files = setup.files()
    assert done.file_path in files
    # The cancelled job's file was never completed: at most its temporary file remains, for the sweep.
    assert all(name == done.file_path or name.endswith(".part") for name in files)


def test_a_failing_job_is_reported_and_leaves_no_file(setup):
    user_id = _officer(setup.app)
    setup.start_worker()
    job = wait_for(setup.app, setup.job("test_failing", user_id), lambda job: job.status == JobStatus.failed)
    assert (job.error, job.file_path) == ("error", None)
    assert setup.files() == [], "no file, not even the temporary one"


def test_a_killed_work_horse_leaves_the_job_failed(setup):
    user_id = _officer(setup.app)
    worker = setup.start_worker()
    job_id = setup.job("test_slow", user_id, delay=0.05)
    wait_for(setup.app, job_id, lambda job: job.status == JobStatus.running and job.rows_done > 0)
    os.kill(setup.horse_of(worker), signal.SIGKILL)
    job = wait_for(setup.app, job_id, lambda job: job.status == JobStatus.failed, timeout=15)
    assert job.error == "stopped" and job.file_path is None
    assert worker.poll() is None, "the worker itself lives on"


def test_a_killed_worker_never_leaves_a_job_running(setup):
    user_id = _officer(setup.app)
    worker = setup.start_worker()
    job_id = setup.job("test_slow", user_id, delay=0.05)
    wait_for(setup.app, job_id, lambda job: job.status == JobStatus.running and job.rows_done > 0)
    horse = setup.horse_of(worker)
    os.killpg(worker.pid, signal.SIGKILL)  # the worker first, so nobody is left to notice the horse die
    os.kill(horse, signal.SIGKILL)
    worker.wait()
    time.sleep(0.5)
    with setup.app.app_context():
        assert db.session.get(Job, job_id).status == JobStatus.running  # nobody has noticed yet
    time.sleep(STALE + 0.5)
    setup.start_worker()  # a new worker sweeps as it starts: the heartbeat has stopped, so the job failed
    job = wait_for(setup.app, job_id, lambda job: job.status == JobStatus.failed, timeout=20)
    assert job.error == "stopped" and job.file_path is None
    with setup.app.app_context():
        assert sweep()["stopped"] == 0
        assert db.session.scalar(sa.select(sa.func.count()).where(Job.status == JobStatus.running)) == 0


def test_the_worker_sends_the_due_reminders_on_its_own(setup):
    """The reminders of notify-due are queued by the worker's schedule: no cron needed where a worker runs."""
    past = date(2026, 1, 15)
    with setup.app.app_context():
        owner = factories.create_user(name="Ägare")
        factories.create_assessment(
            status="approved",
            answers={
                "age": {
                    "impact": "negative",
                    "mitigations": [{"description": "Ramp", "due_date": past, "owner": owner}],
                }
            },
        )
        db.session.commit()
        owner_id = owner.id
    setup.start_worker()  # its first maintenance round queues the task, and it runs as a job
    deadline = time.monotonic() + 30
    while True:
        with setup.app.app_context():
            kinds = db.session.execute(sa.select(Notification.user_id, Notification.kind)).all()
        if kinds:
            break
        assert time.monotonic() < deadline, "no reminder within 30 s"
        time.sleep(0.1)
    assert kinds == [(owner_id, NotificationKind.mitigation_due)]
    # Due once per interval, however many workers: a second worker queues nothing.
    with setup.app.app_context():
        from impact.jobs.backends import backend
        from impact.jobs.worker import queue_periodic

        assert queue_periodic(backend(setup.app)) == []


def test_the_worker_imports_a_large_file_and_makes_the_backup(setup):
    """The import and the backup run in the work horse like the exports: the upload is gone afterwards, the
    figures are in, and the backup downloads."""
    app = setup.app
    app.config["IMPORT_DIRECT_ROWS"] = 5
    with app.app_context():
        email = factories.create_user(roles=("admin",)).email
        db.session.commit()
    setup.start_worker()
    client = app.test_client()
    assert AuthActions(client).login(email).status_code == 302
    rows = "".join(f"1490;EKBIST;Ekonomiskt bistånd;{2000 + year};4,2;Kolada\r\n" for year in range(20))
    data = ("områdeskod;nyckeltalskod;nyckeltal;år;värde;källa\r\n" + rows).encode()
    path = "/admin/indicators/import"
    response = client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "file": (io.BytesIO(data), "nyckeltal.csv")},
        content_type="multipart/form-data",
    )
    job = wait_for(app, int(response.headers["Location"].rsplit("/", 1)[1]), lambda job: not job.active)
    assert job.status == JobStatus.done and job.rows_done == job.rows_total == 20
    assert setup.files() == []  # the upload went with the job, and an import keeps no file
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IndicatorValue)) == 20

    backup = client.post(
        "/admin/backup/", data={"csrf_token": csrf_token(client, "/admin/backup/"), "password": factories.PASSWORD}
    )
    job = wait_for(app, int(backup.headers["Location"].rsplit("/", 1)[1]), lambda job: not job.active)
    assert job.status == JobStatus.done
    download = client.get(f"/downloads/{job.id}/file")
    assert download.status_code == 200 and download.get_data()[:2] == b"PK"
    download.close()
