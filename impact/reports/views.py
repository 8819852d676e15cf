"""The dashboard and the district view."""

from flask import render_template
from flask_login import current_user

from impact.assessments.filters import IMPACT_CLASS_LABELS
from impact.auth.roles import Role
from impact.core.permissions import role_required
from impact.reports import bp, charts
from impact.reports.scope import own_department_only, scoped_filters
from impact.reports.summary import (
    MASK_BELOW,
    compute_summary,
    district_summary,
    heat_classes_for,
    masked,
    quarter_args,
    statuses_for,
)

ANY_ROLE = tuple(Role)


@bp.get("/")
@role_required(*ANY_ROLE)
def dashboard():
    filters = scoped_filters(current_user)
    summary = compute_summary(filters, current_user)
    return render_template(
        "reports/dashboard.html",
        filters=filters,
        list_url=filters.link_maker("assessments.index"),  # every figure links to the list behind it
        summary=summary,
        statuses=statuses_for(filters),
        heat_classes=heat_classes_for(filters),
        class_labels=IMPACT_CLASS_LABELS,
        quarter_args=quarter_args,
        charts=charts,
        own_department_only=own_department_only(current_user),
    )


@bp.get("/districts")
@role_required(*ANY_ROLE)
def districts():
    filters = scoped_filters(current_user)
    rows, grounds = district_summary(filters, current_user)
    return render_template(
        "reports/districts.html",
        filters=filters,
        rows=rows,
        grounds=grounds,
        heat_classes=heat_classes_for(filters),
        class_labels=IMPACT_CLASS_LABELS,
        masked=masked,
        mask_below=MASK_BELOW,
        own_department_only=own_department_only(current_user),
    )
