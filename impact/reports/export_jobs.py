"""The register exports as background jobs: asked for on the dashboard, made by a worker, downloaded later.

The job keeps the dashboard's filters. When it runs, the filters are held to the person's remit as it is *then*
(``scoped_filters``), and the rows are those ``access.visible_filter`` lets them see then; the download checks the
remit once more (``impact.jobs.views.download``).
"""

from collections.abc import Iterable, Iterator
from pathlib import Path

import sqlalchemy as sa
from flask import redirect, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from impact.assessments.filters import AssessmentFilterForm
from impact.auth.permissions import role_required
from impact.core.db import db
from impact.core.timefmt import local_today
from impact.jobs import backends
from impact.jobs.kinds import JobKind, register_kind
from impact.jobs.running import create_job, sweep
from impact.reports import bp
from impact.reports.exports import CSV_TYPE, XLSX_TYPE
from impact.reports.register import register_rows, register_statement
from impact.reports.register_copy import register_csv_chunks
from impact.reports.scope import own_department_only, scoped_filters
from impact.reports.views import ANY_ROLE
from impact.reports.workbook import count_rows, workbook_sheets, write_workbook


def register_scope(user, params: dict) -> str | None:
    """The remit a register export is made under: the whole municipality, or the user's department; None without
    a role (the same rule as the dashboard's, ``role_required(*ANY_ROLE)`` and ``own_department_only``)."""
    if not user.has_role(*ANY_ROLE):
        return None
    return f"department:{user.department.code}" if own_department_only(user) else "municipality"


def _counted(job, progress) -> AssessmentFilterForm:
    """The job's filters under the user's remit now; the rows they give are counted first, for the progress."""
    filters = scoped_filters(job.user, MultiDict(job.params))
    statement = register_statement(filters, job.user).order_by(None).subquery()
    progress.total(db.session.scalar(sa.select(sa.func.count()).select_from(statement)))
    return filters


def _advancing(rows: Iterable[tuple], progress) -> Iterator[tuple]:
    for row in rows:
        yield row
        progress.advance()


def make_register_csv(job, progress, path: Path) -> str:
    """The CSV, from COPY on PostgreSQL (``register_copy``), else written row by row."""
    filters = _counted(job, progress)
    chunks = register_csv_chunks(
        filters, job.user, lambda: _advancing(register_rows(filters, job.user), progress), progress.advance
    )
    with path.open("wb") as output:
        for chunk in chunks:
            output.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
    return f"impact-register-{local_today().isoformat()}.csv"


def make_register_xlsx(job, progress, path: Path) -> str:
    """The workbook's three sheets, one after another; the progress counts the rows of all three."""
    filters = scoped_filters(job.user, MultiDict(job.params))
    progress.total(count_rows(filters, job.user))
    write_workbook(workbook_sheets(filters, job.user), str(path), progress.advance)
    return f"impact-register-{local_today().isoformat()}.xlsx"


KINDS = {
    "csv": JobKind(
        "register_csv",
        _l("The register as CSV"),
        register_scope,
        make_register_csv,
        CSV_TYPE,
        "reports.dashboard",
    ),
    "xlsx": JobKind(
        "register_xlsx",
        _l("The register as Excel (XLSX)"),
        register_scope,
        make_register_xlsx,
        XLSX_TYPE,
        "reports.dashboard",
    ),
}
for _kind in KINDS.values():
    register_kind(_kind)


@bp.post("/register.<any(csv, xlsx):file_format>/job")
@role_required(*ANY_ROLE)
def export_register(file_format: str):
    """Ask for the register under the dashboard's filters (the query string); the progress page follows."""
    return redirect(url_for("jobs.progress", job_id=start_register_job(file_format)))


def start_register_job(file_format: str) -> int:
    """Queue the register as ``file_format`` for the current user under the request's filters; the job's id."""
    sweep()
    params = {key: request.args.getlist(key) for key in request.args}
    job = create_job(current_user, KINDS[file_format].name, params, str(get_locale()))
    db.session.commit()
    backends.enqueue(job.id)
    return job.id
