"""The articles of the Convention on the Rights of the Child that the child-rights step offers, per template version:
admins change them in a draft version, like the grounds; published and retired versions only show them."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from impact.admin import bp
from impact.admin.article_forms import ArticlesForm
from impact.assessments.child_rights import version_articles
from impact.core.db import db
from impact.grounds import operations
from impact.grounds.models import TemplateStatus, TemplateVersion


@bp.get("/child-rights-articles")
def child_rights_articles():
    """The list of the draft version, else that of the version in use."""
    version = operations.current_draft() or TemplateVersion.current()
    if version is None:
        abort(404)
    return redirect(url_for("admin.version_child_rights_articles", version_id=version.id))


@bp.route("/templates/<int:version_id>/child-rights-articles", methods=["GET", "POST"])
def version_child_rights_articles(version_id: int):
    version = db.get_or_404(TemplateVersion, version_id)
    editable = version.status == TemplateStatus.draft
    articles = version_articles(version)
    if request.method == "GET":
        form = ArticlesForm(
            data={
                "articles": [
                    {"number": a.number, "name_sv": a.name_sv, "name_en": a.name_en, "principle": a.principle}
                    for a in articles
                ]
            }
        )
    else:
        form = ArticlesForm()
    if form.validate_on_submit():
        if not editable:
            abort(409)
        done, changes = form.commit(
            lambda: operations.update_child_rights_articles(version, current_user, form.rows()), field="new_number"
        )
        if done:
            flash(_("The list of articles has been saved.") if changes else _("Nothing was changed."), "success")
            return redirect(url_for("admin.version_child_rights_articles", version_id=version.id))
    return render_template(
        "admin/templates/child_rights_articles.html",
        form=form,
        version=version,
        articles=articles,
        editable=editable,
        draft=operations.current_draft(),
    )
