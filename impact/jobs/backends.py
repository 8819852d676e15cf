"""Where jobs run: a queue on Redis (RQ) read by ``flask worker``, or, without Redis, threads of the app process.

``JOBS_REDIS_URL`` (default ``REDIS_URL``) chooses RQ. Without it — the embedded SQLite default, ``make run``, the
SQLite tests — a small thread pool in the app process runs the jobs and nothing more has to be started.
"""

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from flask import Flask, current_app

from impact.core.db import db

log = logging.getLogger(__name__)

EXTENSION = "impact_jobs"
RQ_PERFORM = "impact.jobs.worker.perform"


def rq_job_id(job_id: int) -> str:
    return f"impact-job-{job_id}"


class ThreadBackend:
    """Jobs in threads of this process (one pool per app); a restart loses queued work, which the sweep reports."""

    name = "thread"

    def __init__(self, app: Flask):
        self.app = app
        self.pool = ThreadPoolExecutor(max_workers=int(app.config["JOBS_THREADS"]), thread_name_prefix="impact-job")
        self.futures: dict[int, Future] = {}

    def enqueue(self, job_id: int) -> None:
        self.futures[job_id] = self.pool.submit(self._run, job_id)

    def _run(self, job_id: int) -> None:
        from impact.jobs.running import run_job

        with self.app.app_context():
            try:
                run_job(job_id)
            finally:
                db.session.remove()

    def stop(self, job_id: int) -> None:
        """Nothing to do: the thread sees the cancellation at its next progress report."""

    def wait(self, job_id: int, timeout: float = 30) -> None:
        """Wait for a job this process started (tests, and ``flask jobs run``)."""
        future = self.futures.get(job_id)
        if future is not None:
            future.result(timeout)


class RQBackend:
    """Jobs on a Redis queue, run by ``flask --app impact worker`` (RQ: one forked work horse per job)."""

    name = "rq"

    def __init__(self, app: Flask):
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(app.config["JOBS_REDIS_URL"])
        self.queue = Queue(app.config["JOBS_QUEUE"], connection=self.connection)
        self.timeout = int(app.config["JOBS_TIMEOUT_SECONDS"])

    def enqueue(self, job_id: int) -> None:
        self.queue.enqueue(
            RQ_PERFORM,
            job_id,
            job_id=rq_job_id(job_id),
            job_timeout=self.timeout,
            result_ttl=0,  # the result is the row in the jobs table
            failure_ttl=24 * 3600,
        )

    def stop(self, job_id: int) -> None:
        """Stop the work horse of a running job at once (a long query included); a queued one is dropped."""
        from rq.command import send_stop_job_command
        from rq.exceptions import InvalidJobOperation, NoSuchJobError
        from rq.job import Job as RQJob

        try:
            rq_job = RQJob.fetch(rq_job_id(job_id), connection=self.connection)
            if rq_job.get_status() == "started":
                send_stop_job_command(self.connection, rq_job.id)
            else:
                rq_job.cancel()
        except (NoSuchJobError, InvalidJobOperation):
            pass  # already finished or gone: the row says cancelled, and the work stops at its next report


def backend(app: Flask | None = None) -> ThreadBackend | RQBackend:
    """The app's job backend, made on first use."""
    app = app or current_app._get_current_object()
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = RQBackend(app) if app.config.get("JOBS_REDIS_URL") else ThreadBackend(app)
    return app.extensions[EXTENSION]


def enqueue(job_id: int) -> bool:
    """Hand a committed job to the backend; False (and the job marked failed) when it could not be handed over."""
    from impact.jobs.running import fail

    try:
        backend().enqueue(job_id)
        return True
    except Exception:
        log.exception("job %s could not be queued", job_id)
        fail(job_id, "not_started")
        return False


def stop(job_id: int) -> None:
    try:
        backend().stop(job_id)
    except Exception:  # Redis away: the work still stops at its next progress report
        log.warning("job %s: stop command not sent", job_id, exc_info=True)
