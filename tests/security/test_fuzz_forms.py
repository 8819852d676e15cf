"""Every form and every filter under random, oversized, wrongly typed and missing input.

For each form the fuzzer reads the field names off the rendered page (a field added later is fuzzed too), posts
random values for them (with or without the page's hidden lock version) and checks: never a 5xx, and when the
form's own validation refused the input, not one row changed. Filters (query strings, API parameters) must never
fail and never write. A body over MAX_CONTENT_LENGTH gets 413 and changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from impact.api.views import FILTER_PARAMS
from impact.core.db import db
from tests.conftest import CSRF_INPUT
from tests.databases import snapshot
from tests.fuzzing import FUZZ_SETTINGS, form_data, form_verdicts, hidden_values, page_fields, query_string
from tests.matrix_setup import World, build_world, csrf_anywhere, log_in, template_draft_id

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out

FORM_SETTINGS = settings(FUZZ_SETTINGS, max_examples=30)
QUERY_SETTINGS = settings(FUZZ_SETTINGS, max_examples=25)


@dataclass(frozen=True)
class Target:
    persona: str
    page: Callable[[World], str]  # the page that shows the form (or the filter)
    action: Callable[[World], str] | None = None  # where the form posts, when not back to the page


def _first_ground(world: World) -> str:
    from tests.matrix_setup import first_ground_id

    version = template_draft_id(world.users["admin"])
    return f"/admin/templates/{version}/grounds/{first_ground_id(version)}"


FORMS = {
    "start": Target("author", lambda w: "/assessments/new"),
    "proposal": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/proposal"),
    "screening": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/screening"),
    "involvement": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/involvement"),
    "ground": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/grounds/age"),
    "returned ground": Target("author", lambda w: f"/assessments/{w.assessments['returned']}/grounds/gender"),
    "conclusion": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/conclusion"),
    "check": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/check"),
    "co-authors": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/authors"),
    "review decision": Target("reviewer", lambda w: f"/review/{w.assessments['submitted']}"),
    "follow-up": Target("author", lambda w: f"/review/{w.assessments['approved']}/follow-up"),
    "mitigation": Target("author", lambda w: f"/review/mitigations/{w.mitigations['approved']}"),
    "committee decision": Target("secretary", lambda w: f"/assessments/{w.assessments['approved']}/decision"),
    "decision correction": Target("secretary", lambda w: f"/assessments/{w.assessments['decided']}/decision"),
    "new user": Target("admin", lambda w: "/admin/users/new"),
    "user": Target("admin", lambda w: f"/admin/users/{w.target_user}"),
    "new department": Target("admin", lambda w: "/admin/departments/new"),
    "department": Target("admin", lambda w: f"/admin/departments/{w.department}"),
    "new district": Target("admin", lambda w: "/admin/districts/new"),
    "district": Target("admin", lambda w: f"/admin/districts/{w.district}"),
    "new kind of group": Target("admin", lambda w: "/admin/group-kinds/new"),
    "kind of group": Target("admin", lambda w: f"/admin/group-kinds/{w.group_kind}"),
    "settings": Target("admin", lambda w: "/admin/settings"),
    "accessibility statement": Target("admin", lambda w: "/admin/accessibility-statement"),
    "template ground": Target("admin", _first_ground),
    "new ground": Target("admin", lambda w: f"/admin/templates/{template_draft_id(w.users['admin'])}/grounds/new"),
    "accessibility report": Target("anonymous", lambda w: "/accessibility/"),
    "token": Target("author", lambda w: "/profile/", lambda w: "/profile/tokens"),
}

API_FIELDS = [*FILTER_PARAMS, "page", "per_page"]
QUERIES = {
    "assessment list": Target("author", lambda w: "/assessments/"),
    "dashboard": Target("auditor", lambda w: "/reports/"),
    "districts report": Target("auditor", lambda w: "/reports/districts"),
    "committee view": Target("auditor", lambda w: "/reports/committees"),
    "quality": Target("auditor", lambda w: "/reports/quality"),
    "coverage": Target("auditor", lambda w: "/coverage/"),
    "register csv": Target("auditor", lambda w: "/reports/", lambda w: "/reports/register.csv"),
    "register xlsx": Target("auditor", lambda w: "/reports/", lambda w: "/reports/register.xlsx"),
    "figures csv": Target("auditor", lambda w: "/reports/", lambda w: "/reports/figures.csv"),
    "review queue": Target("reviewer", lambda w: "/review/"),
    "overdue": Target("author", lambda w: "/review/overdue"),
    "audit": Target("auditor", lambda w: "/audit/"),
    "users": Target("admin", lambda w: "/admin/users"),
    "notifications": Target("author", lambda w: "/notifications/"),
    "compare versions": Target("author", lambda w: f"/review/{w.assessments['approved']}/compare"),
    "api assessments": Target("auditor", lambda w: "", lambda w: "/api/v1/assessments"),
    "api summary": Target("auditor", lambda w: "", lambda w: "/api/v1/summary"),
}


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        made = build_world()
        db.session.remove()
    return made


def _page(app, client, target: Target, world: World) -> tuple[str, str, str]:
    """(page path, action path, page HTML) as the target's persona sees them now."""
    with app.app_context():
        page, action = target.page(world), (target.action or target.page)(world)
        db.session.remove()
    html = client.get(page).get_data(as_text=True) if page else ""
    return page, action, html


