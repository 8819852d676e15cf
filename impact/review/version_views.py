"""Comparing two versions of an assessment side by side."""

from flask import abort, render_template, request
from flask_login import login_required

from impact.assessments.loaders import get_assessment_or_404
from impact.review import bp
from impact.review.forms import CompareForm
from impact.review.versions import compare, versions_of


@bp.get("/<int:assessment_id>/compare")
@login_required
def compare_versions(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id)
    versions = {version.id: version for version in versions_of(assessment)}
    # The assessment page's panel sends compare-a/compare-b; this page's own form sends a/b.
    prefix = "compare" if "compare-a" in request.args else ""
    form = CompareForm(formdata=request.args, prefix=prefix)
    choices = [(v.id, f"{v.version_number} – {v.status.label}") for v in versions.values()]
    form.a.choices = form.b.choices = choices
    if not request.args:
        ids = list(versions)
        form.a.data, form.b.data = ids[max(0, len(ids) - 2)], ids[-1]
    elif not form.validate():
        return render_template("review/compare.html", assessment=assessment, form=form, sections=None), 400
    first, second = versions.get(form.a.data), versions.get(form.b.data)
    if first is None or second is None:
        abort(404)
    # Both must be readable by the user, as every version is checked on its own.
    get_assessment_or_404(first.id)
    get_assessment_or_404(second.id)
    return render_template(
        "review/compare.html",
        assessment=assessment,
        form=form,
        sections=compare(first, second),
        first=first,
        second=second,
    )
