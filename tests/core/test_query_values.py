"""Every GET route over the URL map, sent out-of-range values in every query parameter its view reads and in its
URL ids: 400 with a message, or the value ignored — never a 500, on either database.

The parameters a route reads come from its filter form (so a field added to a form is tried automatically) and
from ``ROUTE_PARAMS`` below for what a view reads besides its form. ``page``, ``per_page`` and the date parameters
are tried on every route.
"""

from datetime import date

import pytest
import sqlalchemy as sa
from flask import Flask
from werkzeug.routing import IntegerConverter

from impact.admin.forms import UserFilterForm
from impact.api.models import ApiToken
from impact.api.views import FILTER_PARAMS
from impact.assessments.filters import AssessmentFilterForm
from impact.audit.views import TrailFilterForm
from impact.core.db import db
from impact.review.forms import CompareForm
from impact.review.queries import QueueFilterForm
from tests import factories

BAD_VALUES = (
    "²",  # str.isdigit() says yes, int() says no
    "٣",  # an Arabic-Indic three: int() reads it as 3
    "9999-12-31",  # the last day there is: one day more overflows
    "0001-01-01",
    "99999999999999999999",  # beyond 64 bits
    "9223372036854775807",  # the largest 64-bit integer: any offset past it overflows
    "2147483648",  # beyond PostgreSQL's integer
    "-1",
    "0",
)
NUMBER_VALUES = ("²", "99999999999999999999", "9223372036854775807", "-1", "0")
# For a route that reads no parameter of its own: one value of each kind that used to overflow.
FEW_VALUES = ("²", "9999-12-31", "99999999999999999999")
GENERIC_PARAMS = ("page", "per_page", "date_from", "date_to", "from", "to", "submitted_from", "submitted_to")
# Cursors of the assessment list: a sort value and an id.
CURSOR_VALUES = (
    "2026-01-01T00:00:00|1",  # a time without a zone
    "0001-01-01T00:00:00+14:00|1",  # before the first UTC moment
    "9999-12-31T23:59:59-14:00|1",  # after the last one
    "2026-01-01T00:00:00+00:00|99999999999999999999",
    "x|²",
)
HUGE_IDS = ("9223372036854775808", "2147483648")  # past 64 bits (SQLite); past 32 bits (PostgreSQL)


def _form_fields(form_class, **kwargs) -> list[str]:
    return [field.name for field in form_class(formdata=None, **kwargs) if field.name != "csrf_token"]


def route_params(app: Flask) -> dict[str, list[str]]:
    """The query parameters each endpoint's view reads (``page`` and ``per_page`` where it paginates)."""
    with app.test_request_context():
        filters = _form_fields(AssessmentFilterForm)
        compare = _form_fields(CompareForm) + _form_fields(CompareForm, prefix="compare")
        return {
            "assessments.index": [*filters, "scope", "sort", "after", "before"],
            "reports.dashboard": filters,
            "reports.districts": filters,
            "reports.register_csv": filters,
            "reports.register_xlsx": filters,
            "reports.summary_csv": filters,
            "api.assessments": [*FILTER_PARAMS, "page", "per_page"],
            "api.summary": list(FILTER_PARAMS),
            "review.queue": [*_form_fields(QueueFilterForm), "page"],
            "audit.index": [*_form_fields(TrailFilterForm), "page"],
            "admin.users": [*_form_fields(UserFilterForm), "page"],
            "notifications.index": ["page"],
            "review.compare_versions": compare,
            "assessments.ground": ["add"],
            "auth.login": ["next"],
        }


def _world(user_id: int) -> tuple[dict[str, object], str]:
    """Rows for every kind of id in a URL, readable (and the draft editable) by the user; the user's API token."""
    user = db.session.get(factories.User, user_id)
    draft = factories.create_assessment(
        author=user, answers={"age": {"impact": "negative", "mitigations": [{"due_date": date(2026, 1, 1)}]}}
    )
    approved = factories.create_assessment(
        "approved",
        author=user,
        follow_up_date=date(2020, 1, 1),
        answers={"gender": {"impact": "negative", "mitigations": [{"due_date": date(2020, 1, 1)}]}},
    )
    factories.create_assessment("submitted")
    _token, plain = ApiToken.issue(user, "test")
    db.session.commit()
    ids = {"assessment_id": draft.id, "mitigation_id": approved.answers[0].mitigations[0].id, "user_id": user.id}
    for name, table in (
        ("report_id", None),
        ("version_id", "template_versions"),
        ("ground_id", "grounds"),
        ("department_id", "departments"),
        ("district_id", "districts"),
        ("token_id", "api_tokens"),
        ("item_id", "departments"),
    ):
        if table is not None:
            ids[name] = db.session.execute(sa.text(f"SELECT min(id) FROM {table}")).scalar()  # noqa: S608
    ids["approved"] = approved.id
    return ids, plain