def _snapshot(app) -> dict:
    with app.app_context():
        taken = snapshot()
        db.session.remove()
    return taken


@pytest.mark.parametrize("name", list(FORMS))
@FORM_SETTINGS
@given(data=st.data())
def test_no_form_fails_and_a_refused_submission_changes_nothing(app, client, world, name, data):
    target = FORMS[name]
    log_in(client, world, target.persona)
    page, action, html = _page(app, client, target, world)
    fields = page_fields(html)
    assert fields, f"{name}: no fields on {page}"
    hidden = hidden_values(html) if data.draw(st.booleans(), label="keep hidden values") else {}
    sent = {**hidden, **data.draw(form_data(fields), label="fields")}
    token = CSRF_INPUT.search(html)
    sent["csrf_token"] = token.group(1) if token else csrf_anywhere(client)
    before = _snapshot(app)
    with form_verdicts() as verdicts:
        response = client.post(action, data=sent)
    assert response.status_code < 500, f"{name}: {response.status_code}"
    event(f"{response.status_code} {'accepted' if any(verdicts) else 'refused'} by the form")
    if not any(verdicts):
        assert _snapshot(app) == before, f"{name}: refused input ({response.status_code}) changed the database"


@pytest.mark.parametrize("name", list(QUERIES))
@QUERY_SETTINGS
@given(data=st.data())
def test_no_filter_fails_and_none_writes(app, client, world, name, data):
    target = QUERIES[name]
    log_in(client, world, target.persona)
    headers = {}
    if target.action is not None and target.action(world).startswith("/api/"):
        headers["Authorization"] = f"Bearer {world.tokens[target.persona]}"
        fields = API_FIELDS
        client.get("/api/v1/grounds", headers=headers)  # the token's first use is recorded; not the filter's doing
    else:
        fields = page_fields(_page(app, client, target, world)[2])
    query = data.draw(query_string(fields), label="query")
    path = (target.action or target.page)(world)
    before = _snapshot(app)
    response = client.get(f"{path}?{query}", headers=headers)
    response.get_data()  # exports stream: a failure while writing the body must surface here
    event(str(response.status_code))
    assert response.status_code in (200, 400), f"{name}: {response.status_code}"
    assert _snapshot(app) == before, f"{name}: a filter wrote to the database"


@pytest.mark.parametrize("name", list(FORMS))
def test_a_body_over_the_limit_gets_413_and_changes_nothing(app, client, world, name):
    target = FORMS[name]
    log_in(client, world, target.persona)
    _page_path, action, html = _page(app, client, target, world)
    limit = app.config["MAX_CONTENT_LENGTH"]
    sent = {**hidden_values(html), page_fields(html)[0]: "x" * (limit + 1)}
    before = _snapshot(app)
    response = client.post(action, data=sent)
    assert response.status_code == 413, f"{name}: {response.status_code}"
    assert _snapshot(app) == before


def test_swedish_questions_without_english_ones_are_refused_not_a_500(app, client, world):
    """Found by the fuzzer: an empty English box skipped the count check and the save failed with a 500."""
    log_in(client, world, "admin")
    with app.app_context():
        path = _first_ground(world)
    html = client.get(path).get_data(as_text=True)
    before = _snapshot(app)
    sent = {**hidden_values(html), "name_sv": "Kön", "name_en": "Sex", "questions_sv": "Vem berörs?"}
    response = client.post(path, data={**sent, "questions_en": ""})
    assert response.status_code == 200
    assert "Skriv lika många frågor på engelska som på svenska" in response.get_data(as_text=True)
    assert _snapshot(app) == before
