"""The public register's pages (no login), and the reviewer's buttons that keep an assessment unpublished.

Everything under /public/ answers 404 while the register is closed, except the reviewer's two POSTs, which may be
used before the register opens. The public pages name the department but no person: no authors, reviewers or
owners, no reviewers' comments and no history (``public`` in ``assessments/_assessment_body.html``). The PDF and
the Word file come from the internal documents' loader with ``public=True``, which leaves out the same names.
"""

from datetime import date

import sqlalchemy as sa
from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from impact.assessments.lifecycle import WorkflowError
from impact.assessments.loaders import get_assessment_or_404, page_options
from impact.assessments.models import Assessment, CommitteeDecision
from impact.core.db import db
from impact.core.forms import EmptyForm
from impact.core.timefmt import day_start, local_time
from impact.extensions import limiter
from impact.org.models import Department
from impact.public import bp
from impact.public.forms import KeepUnpublishedForm, PublicFilterForm
from impact.public.publication import (
    can_hold,
    hold_of,
    keep_unpublished,
    published_filter,
    register_open,
    release,
)
from impact.ratelimit import address_key
from impact.reports.documents.docx import DOCX_TYPE, assessment_docx
from impact.reports.documents.pdf import assessment_pdf

PER_PAGE = 25
REVIEWER_ENDPOINTS = ("public.keep_unpublished_view", "public.release_view")


def _public_limit() -> str:
    return current_app.config["PUBLIC_LIMIT_PER_ADDRESS"]


# Anyone may read the register: each client address gets a number of pages per minute and hour, like the login.
limiter.limit(_public_limit, key_func=lambda: "public-" + address_key())(bp)


@bp.before_request
def _closed_is_not_found():
    if request.endpoint not in REVIEWER_ENDPOINTS and not register_open():
        abort(404)


def _committee() -> sa.ColumnElement[str]:
    """The committee that decided the assessment, or the one it was going to."""
    decided = (
        sa.select(CommitteeDecision.committee)
        .where(CommitteeDecision.assessment_id == Assessment.id)
        .correlate(Assessment)
        .scalar_subquery()
    )
    return sa.func.coalesce(decided, Assessment.committee)


def _filter_form() -> PublicFilterForm:
    """The filters with choices from what is published: its departments, years of approval and committees."""
    form = PublicFilterForm(formdata=request.args)
    published = sa.select(Assessment.id).where(published_filter())
    departments = db.session.execute(
        sa.select(Department.code, Department.name)
        .where(sa.exists().where(Assessment.department_id == Department.id, Assessment.id.in_(published)))
        .order_by(Department.name)
    ).all()
    form.department.choices = [("", _l("All departments")), *((code, name) for code, name in departments)]
    first, last = db.session.execute(
        sa.select(sa.func.min(Assessment.decided_at), sa.func.max(Assessment.decided_at)).where(published_filter())
    ).one()
    years = range(local_time(last).year, local_time(first).year - 1, -1) if first and last else []
    form.year.choices = [("", _l("All years")), *((str(year), str(year)) for year in years)]
    committees = db.session.scalars(
        sa.select(_committee()).where(published_filter(), _committee().is_not(None)).distinct()
    ).all()
    form.committee.choices = [("", _l("All committees")), *((name, name) for name in sorted(committees))]
    form.validate()
    return form


def _value(form: PublicFilterForm, name: str) -> str:
    """A filter's value, or empty when it is not one of the choices (an old or made-up link shows everything)."""
    return "" if form[name].errors else (form[name].data or "")