def _fill(rule, ids: dict, override: tuple[str, str] | None = None) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__
        if override and name == override[0]:
            values[name] = override[1]
        elif converter == "AnyConverter":
            values[name] = sorted(rule._converters[name].items)[0]
        elif name == "key":
            values[name] = "age"
        elif name == "code":
            values[name] = "en"
        elif name == "filename":
            values[name] = "style.css"
        elif name == "assessment_id" and rule.rule.startswith(("/review/", "/reports/")):
            values[name] = ids["approved"]
        else:
            values[name] = ids.get(name) or 1
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture
def logged_in(app, client, login_as):
    user = login_as("case_officer", "reviewer", "auditor", "admin", municipality_wide=True)
    with app.app_context():
        return _world(user.id)


def test_no_query_value_or_url_id_gives_a_500(app, client, logged_in):
    ids, token = logged_in
    params = route_params(app)
    failures: list[str] = []

    def check(path: str, query: dict | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else {}
        try:
            response = client.get(path, query_string=query, headers=headers)
            response.get_data()  # the exports stream: a failure while writing the body surfaces here
        except Exception as error:  # noqa: BLE001  (the app propagates its errors in testing; each is a failure)
            failures.append(f"{path} {query}: {type(error).__name__}: {error}")
            return
        if response.status_code >= 500:
            failures.append(f"{path} {query}: {response.status_code}")
        elif response.status_code == 400 and path.startswith("/api/"):
            assert response.get_json()["error"]["message"], (path, query)

    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    assert len(rules) > 30
    for rule in rules:
        path = _fill(rule, ids)
        own = params.get(rule.endpoint, [])
        if rule.endpoint.startswith("api."):
            # The API refuses the first bad parameter: each one on its own (and no others, which it refuses too).
            for name in own:
                for value in NUMBER_VALUES if name in ("page", "per_page") else BAD_VALUES:
                    check(path, {name: value})
        else:
            # The pages show a bad filter and ignore it, so one request tries them all; a page number is refused
            # with 400, so it goes on its own.
            together = [name for name in dict.fromkeys([*own, *GENERIC_PARAMS]) if name != "page" or "page" not in own]
            for value in BAD_VALUES if own else FEW_VALUES:
                check(path, dict.fromkeys(together, value))
            if "page" in own:
                for value in NUMBER_VALUES:
                    check(path, {"page": value})
            for name in ("after", "before"):
                if name in own:
                    for value in CURSOR_VALUES:
                        check(path, {name: value})
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                for huge in HUGE_IDS:
                    check(_fill(rule, ids, (name, huge)))
    assert not failures, "\n".join(failures)


def test_a_bad_page_number_is_400_with_a_message_in_the_users_language(app, client, logged_in):
    response = client.get("/review/?page=²")
    assert response.status_code == 400
    assert "”page” måste vara ett heltal från 1 till 1000000." in response.get_data(as_text=True)
    _ids, token = logged_in
    response = client.get("/api/v1/assessments?per_page=²", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert "per_page" in response.get_json()["error"]["message"]


def test_a_page_past_the_last_is_empty_not_an_error(app, client, logged_in):
    assert client.get("/audit/?page=1000000").status_code == 200


def test_the_last_day_there_is_as_end_date_includes_everything(app, client, logged_in):
    with_end = client.get("/assessments/?date_to=9999-12-31&date_from=0001-01-01").get_data(as_text=True)
    assert with_end.count("Förslag ") >= 3  # the draft, the approved and the submitted one
    csv = client.get("/reports/register.csv?date_to=9999-12-31").get_data(as_text=True)
    assert csv.count("Förslag ") == client.get("/reports/register.csv").get_data(as_text=True).count("Förslag ")


def test_an_export_refuses_bad_input_before_its_first_byte(app, client, logged_in, monkeypatch):
    """A streamed export whose query cannot be built answers with an error page, not a file cut off mid-way."""
    from impact.core.params import BadParameter
    from impact.reports import register

    def refused(*args):
        raise BadParameter("refused")

    monkeypatch.setattr(register, "register_statement", refused)
    response = client.get("/reports/register.csv")
    assert response.status_code == 400
    assert "refused" in response.get_data(as_text=True)
