"""The read-only JSON API, version 1. Token authentication only; it sees exactly what the token's user may see."""

from math import ceil

from flask import g, jsonify, request
from flask_login import current_user
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest, Unauthorized

from impact.api import bp
from impact.api.listing import list_page
from impact.api.models import ApiToken
from impact.api.openapi import openapi_document
from impact.api.serialize import assessment_detail, summary_json
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.loaders import get_assessment_or_404
from impact.core.db import db, utcnow
from impact.core.params import int_arg, page_arg
from impact.grounds.models import reportable_grounds
from impact.reports.scope import scoped_filters
from impact.reports.summary import compute_summary

MAX_PER_PAGE = 100
# API parameter -> shared filter form field.
FILTER_PARAMS = {
    "q": "q",
    "status": "status",
    "department": "department",
    "ground": "ground",
    "district": "district",
    "area": "area",
    "from": "date_from",
    "to": "date_to",
    "outcome": "outcome",
    "committee": "committee",
    "decision": "decision",
    "meeting_from": "meeting_from",
    "meeting_to": "meeting_to",
    "approved_from": "decided_from",
    "approved_to": "decided_to",
    "quality": "quality",
    "involvement": "involvement",
    "children": "children",
    "prediction": "prediction",
    "owner_department": "owner_department",
}
LAST_USED_RESOLUTION = 60  # seconds; recording every request would make each GET a write


class ApiUnauthorized(Unauthorized):
    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", 'Bearer realm="impact"')]


@bp.errorhandler(BadRequest)
@bp.errorhandler(Unauthorized)
def explained_error(error):
    """400 and 401 say exactly what was wrong, so an integrator can fix the call."""
    response = jsonify({"error": {"status": error.code, "message": error.description}})
    challenge = {key: value for key, value in error.get_headers() if key == "WWW-Authenticate"}
    return response, error.code, challenge


@bp.before_request
def authenticate() -> None:
    """Accept only ``Authorization: Bearer <token>``; never the session cookie."""
    if request.endpoint == "api.openapi":
        return
    scheme, _, plain = request.headers.get("Authorization", "").partition(" ")
    token = ApiToken.find_active(plain.strip()) if scheme.lower() == "bearer" and plain.strip() else None
    if token is None:
        raise ApiUnauthorized("A valid API token is required: send 'Authorization: Bearer <token>'.")
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    # Flask-Login reads the user for this request from here; nothing is written to the session.
    g._login_user = token.user


@bp.after_request
def no_cookies(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def api_filters(scoped: bool = False, paginated: bool = False) -> AssessmentFilterForm:
    """The shared filter form from the API's query parameters; 400 when a filter is not valid.

    ``scoped`` holds summaries to the user's remit exactly as the dashboard does.
    """
    unknown = set(request.args) - set(FILTER_PARAMS) - ({"page", "per_page"} if paginated else set())
    if unknown:
        raise BadRequest(f"Unknown parameter(s): {', '.join(sorted(unknown))}.")
    args = MultiDict()
    for param, name in FILTER_PARAMS.items():
        for value in request.args.getlist(param):
            args.add(name, value)
    filters = scoped_filters(current_user, args) if scoped else AssessmentFilterForm.from_args(args)
    if filters.errors:
        reverse = {name: param for param, name in FILTER_PARAMS.items()}
        problems = "; ".join(
            f"{reverse.get(name, name)}: {' '.join(str(message) for message in messages)}"
            for name, messages in filters.errors.items()
        )
        raise BadRequest(f"Invalid filter. {problems}")
    return filters


@bp.get("/grounds")
def grounds():
    grounds = [{"key": key, "name": {"sv": sv, "en": en}} for key, sv, en in reportable_grounds()]
    return jsonify({"grounds": grounds})


@bp.get("/assessments")
def assessments():
    filters = api_filters(paginated=True)
    page = page_arg()
    per_page = int_arg("per_page", 25, 1, MAX_PER_PAGE)
    items, total = list_page(filters, current_user, page, per_page)
    return jsonify(
        {
            "items": items,
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": ceil(total / per_page),
        }
    )


@bp.get("/assessments/<int:assessment_id>")
def assessment(assessment_id: int):
    return jsonify(assessment_detail(get_assessment_or_404(assessment_id)))


@bp.get("/summary")
def summary():
    filters = api_filters(scoped=True)
    return jsonify(summary_json(compute_summary(filters, current_user), filters))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())
