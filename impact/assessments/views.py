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
from impact.assessments.search.query import Search
from impact.assessments.search.similar import profile as similar_profile
from impact.assessments.search.similar import similar_to
from impact.audit.display import describe

PER_PAGE = 25
# The order of a search's results by how well they match; offered only when there is a search.
RELEVANCE = "relevance"
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
    text = filters.value("q")
    sorts = {key: label for key, (label, _order) in SORTS.items()}
    if text:
        # A search is shown best match first unless another order is chosen.
        sorts = {RELEVANCE: _l("Best match"), **sorts}
    sort = request.args.get("sort") if request.args.get("sort") in sorts else (RELEVANCE if text else "updated")
    search = Search.of(text) if text else None
    statement = sa.select(Assessment)
    if sort == RELEVANCE:
        hits = search.hits()
        statement = filters.apply(statement.join(hits, hits.c.id == Assessment.id), q=None)
    else:
        statement = filters.apply(statement)
    statement = statement.where(access.visible_filter(current_user))
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
    after, before = request.args.get("after"), request.args.get("before")
    if sort == RELEVANCE:
        page = keyset.paginate_ranked(
            statement, (hits.c.rank.desc(), Assessment.id.desc()), after=after, before=before, per_page=PER_PAGE
        )
    else:
        page = keyset.paginate(statement, SORTS[sort][1], after=after, before=before, per_page=PER_PAGE)
    default_sort = RELEVANCE if text else "updated"
    extra = {key: value for key, value in (("scope", scope), ("sort", sort)) if value not in ("all", default_sort)}
    highlights = search.highlights([assessment.id for assessment in page.items]) if search else {}
    return render_template(
        "assessments/index.html",
        filters=filters,
        page=page,
        scope=scope,
        scopes=SCOPES,
        sort=sort,
        sorts=sorts,
        extra=extra,
        highlights=highlights,
    )


@bp.get("/<int:assessment_id>")
@login_required
def view(assessment_id: int):
    # Everything the page shows is loaded up front, so the page is a fixed number of queries (no query per ground).
    assessment = get_assessment_or_404(assessment_id, options=page_options())
    return render_template("assessments/view.html", assessment=assessment, similar=similar_to(assessment, current_user))


@bp.app_context_processor
def _assessment_helpers() -> dict:
    return {
        "assessment_extras": assessment_context,
        "assessment_can_edit": lambda assessment: access.can_edit(assessment, current_user),
        "similar_profile": similar_profile,
    }


def assessment_context(assessment: Assessment, history: bool = True) -> dict:
    """What ``_assessment_body.html`` needs besides the assessment (the review page includes it too).

    The answers, their mitigations and districts, the authors and the grounds come in a fixed number of queries
    (none if the view loaded the assessment with ``page_options()``); the history only when it is shown.
    """
    load_for_page(assessment)
    grounds = validation.grounds_of(assessment)
    by_ground = {answer.ground_id: answer for answer in assessment.answers}
    # The reader may open this assessment (the view checked), so every event is shown with its content.
    events = list(reversed(history_of(assessment))) if history else []
    return {
        "history": describe(events, current_user, titles={assessment.id: assessment.title}),
        "grounds": grounds,
        "answers": [(ground, by_ground.get(ground.id)) for ground in grounds],
        "ground_names": {ground.key: ground.name for ground in assessment.template_version.grounds},
        "negative_grounds": validation.negative_grounds(assessment),
        "can_edit": access.can_edit(assessment, current_user),
    }
