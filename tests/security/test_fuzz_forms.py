"""Every form and every filter under random, oversized, wrongly typed and missing input.

For each form the fuzzer reads the field names off the rendered page (a field added later is fuzzed too), posts
random values for them (with or without the page's hidden lock version) and checks: never a 5xx, and when the
form's own validation refused the input, not one row changed. Filters (query strings, API parameters) must never
fail and never write. A body over MAX_CONTENT_LENGTH gets 413 and changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from hypothesis import event, given, settings
from hypothesis import strategies as st

from impact.api.views import FILTER_PARAMS
from impact.auth.sessions import LoginSession, _hash
from impact.core.db import db
from tests.conftest import CSRF_INPUT
from tests.databases import snapshot
from tests.fuzzing import (
    FUZZ_SETTINGS,
    field_value,
    form_data,
    form_verdicts,
    hidden_values,
    page_fields,
    query_string,
)
from tests.matrix_setup import World, build_world, csrf_anywhere, log_in, template_draft_id

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out

FORM_SETTINGS = settings(FUZZ_SETTINGS, max_examples=30)
QUERY_SETTINGS = settings(FUZZ_SETTINGS, max_examples=25)


@dataclass(frozen=True)
class Target:
    persona: str
    page: Callable[[World], str]  # the page that shows the form (or the filter)
    action: Callable[[World], str] | None = None  # where the form posts, when not back to the page
    # Puts back what decides which fields the page shows, so every example fuzzes the same form (a page whose
    # fields follow its saved answers, such as one row per chosen right, would otherwise differ between examples).
    reset: Callable[[World], None] | None = None


def _two_rights_chosen(world: World) -> None:
    """The draft's child-rights assessment has the two rights it was made with (so two rows of consequences)."""
    from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
    from impact.assessments.enums import ChildRightEffect

    record = db.session.get(ChildRights, world.assessments["draft"])
    record.effects = []
    db.session.flush()  # the old rows go before rows of the same articles come back
    record.effects = [
        ChildRightEffectRow(article=3, effect=ChildRightEffect.strengthened),
        ChildRightEffectRow(article=31, effect=ChildRightEffect.weakened),
    ]
    db.session.commit()


def _first_ground(world: World) -> str:
    from tests.matrix_setup import first_ground_id

    version = template_draft_id(world.users["admin"])
    return f"/admin/templates/{version}/grounds/{first_ground_id(version)}"


