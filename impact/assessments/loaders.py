"""Loading an assessment for a view, with the access check."""

from flask import abort
from flask_login import current_user

from impact.assessments import access
from impact.assessments.models import Assessment
from impact.core.db import db


def get_assessment_or_404(assessment_id: int, need: str = "view") -> Assessment:
    """The assessment, if ``current_user`` may ``need`` ("view", "edit" or "review") it.

    404 when the user may not know it exists; 403 when they may see it but not do what they asked.
    """
    assessment = db.session.get(Assessment, assessment_id)
    if assessment is None or not access.can_view(assessment, current_user):
        abort(404)
    if need == "edit" and not access.can_edit(assessment, current_user):
        abort(403)
    if need == "review" and not access.can_review(assessment, current_user):
        abort(403)
    return assessment
