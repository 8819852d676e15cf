"""Recording the committee's decision, correcting it, and the secretary's list of what awaits a decision."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from impact.assessments import access
from impact.assessments.enums import AssessmentStatus, CommitteeOutcome
from impact.assessments.forms import committee_choices
from impact.assessments.loaders import get_assessment_or_404
from impact.assessments.models import Assessment, CommitteeDecision
from impact.auth.permissions import role_required
from impact.auth.roles import Role
from impact.core.db import db
from impact.decisions import bp, operations
from impact.decisions.forms import DecisionForm

RECENT = 25


@bp.get("/decisions/")
@role_required(Role.committee_secretary)
def index():
    """Approved assessments of the secretary's committees awaiting a decision, and the decisions recorded lately."""
    mine = Assessment.committee.in_(current_user.committees)
    waiting = db.session.scalars(
        sa.select(Assessment)
        .options(joinedload(Assessment.department))
        .where(mine, Assessment.status == AssessmentStatus.approved)
        .order_by(Assessment.decision_date.is_(None), Assessment.decision_date, Assessment.id)
    ).all()
    recorded = db.session.execute(
        sa.select(CommitteeDecision, Assessment)
        .join(Assessment, Assessment.id == CommitteeDecision.assessment_id)
        .where(CommitteeDecision.committee.in_(current_user.committees))
        .order_by(CommitteeDecision.meeting_date.desc(), CommitteeDecision.id.desc())
        .limit(RECENT)
    ).all()
    return render_template("decisions/index.html", waiting=waiting, recorded=recorded)


@bp.route("/assessments/<int:assessment_id>/decision", methods=["GET", "POST"])
@login_required
def decision(assessment_id: int):
    """Record the decision of an approved assessment, or correct the one recorded (with a reason)."""
    assessment = get_assessment_or_404(assessment_id)
    recorded = assessment.committee_decision
    if access.decision_refusal(assessment, current_user) is not None:
        abort(403)
    form = DecisionForm(obj=recorded if request.method == "GET" else None)
    if request.method == "GET" and recorded is None:
        form.committee.data = assessment.committee
    if request.method == "GET":
        form.lock_version.data = recorded.lock_version if recorded else 0
    form.committee.choices = _committees(assessment, form.committee.data)
    conflict = False
    if form.validate_on_submit():
        entered = operations.DecisionInput(
            committee=form.committee.data,
            meeting_date=form.meeting_date.data,
            paragraph=form.paragraph.data,
            outcome=CommitteeOutcome(form.outcome.data),
            analysis_changed=form.analysis_changed.data,
            analysis_change=form.analysis_change.data or "",
            minutes_reference=form.minutes_reference.data or "",
        )
        try:
            if recorded is not None and form.lock_version.data != recorded.lock_version:
                raise StaleDataError("the page showed an older decision")
            if recorded is None:
                done, _row = form.commit(lambda: operations.record(assessment, current_user, entered))
                message = _("The committee's decision is recorded.")
            else:
                reason = form.correction_reason.data or ""
                done, _changes = form.commit(lambda: operations.correct(recorded, current_user, entered, reason))
                message = _("The decision is corrected.") if _changes else _("Nothing was changed.")
        except StaleDataError:
            # Someone recorded or corrected it since the page was shown: keep what was typed, show what is saved.
            db.session.rollback()
            recorded = db.session.get(Assessment, assessment_id).committee_decision
            conflict = True
            form.lock_version.data = recorded.lock_version if recorded else 0
            form.lock_version.raw_data = [str(form.lock_version.data)]
        else:
            if done:
                flash(message, "success")
                return redirect(url_for("assessments.view", assessment_id=assessment.id) + "#decision")
    return render_template(
        "decisions/edit.html", assessment=assessment, recorded=recorded, form=form, conflict=conflict
    ), (422 if form.errors else 200)


def _committees(assessment: Assessment, current: str | None) -> list[tuple[str, str]]:
    """The committees offered: a secretary who is not an author chooses among their own."""
    choices = committee_choices(current)
    if assessment.is_author(current_user) or not current_user.has_role(Role.committee_secretary):
        return choices
    mine = set(current_user.committees)
    return [(value, label) for value, label in choices if not value or value in mine]


@bp.app_context_processor
def _decision_helpers() -> dict:
    return {
        "decision_can_record": lambda assessment: access.can_record_decision(assessment, current_user),
        "decision_can_correct": lambda assessment: access.can_correct_decision(assessment, current_user),
    }