FORMS = {
    "start": Target("author", lambda w: "/assessments/new"),
    "proposal": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/proposal"),
    "screening": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/screening"),
    "involvement": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/involvement"),
    "child rights": Target(
        "author", lambda w: f"/assessments/{w.assessments['draft']}/child-rights", reset=_two_rights_chosen
    ),
    "ground": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/grounds/age"),
    "returned ground": Target("author", lambda w: f"/assessments/{w.assessments['returned']}/grounds/gender"),
    "action plan": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/actions"),
    "conclusion": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/conclusion"),
    "check": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/check"),
    "co-authors": Target("author", lambda w: f"/assessments/{w.assessments['draft']}/authors"),
    "review decision": Target("reviewer", lambda w: f"/review/{w.assessments['submitted']}"),
    "follow-up": Target("author", lambda w: f"/review/{w.assessments['approved']}/follow-up"),
    "mitigation": Target("author", lambda w: f"/review/mitigations/{w.mitigations['approved']}"),
    "committee decision": Target("secretary", lambda w: f"/assessments/{w.assessments['approved']}/decision"),
    "decision correction": Target("secretary", lambda w: f"/assessments/{w.assessments['decided']}/decision"),
    "new user": Target("admin", lambda w: "/admin/users/new"),
    "child-rights guidance": Target("admin", lambda w: "/admin/child-rights-guidance"),
    "user": Target("admin", lambda w: f"/admin/users/{w.target_user}"),
    "new department": Target("admin", lambda w: "/admin/departments/new"),
    "department": Target("admin", lambda w: f"/admin/departments/{w.department}"),
    "new district": Target("admin", lambda w: "/admin/districts/new"),
    "district": Target("admin", lambda w: f"/admin/districts/{w.district}"),
    "new kind of group": Target("admin", lambda w: "/admin/group-kinds/new"),
    "kind of group": Target("admin", lambda w: f"/admin/group-kinds/{w.group_kind}"),
    "settings": Target("admin", lambda w: "/admin/settings"),
    "backup": Target("admin", lambda w: "/admin/backup/"),
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
    "voices": Target("auditor", lambda w: "/reports/voices"),
    "cumulative": Target("auditor", lambda w: "/reports/cumulative"),
    "cumulative csv": Target("auditor", lambda w: "/reports/cumulative", lambda w: "/reports/cumulative.csv"),
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


def _log_in(app, client, world: World, persona: str) -> None:
    """Log in as ``persona`` unless the client's session already is that persona's, still open on the server: a
    login takes four requests, and every example would repeat it."""
    with client.session_transaction() as session:
        key = session.get("_user_id")
    if key is None and persona == "anonymous":
        return
    if key is not None and persona != "anonymous":
        with app.app_context():
            user_id = db.session.scalar(sa.select(LoginSession.user_id).where(LoginSession.key_hash == _hash(key)))
            db.session.remove()
        if user_id == world.users[persona]:
            return
    log_in(client, world, persona)


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
    _log_in(app, client, world, target.persona)
    if target.reset is not None:
        with app.app_context():
            target.reset(world)
            db.session.remove()
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
    _log_in(app, client, world, target.persona)
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
    _log_in(app, client, world, target.persona)
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


def _post_and_check(app, client, action: str, sent: dict) -> None:
    """Post ``sent``: never a 5xx, and input the form refused changes nothing."""
    before = _snapshot(app)
    with form_verdicts() as verdicts:
        response = client.post(action, data=sent)
    assert response.status_code < 500
    if not any(verdicts):
        assert _snapshot(app) == before


IMPACT_VALUES = ["significantly_negative", "negative", "neutral", "positive", "significantly_positive", "cannot_assess"]


@FORM_SETTINGS
@given(data=st.data())
def test_a_saved_remaining_impact_better_than_the_impact_always_has_a_mitigation(app, client, world, data):
    """The impact scale drawn from its own values (random text seldom hits one): whatever is sent, a negative ground
    is never saved with a better remaining impact and no mitigation, and a refusal changes nothing."""
    from impact.assessments.enums import Impact, remaining_better_than_impact
    from impact.assessments.models import GroundAnswer

    log_in(client, world, "author")
    page, action, html = _page(app, client, FORMS["ground"], world)
    scale = st.one_of(st.none(), st.sampled_from(IMPACT_VALUES), field_value())
    sent = {
        **hidden_values(html),
        "relevant": "yes",
        "impact": data.draw(scale, label="impact"),
        "remaining_impact": data.draw(scale, label="remaining"),
        "mitigations-0-description": data.draw(st.sampled_from(["", "Ramper vid entrén"]), label="mitigation"),
        "mitigations-0-remove": data.draw(st.sampled_from(["", "y"]), label="remove"),
        "action": "later",
    }
    sent = {name: value for name, value in sent.items() if value}
    sent["csrf_token"] = CSRF_INPUT.search(html).group(1)
    _post_and_check(app, client, action, sent)
    with app.app_context():
        for answer in db.session.scalars(sa.select(GroundAnswer).where(GroundAnswer.remaining_impact.is_not(None))):
            impact, remaining = answer.impact, Impact(answer.remaining_impact)
            assert answer.mitigations or not remaining_better_than_impact(impact, remaining)
        db.session.remove()


@FORM_SETTINGS
@given(data=st.data())
def test_the_actual_impact_is_saved_only_from_the_scale(app, client, world, data):
    from impact.assessments.models import GroundAnswer

    log_in(client, world, "author")
    page, action, html = _page(app, client, FORMS["follow-up"], world)
    sent = {
        **hidden_values(html),
        "actual_age": data.draw(st.one_of(st.sampled_from(IMPACT_VALUES), field_value()), label="actual"),
        "actual_comment_age": data.draw(field_value(), label="comment"),
        "csrf_token": CSRF_INPUT.search(html).group(1),
    }
    _post_and_check(app, client, action, sent)
    with app.app_context():
        saved = db.session.scalars(sa.select(GroundAnswer.actual_impact).where(GroundAnswer.actual_impact.is_not(None)))
        assert {str(value) for value in saved} <= set(IMPACT_VALUES)
        db.session.remove()
