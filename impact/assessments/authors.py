"""Co-authors: an editor adds or removes case officers of the same department."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from impact.assessments import bp, operations
from impact.assessments.forms import AuthorForm
from impact.assessments.loaders import get_assessment_or_404
from impact.auth.models import User
from impact.auth.people import person_text
from impact.auth.permissions import role_required
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.forms import EmptyForm, commit_or_flash


@bp.route("/<int:assessment_id>/authors", methods=["GET", "POST"])
@role_required(Role.case_officer)
def authors(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id, need="edit")
    form = AuthorForm()
    candidates = [(user.id, person_text(user)) for user in operations.co_author_candidates(assessment)]
    # An empty first choice: HTML requires one in a required select, and nobody is added by not choosing.
    form.user_id.choices = [("", _("Choose a case officer")), *candidates] if candidates else []
    if form.validate_on_submit():
        user = db.session.get(User, form.user_id.data)
        done, _added = form.commit(lambda: operations.add_author(assessment, current_user, user), field="user_id")
        if done:
            flash(_("%(name)s is now a co-author.", name=person_text(user)), "success")
            return redirect(url_for("assessments.authors", assessment_id=assessment.id))
    return render_template("assessments/authors.html", assessment=assessment, form=form, remove_form=EmptyForm())


@bp.post("/<int:assessment_id>/authors/<int:user_id>/remove")
@role_required(Role.case_officer)
def remove_author(assessment_id: int, user_id: int):
    assessment = get_assessment_or_404(assessment_id, need="edit")
    user = db.session.get(User, user_id)
    if EmptyForm().validate_on_submit() and user is not None:
        done, _removed = commit_or_flash(lambda: operations.remove_author(assessment, current_user, user))
        if done:
            flash(_("%(name)s is no longer a co-author.", name=person_text(user)), "success")
    return redirect(url_for("assessments.authors", assessment_id=assessment.id))
