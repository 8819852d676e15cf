"""Template versions and their grounds: start a draft, edit, add, reorder, deactivate, publish."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from impact.admin import bp
from impact.admin.ground_forms import DraftForm, GroundForm, NewGroundForm
from impact.core.db import db
from impact.core.forms import EmptyForm, commit_or_flash
from impact.grounds import operations
from impact.grounds.models import Ground, TemplateStatus, TemplateVersion


@bp.get("/templates")
def templates():
    versions = db.session.scalars(
        sa.select(TemplateVersion)
        .options(sa.orm.selectinload(TemplateVersion.grounds))
        .order_by(TemplateVersion.number.desc())
    ).all()
    return render_template(
        "admin/templates/index.html",
        versions=versions,
        draft=operations.current_draft(),
        draft_form=DraftForm(),
    )


@bp.post("/templates/draft")
def create_draft():
    form = DraftForm()
    if not form.validate_on_submit():
        abort(400)
    done, draft = commit_or_flash(lambda: operations.create_draft(current_user, note=form.note.data or None))
    if not done:
        return redirect(url_for("admin.templates"))
    flash(
        _("Draft version %(number)s has been created as a copy of the published version.", number=draft.number),
        "success",
    )
    return redirect(url_for("admin.template", version_id=draft.id))


@bp.get("/templates/<int:version_id>")
def template(version_id: int):
    version = db.get_or_404(TemplateVersion, version_id)
    return render_template(
        "admin/templates/version.html",
        version=version,
        is_draft=version.status == TemplateStatus.draft,
        action_form=EmptyForm(),
    )


def _draft_ground_or_404(version_id: int, ground_id: int) -> Ground:
    ground = db.get_or_404(Ground, ground_id)
    if ground.template_version_id != version_id:
        abort(404)
    return ground


@bp.route("/templates/<int:version_id>/grounds/<int:ground_id>", methods=["GET", "POST"])
def ground(version_id: int, ground_id: int):
    ground = _draft_ground_or_404(version_id, ground_id)
    editable = ground.template_version.status == TemplateStatus.draft
    if request.method == "GET":
        form = GroundForm(
            obj=ground,
            questions_sv="\n".join(question.text_sv for question in ground.questions),
            questions_en="\n".join(question.text_en for question in ground.questions),
        )
    else:
        form = GroundForm()
    if form.validate_on_submit():
        if not editable:
            abort(409)
        done, _saved = form.commit(
            lambda: operations.update_ground(ground, current_user, **form.ground_texts()),
            field="name_sv",
        )
        if done:
            flash(_("The ground %(name)s has been saved.", name=ground.name), "success")
            return redirect(url_for("admin.template", version_id=version_id, _anchor=f"ground-{ground.id}"))
    return render_template("admin/templates/ground.html", form=form, ground=ground, editable=editable)


@bp.route("/templates/<int:version_id>/grounds/new", methods=["GET", "POST"])
def new_ground(version_id: int):
    version = db.get_or_404(TemplateVersion, version_id)
    if version.status != TemplateStatus.draft:
        flash(_("A published or retired version cannot be changed. Start a new draft to make changes."), "error")
        return redirect(url_for("admin.template", version_id=version_id))
    form = NewGroundForm()
    if form.validate_on_submit():
        done, added = form.commit(
            lambda: operations.add_ground(version, current_user, key=form.key.data, **form.ground_texts()),
            field="key",
        )
        if done:
            flash(_("The ground %(name)s has been added.", name=added.name), "success")
            return redirect(url_for("admin.template", version_id=version_id, _anchor=f"ground-{added.id}"))
    return render_template("admin/templates/new_ground.html", form=form, version=version)


@bp.post("/templates/<int:version_id>/grounds/<int:ground_id>/<any(up, down, deactivate, reactivate):change>")
def change_ground(version_id: int, ground_id: int, change: str):
    ground = _draft_ground_or_404(version_id, ground_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if change in ("up", "down"):
        commit_or_flash(lambda: operations.move_ground(ground, current_user, -1 if change == "up" else 1))
    else:
        commit_or_flash(lambda: operations.set_ground_active(ground, current_user, change == "reactivate"))
    return redirect(url_for("admin.template", version_id=version_id, _anchor=f"ground-{ground_id}"))


@bp.post("/templates/<int:version_id>/publish")
def publish_template(version_id: int):
    version = db.get_or_404(TemplateVersion, version_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    done, _published = commit_or_flash(lambda: operations.publish(version, current_user))
    if not done:
        return redirect(url_for("admin.template", version_id=version_id))
    flash(
        _(
            "Version %(number)s is published. New assessments use it; existing ones keep their version.",
            number=version.number,
        ),
        "success",
    )
    return redirect(url_for("admin.templates"))