@bp.get("/")
def index():
    form = _filter_form()
    statement = sa.select(Assessment).where(published_filter())
    if text := _value(form, "q"):
        statement = statement.where(sa.func.lower(Assessment.title).contains(text.lower(), autoescape=True))
    if code := _value(form, "department"):
        statement = statement.where(Assessment.department.has(Department.code == code))
    if year := _value(form, "year"):
        start, end = day_start(date(int(year), 1, 1)), day_start(date(int(year) + 1, 1, 1))
        statement = statement.where(Assessment.decided_at >= start, Assessment.decided_at < end)
    if committee := _value(form, "committee"):
        statement = statement.where(_committee() == committee)
    statement = statement.options(
        joinedload(Assessment.department, innerjoin=True), joinedload(Assessment.committee_decision)
    ).order_by(Assessment.decided_at.desc(), Assessment.id.desc())
    page = db.paginate(statement, per_page=PER_PAGE, error_out=False, count=True)
    args = {name: _value(form, name) for name in ("q", "department", "year", "committee") if _value(form, name)}
    return render_template("public/index.html", form=form, page=page, args=args)


def _published_or_404(assessment_id: int) -> Assessment:
    found = db.session.get(Assessment, assessment_id, options=page_options())
    published = sa.select(Assessment.id).where(Assessment.id == assessment_id, published_filter())
    if found is None or db.session.scalar(published) is None:
        abort(404)
    return found


@bp.get("/assessments/<int:assessment_id>")
def assessment(assessment_id: int):
    return render_template("public/assessment.html", assessment=_published_or_404(assessment_id))


def _document(body: bytes, mimetype: str, filename: str, disposition: str) -> Response:
    # Not stored by browsers or proxies: an assessment kept unpublished later must not linger in a cache.
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"', "Cache-Control": "no-store"}
    return Response(body, mimetype=mimetype, headers=headers)


@bp.get("/assessments/<int:assessment_id>.pdf")
def assessment_pdf_view(assessment_id: int):
    """The assessment's PDF from the same loader as the internal one, without any person's name."""
    found = _published_or_404(assessment_id)
    return _document(assessment_pdf(found, public=True), "application/pdf", f"impact-{found.case_number}.pdf", "inline")


@bp.get("/assessments/<int:assessment_id>.docx")
def assessment_docx_view(assessment_id: int):
    """The same content as the public PDF, as Word."""
    found = _published_or_404(assessment_id)
    return _document(assessment_docx(found, public=True), DOCX_TYPE, f"impact-{found.case_number}.docx", "attachment")


@bp.post("/assessments/<int:assessment_id>/keep-unpublished")
@login_required
def keep_unpublished_view(assessment_id: int):
    assessment = _holdable(assessment_id)
    form = KeepUnpublishedForm()
    if not form.validate_on_submit():
        for error in form.reason.errors or [_("The form had expired; try again.")]:
            flash(str(error), "error")
        return redirect(url_for("assessments.view", assessment_id=assessment.id) + "#publication")
    try:
        keep_unpublished(assessment, form.reason.data, current_user)
    except WorkflowError as error:
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The assessment is kept out of the public register."), "success")
    return redirect(url_for("assessments.view", assessment_id=assessment.id) + "#publication")


@bp.post("/assessments/<int:assessment_id>/release")
@login_required
def release_view(assessment_id: int):
    assessment = _holdable(assessment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        release(assessment, current_user)
    except WorkflowError as error:
        flash(str(error.message), "error")
    else:
        db.session.commit()
        flash(_("The assessment may be published again."), "success")
    return redirect(url_for("assessments.view", assessment_id=assessment.id) + "#publication")


def _holdable(assessment_id: int) -> Assessment:
    assessment = get_assessment_or_404(assessment_id)
    if not can_hold(assessment, current_user):
        abort(403)
    return assessment


@bp.app_context_processor
def _publication_helpers() -> dict:
    def publication_panel(assessment: Assessment) -> dict | None:
        """What the assessment page's publication panel shows, for those who may change it; None for others."""
        if not can_hold(assessment, current_user):
            return None
        return {
            "open": register_open(),
            "hold": hold_of(assessment),
            "form": KeepUnpublishedForm(formdata=None),
        }

    return {"publication_panel": publication_panel}
