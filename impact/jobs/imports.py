"""Importing a large file as a background job: the same import as the page's, all or nothing, with progress.

A page that imports a file calls ``runs_as_job`` first: a file of up to ``IMPORT_DIRECT_ROWS`` lines is imported in
the request as before (the problems by the field at once); a larger one is kept in the jobs folder under a random
name (``start_import_job``) and imported by a job of a kind made with ``import_kind``. The job checks the person's
role again when it runs, reports rows read of rows in the file, stops (nothing imported) when cancelled, and keeps
what was imported — or the import's own message and first lines to correct — in both languages for its page. The
uploaded file goes when the job ends, whatever the outcome.
"""

from collections.abc import Callable
from typing import Any

from flask import Response, current_app, redirect, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from impact.core.db import db
from impact.core.refusal import Refusal
from impact.jobs import backends
from impact.jobs.kinds import JobKind, ScopeCheck
from impact.jobs.running import JobFailed, create_job, in_both_languages, read_upload, store_upload, sweep

# (file's bytes, actor, on_row) -> the import's result; raises a Refusal with ``problems`` for a file it refuses.
Importer = Callable[..., Any]


def data_rows(data: bytes) -> int:
    """The lines below the header that hold something: what the import will read (the progress's total)."""
    return sum(1 for line in data.splitlines()[1:] if line.strip())


def runs_as_job(data: bytes) -> bool:
    return data_rows(data) > int(current_app.config["IMPORT_DIRECT_ROWS"])


def read_or_queue(upload, kind: JobKind) -> tuple[bytes, Response | None]:
    """The uploaded file's bytes, and for a large file the redirect to the progress page of the job now queued to
    import it (None for a file the page imports itself)."""
    data = upload.read()
    if not runs_as_job(data):
        return data, None
    return data, redirect(url_for("jobs.progress", job_id=start_import_job(kind, data, upload.filename)))


def start_import_job(kind: JobKind, data: bytes, file_name: str) -> int:
    """Keep the file and queue its import for the current user; the job's id (for its progress page)."""
    sweep()
    params = {"upload": store_upload(data), "file_name": _plain_name(file_name), "rows": data_rows(data)}
    job = create_job(current_user, kind.name, params, str(get_locale()))
    db.session.commit()
    backends.enqueue(job.id)
    return job.id


def _plain_name(file_name: str) -> str:
    """The name the person's file had, shown on the job's page: no folders, at most 150 characters."""
    name = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:150] or "import.csv"


def import_kind(
    name: str, title, scope: ScopeCheck, importer: Importer, describe: Callable[[Any], object], back_endpoint: str
) -> JobKind:
    """A job kind that imports its uploaded file with ``importer`` and says what was done with ``describe``."""

    def run(job, progress, _path) -> dict:
        data = read_upload(job)
        progress.total(int(job.params.get("rows") or data_rows(data)))
        try:
            result = importer(data, job.user, on_row=progress.advance)
        except Refusal as refusal:
            problems = getattr(refusal, "problems", [])
            raise JobFailed(
                {
                    "message": in_both_languages(refusal.message),
                    "problems": [in_both_languages(problem) for problem in problems],
                }
            ) from None
        db.session.flush()
        return {"message": in_both_languages(describe(result))}

    return JobKind(
        name,
        title,
        scope,
        run,
        "text/plain",
        back_endpoint,
        back_text=_l("Back to the import"),
        makes_file=False,
    )
