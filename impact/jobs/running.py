"""Asking for, running, cancelling and sweeping up background jobs (the same in the thread and the Redis worker).

A job runs in an app context of its own. It claims its row (queued → running), checks again that its person may
have the file made, writes the file under a temporary name with progress reports and a heartbeat, and renames it
only when it is complete: a failed or cancelled job leaves no partial file. A running job whose heartbeat stops
(its worker was killed) is marked failed by the next sweep.
"""

import logging
import os
import secrets
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from impact.auth.models import User
from impact.core.db import db, utcnow
from impact.jobs.kinds import JobKind, kind_of
from impact.jobs.models import ACTIVE, Job, JobStatus

log = logging.getLogger(__name__)

PART_SUFFIX = ".part"
# Why a job failed, in plain words. The row keeps the key, so the message is shown in the reader's language.
ERRORS = {
    "refused": _l("You may no longer make this file: your roles or your department have changed."),
    "error": _l("Something went wrong while the file was being made. No file was kept. Please try again."),
    "stopped": _l("The work stopped before the file was finished (the server was restarted). Please try again."),
    "not_started": _l("The work could not be started. Please try again later."),
    # The same for work that imports a file instead of making one (``JobKind.makes_file`` false).
    "refused_import": _l("You may no longer import this file: your roles have changed. Nothing was imported."),
    "error_import": _l("Something went wrong during the import. Nothing was imported. Please try again."),
    "refused_input": _l("Nothing was imported."),  # the import's own message and lines are in the job's params
}
UPLOAD_SUFFIX = ".upload"


class JobCancelled(Exception):
    """The person cancelled the job while it ran."""


class JobRefused(Exception):
    """The person may no longer have the file made."""


class JobFailed(Exception):
    """Work that imports a file refuses its content: ``outcome`` holds the import's own message and the first lines
    to correct, each in both languages (``{"message": {"sv": ..., "en": ...}, "problems": [{"sv": ..., ...}]}``)."""

    def __init__(self, outcome: dict):
        super().__init__(outcome.get("message", {}).get("en", "refused"))
        self.outcome = outcome


def in_both_languages(text) -> dict[str, str]:
    """A lazy string as every language of the app says it: the result is kept, and read in the reader's language."""
    rendered = {}
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            rendered[locale] = str(text)
    return rendered


def error_key(kind: JobKind | None, key: str) -> str:
    """The ERRORS key for ``key`` ("refused", "error") as it applies to the kind: an import made no file."""
    return f"{key}_import" if kind is not None and not kind.makes_file else key


def jobs_dir() -> Path:
    """The folder finished files are kept in: JOBS_DIR, else ``jobs`` in the instance folder (never the web root)."""
    folder = Path(current_app.config.get("JOBS_DIR") or Path(current_app.instance_path) / "jobs")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def keep_for() -> timedelta:
    return timedelta(hours=float(current_app.config["JOBS_KEEP_HOURS"]))


def scope_now(job: Job, kind: JobKind | None = None) -> str | None:
    """The remit under which the job's person may have its file now, or None when they may not."""
    kind = kind or kind_of(job.kind)
    user = job.user
    if kind is None or user is None or not user.is_active:
        return None
    return kind.scope(user, job.params)


# --- Asking -------------------------------------------------------------------------------------------------------


def create_job(user: User, kind: str, params: dict, locale: str) -> Job:
    """A queued job for ``user``; flushes. The caller commits and then calls ``impact.jobs.backends.enqueue``."""
    if kind_of(kind) is None:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(user=user, kind=kind, params=params, locale=locale, status=JobStatus.queued, rows_done=0)
    db.session.add(job)
    db.session.flush()
    return job


