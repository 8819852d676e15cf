"""Follow-up of approved assessments: mitigations' owner, due date and status; outcomes; what is overdue."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from impact.assessments import access
from impact.assessments.enums import Impact, MitigationStatus
from impact.assessments.loaders import get_assessment_or_404
from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.auth.models import User
from impact.auth.people import person_text
from impact.core.db import db
from impact.core.forms import commit_or_flash
from impact.core.timefmt import local_today
from impact.review import bp, operations
from impact.review.forms import (
    MitigationFollowUpForm,
    actual_comment_field_name,
    actual_field_name,
    answer_versions,
    build_outcome_form,
    ground_field_name,
    relevant_answers,
)
from impact.review.queries import overdue_work


def _follow_up_assessment(assessment_id: int) -> Assessment:
    assessment = get_assessment_or_404(assessment_id)
    if not access.can_follow_up(assessment, current_user):
        abort(403)
    return assessment


def _follow_up_input(form, answer: GroundAnswer) -> operations.FollowUpInput:
    actual = form[actual_field_name(answer.ground)].data
    return operations.FollowUpInput(
        outcome=form[ground_field_name(answer.ground)].data or "",
        actual_impact=Impact(actual) if actual else None,
        actual_comment=form[actual_comment_field_name(answer.ground)].data or "",
    )


@bp.route("/<int:assessment_id>/follow-up", methods=["GET", "POST"])
@login_required
def follow_up(assessment_id: int):
    assessment = _follow_up_assessment(assessment_id)
    form = build_outcome_form(assessment, request.form if request.method == "POST" else None)
    conflict = False
    if request.method == "POST" and form.validate():
        outcomes = {answer: _follow_up_input(form, answer) for answer in relevant_answers(assessment)}
        try:
            if form.versions.data != answer_versions(assessment):
                raise StaleDataError("the page showed older outcomes")
            done, _saved = commit_or_flash(lambda: operations.record_outcomes(assessment, current_user, outcomes))
        except StaleDataError:
            # Someone recorded outcomes since this page was shown: keep what was typed, show what is saved now.
            db.session.rollback()
            conflict = True
            form.versions.data = answer_versions(assessment)
            form.versions.raw_data = [form.versions.data]
        else:
            if not done:
                return redirect(url_for("assessments.view", assessment_id=assessment_id)), 303
            flash(_("The follow-up is saved."), "success")
            return redirect(url_for("review.follow_up", assessment_id=assessment_id))
    mitigations = assessment.actions
    return render_template(
        "review/follow_up.html",
        assessment=assessment,
        form=form,
        answers=relevant_answers(assessment),
        field_names=(actual_field_name, actual_comment_field_name, ground_field_name),
        mitigations=mitigations,
        today=local_today(),
        conflict=conflict,
    ), (422 if form.errors else 200)


@bp.route("/mitigations/<int:mitigation_id>", methods=["GET", "POST"])
@login_required
def mitigation(mitigation_id: int):
    item = db.session.get(Mitigation, mitigation_id)
    if item is None:
        abort(404)
    assessment = _follow_up_assessment(item.assessment_id)
    form = MitigationFollowUpForm(obj=item if request.method == "GET" else None)
    people = db.session.scalars(
        # An action may be owned by a person of any department (a road by the technical department, say).
        sa.select(User).where(User.active.is_(True)).options(sa.orm.joinedload(User.department)).order_by(User.name)
    ).all()
    people = list(
        {user.id: user for user in [*people, *assessment.authors, *([item.owner] if item.owner else [])]}.values()
    )
    form.owner_id.choices = [(0, _l("No owner chosen"))] + [(user.id, person_text(user)) for user in people]
    if request.method == "GET" and item.owner_id is None:
        form.owner_id.data = 0
    conflict = False
    if form.validate_on_submit():
        try:
            if form.lock_version.data != item.lock_version:
                raise StaleDataError("the page showed an older version")
            done, _saved = commit_or_flash(
                lambda: operations.update_mitigation(
                    item,
                    current_user,
                    owner_id=form.owner_id.data or None,
                    due_date=form.due_date.data,
                    status=MitigationStatus(form.status.data),
                    dropped_reason=form.dropped_reason.data or "",
                    outcome=form.outcome.data or "",
                )
            )
        except StaleDataError:
            # Someone saved this mitigation since the page was shown: keep what was typed, show what is saved now.
            db.session.rollback()
            item = db.session.get(Mitigation, mitigation_id)
            conflict = True
            form.lock_version.data = item.lock_version
            form.lock_version.raw_data = [str(item.lock_version)]
        else:
            if not done:
                return redirect(url_for("review.follow_up", assessment_id=assessment.id)), 303
            flash(_("The mitigation is updated."), "success")
            return redirect(url_for("review.follow_up", assessment_id=assessment.id))
    return render_template("review/mitigation.html", assessment=assessment, item=item, form=form, conflict=conflict), (
        422 if form.errors else 200
    )


@bp.get("/overdue")
@login_required
def overdue():
    """Overdue mitigations and follow-ups of approved assessments the user may see, per department."""
    today = local_today()
    return render_template("review/overdue.html", departments=overdue_work(current_user, today), today=today)
