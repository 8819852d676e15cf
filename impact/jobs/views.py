"""My downloads, a job's progress page (with its status as JSON for the page's script), cancel and download."""

from pathlib import Path

import sqlalchemy as sa
from flask import Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import format_number, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from impact.core.db import db, utcnow
from impact.core.timefmt import format_time
from impact.jobs import backends, bp
from impact.jobs.kinds import kind_of
from impact.jobs.models import Job, JobStatus
from impact.jobs.running import ERRORS, cancel, jobs_dir, scope_now, sweep


def get_own_job_or_404(job_id: int) -> Job:
    """The current user's job ``job_id``; 404 for anyone else's (they may not know it exists)."""
    job = db.session.scalar(sa.select(Job).where(Job.id == job_id, Job.user_id == current_user.id))
    if job is None:
        abort(404)
    return job


def elapsed_text(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    if minutes:
        return _("%(minutes)d min %(seconds)d s", minutes=minutes, seconds=seconds)
    return _("%(seconds)d s", seconds=seconds)


def progress_text(job: Job) -> str:
    """What the progress bar shows, in words: rows done of total, percent, time so far."""
    if job.status == JobStatus.queued:
        return _("Waiting to start.")
    parts = []
    if job.rows_total is not None:
        parts.append(
            _("%(done)s of %(total)s rows", done=format_number(job.rows_done), total=format_number(job.rows_total))
        )
    if job.percent is not None:
        parts.append(f"{job.percent}\u00a0%")
    parts.append(_("time so far %(elapsed)s", elapsed=elapsed_text(job.elapsed_seconds())))
    return ", ".join(parts) + "."


def status_payload(job: Job) -> dict:
    return {
        "status": job.status.value,
        "label": str(job.status.label),
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "elapsed_seconds": job.elapsed_seconds(),
        "text": progress_text(job),
        "active": job.active,
    }


def outcome_of(job: Job) -> dict | None:
    """What a job that imported a file did, in the reader's language: ``message``, and ``problems`` of a refused
    file (the import's own lines to correct); None for a job that makes a file."""
    outcome = (job.params or {}).get("outcome")
    if not isinstance(outcome, dict):
        return None
    locale = str(get_locale())

    def said(text) -> str:
        return str(text.get(locale) or next(iter(text.values()), "")) if isinstance(text, dict) else ""

    return {"message": said(outcome.get("message")), "problems": [said(line) for line in outcome.get("problems", [])]}


@bp.get("/")
@login_required
def index():
    sweep()  # opportunistic: expired files go, stopped jobs say so
    jobs = db.session.scalars(
        sa.select(Job).where(Job.user_id == current_user.id).order_by(Job.created_at.desc(), Job.id.desc()).limit(50)
    ).all()
    return render_template(
        "jobs/index.html", jobs=jobs, kind_of=kind_of, errors=ERRORS, outcome_of=outcome_of, now=utcnow()
    )


@bp.get("/<int:job_id>")
@login_required
def progress(job_id: int):
    job = get_own_job_or_404(job_id)
    return render_template(
        "jobs/progress.html",
        job=job,
        kind=kind_of(job.kind),
        progress_text=progress_text(job),
        error=ERRORS.get(job.error or "", ERRORS["error"]) if job.status == JobStatus.failed else None,
        outcome=outcome_of(job),
        expires=format_time(job.expires_at) if job.expires_at else None,
    )


@bp.get("/<int:job_id>/status")
@login_required
def status(job_id: int):
    response = jsonify(status_payload(get_own_job_or_404(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:job_id>/cancel")
@login_required
def cancel_job(job_id: int):
    job = get_own_job_or_404(job_id)
    if cancel(job):
        db.session.commit()
        backends.stop(job.id)
        kind = kind_of(job.kind)
        if kind is not None and not kind.makes_file:
            flash(_("The import was cancelled. Nothing was imported."), "info")
        else:
            flash(_("The work was cancelled. No file was kept."), "info")
    else:
        flash(_("There was nothing to cancel: the work had already ended."), "info")
    return redirect(url_for("jobs.progress", job_id=job.id))


@bp.get("/<int:job_id>/file")
@login_required
def download(job_id: int):
    job = get_own_job_or_404(job_id)
    kind = kind_of(job.kind)
    path = jobs_dir() / job.file_path if job.downloadable else None
    if kind is None or path is None or job.expires_at <= utcnow() or not path.is_file():
        abort(404)
    # Asked again at download: roles or department may have changed since the file was made.
    if scope_now(job, kind) != job.scope:
        abort(403)
    if kind.on_download is not None:
        kind.on_download(job)
    return Response(
        _chunks(path),
        mimetype=kind.mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{job.file_name}"',
            "Content-Length": str(path.stat().st_size),
            "Cache-Control": "no-store",
        },
    )


def _chunks(path: Path):
    """The file in pieces; opened only when the response is sent, closed when it ends or is dropped."""
    with path.open("rb") as stored:
        while data := stored.read(64 * 1024):
            yield data