def cancel(job: Job) -> bool:
    """Mark a queued or running job cancelled (the running work stops at its next progress report, and rolls back
    what it had begun); flushes. Returns False when there was nothing to cancel. An uploaded file goes at once."""
    now = utcnow()
    changed = db.session.execute(
        sa.update(Job)
        .where(Job.id == job.id, Job.status.in_(ACTIVE))
        .values(status=JobStatus.cancelled, finished_at=now, expires_at=now + keep_for())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(job)
    if changed:
        discard_upload(job.params)
    return bool(changed)


def fail(job_id: int, reason: str, params: dict | None = None) -> bool:
    """Mark a queued or running job failed with ``reason`` (a key of ERRORS), and new ``params`` if given (an
    import's refusal); commits on its own connection."""
    now = utcnow()
    values = {"status": JobStatus.failed, "error": reason, "finished_at": now, "expires_at": now + keep_for()}
    if params is not None:
        values["params"] = params
    with db.engine.begin() as connection:
        return bool(
            connection.execute(sa.update(Job).where(Job.id == job_id, Job.status.in_(ACTIVE)).values(**values)).rowcount
        )


# --- Uploads: a file to import, kept in the jobs folder until its job ends ----------------------------------------


def store_upload(data: bytes) -> str:
    """Keep ``data`` in the jobs folder under a random name (never the web root); the name goes in the job's params."""
    name = secrets.token_urlsafe(24) + UPLOAD_SUFFIX
    path = jobs_dir() / name
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as stored:
        stored.write(data)
    return name


def _upload_path(params: dict) -> Path | None:
    name = str(params.get("upload") or "")
    # Only a name this module made: params come from the database, but a path must never leave the jobs folder.
    if not name.endswith(UPLOAD_SUFFIX) or Path(name).name != name:
        return None
    return jobs_dir() / name


def read_upload(job: Job) -> bytes:
    path = _upload_path(job.params)
    if path is None:
        raise FileNotFoundError("the job has no uploaded file")
    return path.read_bytes()


def discard_upload(params: dict) -> None:
    path = _upload_path(params)
    if path is not None:
        path.unlink(missing_ok=True)


# --- Running ------------------------------------------------------------------------------------------------------


class Progress:
    """Progress reports from the work: rows done (written at most every ``interval`` seconds), and the place where
    a cancelled job stops. Writes on a connection of its own, so the work's open cursor is never disturbed."""

    def __init__(self, job_id: int, interval: float = 0.5):
        self.job_id = job_id
        self.interval = interval
        self.done = 0
        self._last = 0.0

    def total(self, rows: int) -> None:
        self._write(rows_total=rows)

    def advance(self, rows: int = 1) -> None:
        self.done += rows
        if time.monotonic() - self._last >= self.interval:
            self._write(rows_done=self.done)

    def _write(self, **values) -> None:
        self._last = time.monotonic()
        with db.engine.begin() as connection:
            status = connection.execute(
                sa.update(Job)
                .where(Job.id == self.job_id)
                .values(heartbeat_at=utcnow(), **values)
                .returning(Job.status)
            ).scalar_one_or_none()
        if status != JobStatus.running:
            raise JobCancelled


class Heartbeat:
    """A thread that writes the job's heartbeat every few seconds while the work runs (a long first query too)."""

    def __init__(self, job_id: int, seconds: float):
        self.job_id, self.seconds = job_id, seconds
        self._stop = threading.Event()
        self._engine = db.engine
        self._thread = threading.Thread(target=self._beat, name=f"job-{job_id}-heartbeat", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.seconds):
            try:
                with self._engine.begin() as connection:
                    connection.execute(
                        sa.update(Job).where(Job.id == self.job_id, Job.status == JobStatus.running),
                        {"heartbeat_at": utcnow()},
                    )
            except sa.exc.SQLAlchemyError:  # a busy database: the next beat tries again
                log.warning("job %s: heartbeat not written", self.job_id, exc_info=True)


def run_job(job_id: int) -> None:
    """Run job ``job_id`` (inside an app context) unless it is no longer queued; commits."""
    now = utcnow()
    claimed = db.session.execute(
        sa.update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.queued)
        .values(status=JobStatus.running, started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if not claimed:
        log.info("job %s: not queued any more (cancelled, or taken by another worker)", job_id)
        return
    job = db.session.get(Job, job_id)
    kind = kind_of(job.kind)
    asked = dict(job.params)  # still readable after a rollback, without a query
    folder = jobs_dir()
    stored = secrets.token_urlsafe(24)
    part = folder / (stored + PART_SUFFIX)
    progress = Progress(job_id)
    try:
        with Heartbeat(job_id, float(current_app.config["JOBS_HEARTBEAT_SECONDS"])), force_locale(job.locale):
            scope = scope_now(job, kind)
            if scope is None:
                raise JobRefused
            made = kind.run(job, progress, part)
        # Read and done with: it goes before the job reads as ended, so whoever sees that finds no upload left.
        discard_upload(asked)
        if kind.makes_file:
            db.session.rollback()  # the work's read transaction ends here
            os.replace(part, folder / stored)
            result = {"file_name": made, "file_path": stored}
        else:
            # The import's writes are still open: they commit with the row saying done, or not at all.
            result = {"file_name": asked.get("file_name") or kind.name, "params": {**asked, "outcome": made}}
        finished = utcnow()
        done = db.session.execute(
            sa.update(Job)
            .where(Job.id == job_id, Job.status == JobStatus.running)
            .values(
                status=JobStatus.done,
                rows_done=progress.done,
                finished_at=finished,
                heartbeat_at=finished,
                scope=scope,
                expires_at=finished + keep_for(),
                **result,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        if done:
            db.session.commit()
            seconds = (finished - now).total_seconds()
            log.info("job %s (%s): %s rows in %.1f s", job_id, job.kind, progress.done, seconds)
        else:  # cancelled, or given up as stopped, in the last moment: nothing is kept, nothing imported
            db.session.rollback()
            (folder / stored).unlink(missing_ok=True)
            log.info("job %s: cancelled as it ended, after %s rows; nothing kept", job_id, progress.done)
    except JobCancelled:
        db.session.rollback()
        part.unlink(missing_ok=True)
        log.info("job %s: cancelled after %s rows", job_id, progress.done)
    except JobRefused:
        db.session.rollback()
        part.unlink(missing_ok=True)  # before the job reads as failed: whoever sees that finds no partial file
        fail(job_id, error_key(kind, "refused"))
        log.info("job %s: refused, the user may no longer have it", job_id)
    except JobFailed as refusal:
        db.session.rollback()
        fail(job_id, "refused_input", {**asked, "outcome": refusal.outcome})
        log.info("job %s (%s): the file was refused, nothing imported", job_id, job.kind)
    except Exception:
        db.session.rollback()
        part.unlink(missing_ok=True)  # before the job reads as failed: whoever sees that finds no partial file
        fail(job_id, error_key(kind, "error"))
        log.exception("job %s (%s) failed", job_id, job.kind)
    finally:
        part.unlink(missing_ok=True)
        discard_upload(asked)  # an uploaded file is kept only while its job may still need it


# --- Sweeping up --------------------------------------------------------------------------------------------------


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Mark stopped jobs failed, remove expired jobs with their files and files no job owns; commits.

    Runs on a schedule in the worker and, cheaply, when someone asks for a job or opens their downloads.
    """
    now = now or utcnow()
    config = current_app.config
    stale = now - timedelta(seconds=float(config["JOBS_STALE_SECONDS"]))
    never_started = now - timedelta(hours=float(config["JOBS_QUEUED_HOURS"]))
    counts = {"stopped": 0, "not_started": 0, "expired": 0, "orphans": 0}
    for job_id in db.session.scalars(
        sa.select(Job.id).where(
            Job.status == JobStatus.running, sa.func.coalesce(Job.heartbeat_at, Job.created_at) < stale
        )
    ).all():
        counts["stopped"] += fail(job_id, "stopped")
    for job_id in db.session.scalars(
        sa.select(Job.id).where(Job.status == JobStatus.queued, Job.created_at < never_started)
    ).all():
        counts["not_started"] += fail(job_id, "not_started")
    folder = jobs_dir()
    expired = db.session.execute(sa.select(Job.id, Job.file_path).where(Job.expires_at < now)).all()
    for job_id, file_path in expired:
        if file_path:
            (folder / file_path).unlink(missing_ok=True)
        db.session.execute(sa.delete(Job).where(Job.id == job_id))
        counts["expired"] += 1
    db.session.commit()
    # Files no job owns: a worker killed while writing leaves its temporary file. An hour's grace for work under way.
    owned = set(db.session.scalars(sa.select(Job.file_path).where(Job.file_path.is_not(None))).all())
    # A file waiting to be imported belongs to its job until the job ends, however long the queue.
    owned |= {
        params.get("upload") for params in db.session.scalars(sa.select(Job.params).where(Job.status.in_(ACTIVE)))
    }
    db.session.commit()
    old = time.time() - 3600
    for path in folder.iterdir():
        if path.is_file() and path.name not in owned and path.stat().st_mtime < old:
            path.unlink(missing_ok=True)
            counts["orphans"] += 1
    if any(counts.values()):
        log.info("jobs swept: %s", counts)
    return counts
