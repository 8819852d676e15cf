"""The RQ worker: ``flask --app impact worker`` reads the jobs queue on Redis and runs each job in the app.

RQ forks a work horse per job; the horse gets a fresh app context and drops the database connections it inherited
(two processes must never share one). When a horse is killed (out of memory, ``kill -9``), RQ tells the worker,
which marks the job failed at once; when the whole worker is killed, the job's heartbeat stops and the next sweep
(in any worker, or on the next page that asks for jobs) marks it failed. The worker sweeps on a schedule too:
expired files go even when nobody opens a page. It also queues the scheduled tasks features register (the daily
reminders), so cron is not needed where a worker runs.
"""

import logging

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from impact.core.db import db

RUN_PERIODIC = "impact.jobs.worker.run_periodic"

log = logging.getLogger(__name__)


def perform(job_id: int) -> None:
    """The function RQ calls (by name) in the work horse, inside the app context the worker pushed."""
    from impact.jobs.running import run_job

    run_job(job_id)


def run_periodic(name: str) -> None:
    """The function RQ calls for a scheduled task (``impact.jobs.kinds.PERIODIC``), e.g. the daily reminders."""
    from impact.jobs.kinds import PERIODIC

    PERIODIC[name].run()


def queue_periodic(jobs) -> list[str]:
    """Queue every scheduled task that is due. A Redis key per task, set only if absent and expiring after the
    task's interval, makes it due once per interval however many workers there are."""
    from impact.jobs.kinds import PERIODIC

    queued = []
    for task in PERIODIC.values():
        key = f"impact:periodic:{jobs.queue.name}:{task.name}"
        if jobs.connection.set(key, "queued", nx=True, ex=task.every_seconds):
            jobs.queue.enqueue(RUN_PERIODIC, task.name, job_timeout=jobs.timeout, result_ttl=0)
            queued.append(task.name)
    return queued


def _job_id_of(rq_job) -> int | None:
    try:
        return int(rq_job.args[0])
    except (AttributeError, IndexError, TypeError, ValueError):
        return None


def make_worker(app: Flask, burst: bool = False):
    from rq import Worker

    from impact.jobs.backends import RQ_PERFORM, RQBackend, backend
    from impact.jobs.running import fail, sweep

    class AppWorker(Worker):
        def perform_job(self, job, queue) -> bool:  # runs in the work horse
            with app.app_context():
                db.engine.dispose(close=False)  # the parent's pooled connections are not ours to use
                try:
                    return super().perform_job(job, queue)
                finally:
                    db.session.remove()

        def run_maintenance_tasks(self) -> None:  # runs in the worker, on start and every maintenance_interval
            super().run_maintenance_tasks()
            with app.app_context():
                try:
                    sweep()
                    for name in queue_periodic(jobs):
                        log.info("queued the scheduled task %s", name)
                except Exception:
                    log.exception("jobs sweep or schedule failed")
                finally:
                    db.session.remove()

    def horse_killed(rq_job, retpid, ret_val, rusage) -> None:
        if rq_job.func_name != RQ_PERFORM:
            return
        job_id = _job_id_of(rq_job)
        if job_id is not None:
            with app.app_context():
                if fail(job_id, "stopped"):
                    log.warning("job %s: its work horse was killed; marked failed", job_id)

    jobs = backend(app)
    if not isinstance(jobs, RQBackend):
        raise click.UsageError("Set REDIS_URL (or JOBS_REDIS_URL): without Redis, jobs run inside the app process.")
    return AppWorker(
        [jobs.queue],
        connection=jobs.connection,
        maintenance_interval=int(app.config["JOBS_SWEEP_SECONDS"]),
        work_horse_killed_handler=horse_killed,
    )


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs that are queued, then stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs (exports) from the queue on Redis until stopped."""
    app = current_app._get_current_object()
    worker = make_worker(app, burst)
    db.session.remove()
    db.engine.dispose()
    worker.work(burst=burst, with_scheduler=False)
