"""The coverage page and importing a committee's list of cases."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from impact.auth.permissions import role_required
from impact.auth.roles import Role
from impact.coverage import bp
from impact.coverage.case_lists import CaseListError, import_cases
from impact.coverage.figures import MISSING_SHOWN, coverage_rows, missing_cases
from impact.coverage.forms import CaseListForm, MissingFilterForm
from impact.jobs.imports import import_kind, read_or_queue
from impact.jobs.kinds import register_kind

READERS = (Role.auditor, Role.reviewer, Role.admin, Role.committee_secretary)
IMPORTERS = (Role.auditor, Role.admin, Role.committee_secretary)


def added_text(result):
    return _l(
        "%(added)d cases added; %(already)d were on the list already.",
        added=result.added,
        already=result.already_there,
    )


def importer_scope(user, params: dict) -> str | None:
    """The roles the import page requires, asked again when the job runs."""
    return "importer" if user.has_role(*IMPORTERS) else None


IMPORT_KIND = import_kind(
    "committee_cases_import",
    _l("Import of a list of cases"),
    importer_scope,
    import_cases,
    added_text,
    "coverage.import_list",
)
register_kind(IMPORT_KIND)


@bp.get("/")
@role_required(*READERS)
def index():
    rows = coverage_rows()
    filters = MissingFilterForm(formdata=request.args)
    filters.committee.choices = [("", _("All committees"))] + sorted({(row.committee, row.committee) for row in rows})
    filters.validate()
    committee = filters.committee.data if not filters.committee.errors else None
    year = filters.year.data if not filters.year.errors else None
    return render_template(
        "coverage/index.html",
        rows=rows,
        filters=filters,
        missing=missing_cases(committee or None, year),
        missing_shown=MISSING_SHOWN,
        can_import=current_user.has_role(*IMPORTERS),
    )


@bp.route("/import", methods=["GET", "POST"])
@role_required(*IMPORTERS)
def import_list():
    form = CaseListForm()
    problems: list = []  # a refused file's bad lines, listed under the error

    def save(data: bytes):
        try:
            return import_cases(data, current_user)
        except CaseListError as error:
            problems.extend(error.problems)
            raise

    if form.validate_on_submit():
        data, queued = read_or_queue(form.file.data, IMPORT_KIND)
        if queued is not None:  # a large file: imported by a job, followed on its progress page
            return queued
        done, result = form.commit(lambda: save(data))
        if done:
            flash(str(added_text(result)), "success")
            return redirect(url_for("coverage.index"))
    return render_template("coverage/import.html", form=form, problems=problems), (422 if form.errors else 200)
