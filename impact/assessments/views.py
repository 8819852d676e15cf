"""Views of the assessments feature: the list and the read-only assessment page."""

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from impact.assessments import access, bp, keyset, validation
from impact.assessments.enums import AssessmentStatus
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.keyset import SortKey
from impact.assessments.loaders import get_assessment_or_404, history_of, load_for_page, page_options
from impact.assessments.models import Assessment, assessment_authors

PER_PAGE = 25
SCOPES = {"all": _l("All I can see"), "mine": _l("My assessments"), "department": _l("My department")}
_UPDATED = SortKey(Assessment.updated_at, descending=True, parse=keyset.parse_moment)
_ID = SortKey(Assessment.id, parse=keyset.parse_id)
_ID_DESCENDING = SortKey(Assessment.id, descending=True, parse=keyset.parse_id)
# Every order ends with the id, so keyset pages neither skip nor repeat rows that tie on the sort column.
SORTS = {
    "updated": (_l("Last changed"), (_UPDATED, _ID_DESCENDING)),
    "created": (
        _l("Newest first"),
        (
            SortKey(Assessment.created_at, descending=True, parse=keyset.parse_moment),
            _ID_DESCENDING,
        ),
    ),
    "case_number": (_l("Case number"), (SortKey(Assessment.case_number), _ID)),
    "title": (_l("Title"), (SortKey(Assessment.title), _ID)),
    "status": (
        _l("Status"),
        (
            SortKey(Assessment.status, parse=AssessmentStatus),
            _UPDATED,
            _ID_DESCENDING,
        ),
    ),
}


@bp.get("/")
@login_required
def index():
    filters = AssessmentFilterForm.from_args(request.args)
    scope = request.args.get("scope") if request.args.get("scope") in SCOPES else "all"
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else "updated"
    statement = filters.apply(sa.select(Assessment).where(access.visible_filter(current_user)))
    if scope == "mine":
        statement = statement.where(
            sa.exists().where(
                assessment_authors.c.assessment_id == Assessment.id, assessment_authors.c.user_id == current_user.id
            )
        )
    elif scope == "department":
        statement = statement.where(Assessment.department_id == current_user.department_id)
    # The department is joined in the same query: no query per row.
    statement = statement.options(joinedload(Assessment.department, innerjoin=True))
    page = keyset.paginate(
        statement,
        SORTS[sort][1],
        after=request.args.get("after"),
        before=request.args.get("before"),
        per_page=PER_PAGE,
    )
    extra = {key: value for key, value in (("scope", scope), ("sort", sort)) if value not in ("all", "updated")}
    return render_template(
        "assessments/index.html",
        filters=filters,
        page=page,
        scope=scope,
        scopes=SCOPES,
        sort=sort,
        sorts={key: label for key, (label, _order) in SORTS.items()},
        extra=extra,
    )


@bp.get("/<int:assessment_id>")
@login_required
def view(assessment_id: int):
    # Everything the page shows is loaded up front, so the page is a fixed number of queries (no query per ground).
    assessment = get_assessment_or_404(assessment_id, options=page_options())
    return render_template("assessments/view.html", assessment=assessment)


ACTIONS = {
    "assessment.create": _l("Started the assessment"),
    "assessment.update": _l("Changed"),
    "ground_answer.update": _l("Changed a ground"),
    "assessment.add_author": _l("Added a co-author"),
    "assessment.remove_author": _l("Removed a co-author"),
    "assessment.submit": _l("Sent for review"),
    "assessment.approve": _l("Approved"),
    "assessment.return_for_changes": _l("Returned for changes"),
    "assessment.reopen": _l("Reopened"),
    "assessment.withdraw": _l("Withdrawn"),
    "assessment.archive": _l("Archived"),
}
FIELDS = {
    "title": _l("Title"),
    "case_number": _l("Case number"),
    "committee": _l("Committee"),
    "decision_date": _l("Planned decision date"),
    "description": _l("Description"),
    "purpose": _l("Purpose"),
    "concerns": _l("Who it concerns"),
    "whole_municipality": _l("The whole municipality"),
    "districts": _l("Districts"),
    "affects_people": _l("Affects people"),
    "screening_reason": _l("Why it does not affect people"),
    "overall_assessment": _l("Overall assessment"),
    "combined_effects": _l("Combined effects"),
    "recommendation": _l("Recommendation"),
    "follow_up_date": _l("Follow-up date"),
    "relevant": _l("Relevant"),
    "not_relevant_reason": _l("Why not relevant"),
    "impact": _l("Impact"),
    "missing_information": _l("What is missing"),
    "affected_groups": _l("Affected groups"),
    "evidence": _l("Evidence"),
    "evidence_links": _l("Links"),
    "confidence": _l("Confidence"),
    "district_notes": _l("Districts affected differently"),
    "acceptance_justification": _l("Why the impact is accepted"),
    "mitigations": _l("Mitigations"),
    "status": _l("Status"),
    "authors": _l("Authors"),
    "comment": _l("Comment"),
}


@bp.app_context_processor
def _assessment_helpers() -> dict:
    return {
        "assessment_extras": assessment_context,
        "assessment_can_edit": lambda assessment: access.can_edit(assessment, current_user),
        "history_action": lambda action: ACTIONS.get(action, action),
        "history_field": lambda key: FIELDS.get(key, key),
    }


def assessment_context(assessment: Assessment, history: bool = True) -> dict:
    """What ``_assessment_body.html`` needs besides the assessment (the review page includes it too).

    The answers, their mitigations and districts, the authors and the grounds come in a fixed number of queries
    (none if the view loaded the assessment with ``page_options()``); the history only when it is shown.
    """
    load_for_page(assessment)
    grounds = validation.grounds_of(assessment)
    by_ground = {answer.ground_id: answer for answer in assessment.answers}
    return {
        "history": list(reversed(history_of(assessment))) if history else [],
        "grounds": grounds,
        "answers": [(ground, by_ground.get(ground.id)) for ground in grounds],
        "ground_names": {ground.key: ground.name for ground in assessment.template_version.grounds},
        "negative_grounds": validation.negative_grounds(assessment),
        "can_edit": access.can_edit(assessment, current_user),
    }
