"""Views of the review feature: the reviewer's queue, the review page and the one-button transitions."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from impact.assessments import access, lifecycle
from impact.assessments.enums import IN_FORCE, AssessmentStatus
from impact.assessments.lifecycle import WorkflowError
from impact.assessments.loaders import get_assessment_or_404
from impact.assessments.models import Assessment
from impact.auth.people import person_text
from impact.auth.permissions import role_required
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.forms import EmptyForm, commit_or_flash
from impact.core.params import page_arg
from impact.org.models import Department
from impact.review import bp, operations
from impact.review.forms import (
    REVIEWED_SECTIONS,
    build_review_form,
    comments_from,
    ground_field_name,
    reviewed_grounds,
    section_field_name,
)
from impact.review.queries import QueueFilterForm, queue_statement

PER_PAGE = 25


@bp.get("/")
@role_required(Role.reviewer)
def queue():
    filters = QueueFilterForm(formdata=request.args)
    departments = db.session.scalars(sa.select(Department).order_by(Department.name))
    filters.department.choices = [("", _l("All departments"))] + [(d.code, d.name) for d in departments]
    filters.validate()
    page = db.paginate(queue_statement(current_user, filters), page=page_arg(), per_page=PER_PAGE, error_out=False)
    args = {f.name: f.raw_data[0] for f in filters if f.raw_data and f.raw_data[0]}
    return render_template("review/queue.html", filters=filters, page=page, args=args)


@bp.route("/<int:assessment_id>", methods=["GET", "POST"])
@role_required(Role.reviewer)
def review(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id)
    may_decide = access.can_review(assessment, current_user)
    form = build_review_form(assessment, request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not may_decide:
            return _refuse(assessment, _why_not(assessment))
        if form.validate():
            if form.lock_version.data != str(assessment.lock_version):
                return _refuse(assessment, _decided_meanwhile(assessment))
            return _decide(assessment, form)
    return render_template(
        "review/review.html",
        assessment=assessment,
        form=form if may_decide else None,
        why_not=None if may_decide else _why_not(assessment),
        sections=[(section, section_field_name(section)) for section in REVIEWED_SECTIONS],
        grounds=[
            (ground, ground_field_name(ground), assessment.answer_for(ground))
            for ground in reviewed_grounds(assessment)
        ],
    ), (422 if form.errors else 200)


def _decide(assessment: Assessment, form):
    assessment_id = assessment.id
    try:
        if form.decision.data == "approve":
            operations.approve(assessment, current_user, comments_from(form, assessment), form.comment.data)
            message = _("The assessment is approved. The authors have been told.")
        else:
            operations.return_for_changes(assessment, current_user, form.comment.data, comments_from(form, assessment))
            message = _("The assessment is returned to the authors with your comments.")
        db.session.commit()
    except WorkflowError as error:
        db.session.rollback()
        return _refuse(assessment, error.message)
    except StaleDataError:
        # Another reviewer decided first: their decision stands; show this one why nothing happened.
        db.session.rollback()
        fresh = db.session.get(Assessment, assessment_id)
        return _refuse(fresh, _decided_meanwhile(fresh))
    flash(message, "success")
    return redirect(url_for("review.queue"))


def _decided_meanwhile(assessment: Assessment) -> str:
    if assessment.status == AssessmentStatus.submitted:
        return _("The assessment changed while you were reading it. Read it again before you decide.")
    who = person_text(assessment.decided_by) if assessment.decided_by else _("someone else")
    return _(
        "%(who)s has already decided this assessment: it is now %(status)s. Your decision was not saved.",
        who=who,
        status=str(assessment.status.label).lower(),
    )


def _why_not(assessment: Assessment) -> str:
    decided = assessment.decided_by is not None and assessment.status in (*IN_FORCE, AssessmentStatus.returned)
    return _decided_meanwhile(assessment) if decided else str(access.review_refusal(assessment, current_user))


def _refuse(assessment: Assessment, message):
    flash(str(message), "error")
    return redirect(url_for("assessments.view", assessment_id=assessment.id)), 303


def _transition(assessment_id: int, operation, success: str, target=None):
    assessment = get_assessment_or_404(assessment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        done, result = commit_or_flash(lambda: operation(assessment, current_user))
    except StaleDataError:
        db.session.rollback()
        flash(_("Someone else changed the assessment at the same time. Nothing was changed; try again."), "error")
        return redirect(url_for("assessments.view", assessment_id=assessment_id)), 303
    if not done:
        return redirect(url_for("assessments.view", assessment_id=assessment_id)), 303
    flash(success, "success")
    destination = result.id if isinstance(result, Assessment) else assessment_id
    return redirect(target or url_for("assessments.view", assessment_id=destination))


@bp.post("/<int:assessment_id>/withdraw")
@role_required(Role.case_officer)
def withdraw(assessment_id: int):
    return _transition(assessment_id, lifecycle.withdraw, _("The assessment is withdrawn."))


@bp.post("/<int:assessment_id>/reopen")
@role_required(Role.case_officer)
def reopen(assessment_id: int):
    return _transition(
        assessment_id,
        lifecycle.reopen,
        _("The assessment is a draft again; you can change it."),
        url_for("assessments.tasks", assessment_id=assessment_id),
    )


@bp.post("/<int:assessment_id>/archive")
@role_required(Role.reviewer, Role.admin)
def archive(assessment_id: int):
    return _transition(assessment_id, operations.archive, _("The assessment is archived."))


@bp.post("/<int:assessment_id>/amend")
@role_required(Role.case_officer)
def amend(assessment_id: int):
    return _transition(
        assessment_id, operations.amend, _("A new version has been created as a draft. It will be reviewed again.")
    )


from impact.review import followup_views, panel, version_views  # noqa: E402,F401
