"""The dashboard and the district view."""

from collections.abc import Callable

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from impact.assessments.enums import CommitteeOutcome
from impact.assessments.filters import IMPACT_CLASS_LABELS, AssessmentFilterForm
from impact.auth.permissions import role_required
from impact.auth.roles import Role
from impact.reports import bp, charts
from impact.reports.committees import ACCEPTED_ADVERSE_ARGS, awaiting_decision, committee_years
from impact.reports.quality import APPROVED_STATES, REVIEWED_STATES, quality_rows
from impact.reports.scope import own_department_only, scoped_filters
from impact.reports.summary import (
    compute_summary,
    district_summary,
    heat_classes_for,
    quarter_args,
    statuses_for,
)
from impact.reports.voices import (
    NO_VOICES,
    district_kind_rows,
    district_voices,
    kind_rows,
    voices_rows,
    voices_totals,
)

ANY_ROLE = tuple(Role)
# Short words before each count in the heat tables ("neg. 2 / neutr. 0 / pos. 1"), explained in a legend beside the
# table: a bare "0" or "−" beside a number read as part of it. Screen readers hear the full class name instead.
HEAT_SIGNS = {"negative": _l("neg."), "neutral": _l("neutr."), "positive": _l("pos.")}
_FIGURE_LINK = Markup('<a href="%s">%s</a>')


def figure_links(filters) -> Callable[[int, dict], Markup]:
    """``figure_link(count, overrides)``: the count as a link to the assessments behind it (the list under the
    filters with ``overrides``). Plain Python rather than a template macro: the dashboard has hundreds."""
    list_url = filters.link_maker("assessments.index")

    def figure_link(count: int, overrides: dict) -> Markup:
        return _FIGURE_LINK % (list_url(overrides), count)  # Markup's % escapes both

    return figure_link


@bp.get("/")
@role_required(*ANY_ROLE)
def dashboard():
    filters = scoped_filters(current_user)
    summary = compute_summary(filters, current_user)
    return render_template(
        "reports/dashboard.html",
        filters=filters,
        figure_link=figure_links(filters),
        summary=summary,
        statuses=statuses_for(filters),
        heat_classes=heat_classes_for(filters),
        class_labels={key: str(label) for key, label in IMPACT_CLASS_LABELS.items()},  # translated once, not per cell
        class_signs={key: str(sign) for key, sign in HEAT_SIGNS.items()},
        quarter_args=quarter_args,
        charts=charts,
        voices=voices_totals(filters, current_user),
        kinds=kind_rows(filters, current_user, reviewed=False),
        own_department_only=own_department_only(current_user),
    )


@bp.get("/committees")
@role_required(Role.auditor, Role.reviewer, Role.admin, Role.committee_secretary)
def committees():
    # Decisions and approved assessments are public records: the filters are not held to a department.
    filters = AssessmentFilterForm.from_args(request.args)
    return render_template(
        "reports/committees.html",
        filters=filters,
        rows=committee_years(filters),
        awaiting=awaiting_decision(filters),
        outcomes=list(CommitteeOutcome),
        accepted_args=ACCEPTED_ADVERSE_ARGS,
        figure_link=figure_links(filters),
        own_department_only=False,
    )


@bp.get("/quality")
@role_required(Role.auditor, Role.reviewer, Role.admin)
def quality():
    filters = scoped_filters(current_user)
    return render_template(
        "reports/quality.html",
        filters=filters,
        rows=quality_rows(filters, current_user),
        approved_states=[state.value for state in APPROVED_STATES],
        figure_link=figure_links(filters),
        own_department_only=own_department_only(current_user),
    )


@bp.get("/voices")
@role_required(Role.auditor, Role.reviewer, Role.admin)
def voices():
    filters = scoped_filters(current_user)
    return render_template(
        "reports/voices.html",
        filters=filters,
        rows=voices_rows(filters, current_user),
        kinds=kind_rows(filters, current_user),
        status_values=[state.value for state in REVIEWED_STATES],
        figure_link=figure_links(filters),
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
        voices=district_voices(filters, current_user),
        district_kinds=district_kind_rows(filters, current_user),
        no_voices=NO_VOICES,
        figure_link=figure_links(filters),
        heat_classes=heat_classes_for(filters),
        class_labels={key: str(label) for key, label in IMPACT_CLASS_LABELS.items()},
        class_signs={key: str(sign) for key, sign in HEAT_SIGNS.items()},
        own_department_only=own_department_only(current_user),
    )
