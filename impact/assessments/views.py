"""Views of the assessments feature: the list and the read-only assessment page."""

import sqlalchemy as sa
from flask import render_template, request
from flask_login import current_user, login_required

from impact.assessments import access, bp
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.loaders import get_assessment_or_404
from impact.assessments.models import Assessment
from impact.core.db import db

PER_PAGE = 25


@bp.get("/")
@login_required
def index():
    filters = AssessmentFilterForm.from_args(request.args)
    statement = filters.apply(sa.select(Assessment).where(access.visible_filter(current_user)))
    statement = statement.order_by(Assessment.created_at.desc(), Assessment.id.desc())
    page = db.paginate(statement, per_page=PER_PAGE, error_out=False)
    return render_template("assessments/index.html", filters=filters, page=page)


@bp.get("/<int:assessment_id>")
@login_required
def view(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id)
    return render_template("assessments/view.html", assessment=assessment)
