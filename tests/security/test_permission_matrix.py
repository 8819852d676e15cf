"""Every route × every kind of user × every state of an assessment: the answer is exactly what the rules say.

The table ``MATRIX`` names one rule per endpoint; the expected outcome of each call is derived from that rule and
the access functions in ``impact.assessments.access`` (the same the views use), so
a view that forgets a check, or checks the wrong thing, fails here. A route without an entry fails by name.
A refused POST must leave every table as it was and write no audit event.
"""

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed

from impact.assessments import access
from impact.assessments import operations as assessment_operations
from impact.auth.roles import Role
from impact.core.db import db
from impact.public import publication
from tests import factories
from tests.assessment_helpers import neutral_ground
from tests.databases import snapshot
from tests.matrix_setup import (
    PERSONAS,
    SECRETARY_COMMITTEE,
    STATES,
    World,
    assessment,
    audit_event_count,
    build_world,
    create_assessment_in,
    csrf_anywhere,
    first_ground_id,
    log_in,
    template_draft_id,
)

_unique = itertools.count(1)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Outcome:
    name: str
    codes: frozenset[int]

    @property
    def success(self) -> bool:
        return self.name == "success"


def ok(*codes: int) -> Outcome:
    return Outcome("success", frozenset(codes))


LOGIN = Outcome("login redirect", frozenset({302}))
UNAUTHORIZED = Outcome("401 without token", frozenset({401}))
FORBIDDEN = Outcome("403", frozenset({403}))
NOT_FOUND = Outcome("404", frozenset({404}))
REFUSED = Outcome("refused with a message (303 to the assessment)", frozenset({303}))
NOT_ALLOWED = Outcome("405", frozenset({405}))
DEFAULT_OK = {"GET": ok(200), "POST": ok(302)}


@dataclass(frozen=True)
class Call:
    persona: str
    user: object  # a User, or None for the anonymous visitor
    assessment: object  # the assessment the URL points at, or None
    method: str

    @property
    def anonymous(self) -> bool:
        return self.user is None


Rule = Callable[[Call], Outcome]


def _ok(call: Call, codes: dict | None) -> Outcome:
    return {**DEFAULT_OK, **(codes or {})}[call.method]


# --- The named rules ------------------------------------------------------------------------------------------


def public(**codes) -> Rule:
    return lambda call: _ok(call, codes)


def anyone_logged_in(**codes) -> Rule:
    return lambda call: LOGIN if call.anonymous else _ok(call, codes)


def roles(*needed: Role, **codes) -> Rule:
    def rule(call: Call) -> Outcome:
        if call.anonymous:
            return LOGIN
        return _ok(call, codes) if call.user.has_role(*needed) else FORBIDDEN

    return rule


def admin_only(**codes) -> Rule:
    return roles(Role.admin, **codes)


def login_page() -> Rule:
    """The login form for visitors (posted with a wrong password: the form again); signed-in people go home."""
    return lambda call: ok(200) if call.anonymous else Outcome("redirect home", frozenset({302}))


def oidc_not_configured() -> Rule:
    """Without OIDC_DISCOVERY_URL (as here) the sign-in routes do not exist for anyone; tests/auth/test_oidc.py
    calls them with a provider."""
    return lambda call: NOT_FOUND


def api_token(**codes) -> Rule:
    return lambda call: UNAUTHORIZED if call.anonymous else ok(200)


def can_view(gate: Rule | None = None, api: bool = False, **codes) -> Rule:
    """Readers of the assessment get it; anyone else 404 (they may not know it exists)."""
    gate = gate or anyone_logged_in()

    def rule(call: Call) -> Outcome:
        if api and call.anonymous:
            return UNAUTHORIZED
        first = gate(call)
        if not first.success:
            return first
        return _ok(call, codes) if access.can_view(call.assessment, call.user) else NOT_FOUND

    return rule


def can_edit(**codes) -> Rule:
    """Case officers who may edit it; readers who may not get 403, others 404."""

    def rule(call: Call) -> Outcome:
        first = can_view(roles(Role.case_officer))(call)
        if not first.success:
            return first
        return _ok(call, codes) if access.can_edit(call.assessment, call.user) else FORBIDDEN

    return rule


def can_review() -> Rule:
    """Reviewers who may read it see the page; the decision is refused (303) unless they may decide it."""

    def rule(call: Call) -> Outcome:
        first = can_view(roles(Role.reviewer))(call)
        if not first.success or call.method == "GET":
            return first
        return ok(302) if access.can_review(call.assessment, call.user) else REFUSED

    return rule


def transition(allowed: Callable, *gate: Role) -> Rule:
    """A one-button state change: refused with a message (303) unless ``allowed`` (state and person)."""

    def rule(call: Call) -> Outcome:
        first = can_view(roles(*gate))(call)
        if not first.success:
            return first
        return ok(302) if allowed(call.assessment, call.user) else REFUSED

    return rule


def can_follow_up(**codes) -> Rule:
    def rule(call: Call) -> Outcome:
        first = can_view()(call)
        if not first.success:
            return first
        return _ok(call, codes) if access.can_follow_up(call.assessment, call.user) else FORBIDDEN

    return rule


def keeps_minutes() -> Rule:
    """The committee's decision: its authors and the committee's secretaries record and correct it; other readers
    get 403, others 404."""

    def rule(call: Call) -> Outcome:
        first = can_view()(call)
        if not first.success:
            return first
        return _ok(call, None) if access.decision_refusal(call.assessment, call.user) is None else FORBIDDEN

    return rule


def own_job(**codes) -> Rule:
    """A background job's pages are its asker's (the author persona's); for anyone else it does not exist."""
    return lambda call: LOGIN if call.anonymous else (_ok(call, codes) if call.persona == "author" else NOT_FOUND)


def own_token() -> Rule:
    """Only the token's owner (the author persona) may revoke it; for anyone else it does not exist."""
    return lambda call: LOGIN if call.anonymous else (ok(302) if call.persona == "author" else NOT_FOUND)


def public_register() -> Rule:
    """The public register: not found while closed (as in this world); open, its list for anyone, and an
    assessment's page, PDF and Word file while it is published."""

    def rule(call: Call) -> Outcome:
        if not publication.register_open():
            return NOT_FOUND
        if call.assessment is None:
            return ok(200)
        return ok(200) if publication.is_published(call.assessment) else NOT_FOUND

    return rule


def holds_publication() -> Rule:
    """Keeping an assessment out of the public register, or releasing it: reviewers in its remit and admins;
    other readers get 403, others 404."""

    def rule(call: Call) -> Outcome:
        first = can_view()(call)
        if not first.success:
            return first
        return ok(302) if publication.can_hold(call.assessment, call.user) else FORBIDDEN

    return rule


# --- The matrix: endpoint -> rule -----------------------------------------------------------------------------

MATRIX: dict[str, Rule] = {
    # Public pages
    "core.healthz": public(),
    "core.set_language": public(),
    "auth.login": login_page(),
    "auth.oidc_login": oidc_not_configured(),
    "auth.oidc_callback": oidc_not_configured(),
    "accessibility.statement": public(),
    "api.openapi": public(),
    # Anyone logged in
    "core.home": anyone_logged_in(),
    "auth.logout": anyone_logged_in(),
    "auth.change_password": anyone_logged_in(POST=ok(200)),  # posted with a wrong current password
    "notifications.index": anyone_logged_in(),
    "indicators.index": anyone_logged_in(),
    "indicators.profile": anyone_logged_in(),
    "notifications.mark_read": anyone_logged_in(),
    "profile.index": anyone_logged_in(),
    "profile.create_token": anyone_logged_in(POST=ok(201)),
    "profile.revoke_token": own_token(),
    "assessments.index": anyone_logged_in(),
    "review.overdue": anyone_logged_in(),
    "reports.dashboard": roles(*Role),
    "reports.districts": roles(*Role),
    "reports.register_csv": roles(*Role),
    "reports.register_xlsx": roles(*Role),
    "reports.summary_csv": roles(*Role),
    "reports.committees": roles(Role.auditor, Role.reviewer, Role.admin, Role.committee_secretary),
    "reports.quality": roles(Role.auditor, Role.reviewer, Role.admin),
    "reports.voices": roles(Role.auditor, Role.reviewer, Role.admin),
    "reports.cumulative": roles(Role.auditor, Role.reviewer, Role.admin),
    "reports.cumulative_csv": roles(Role.auditor, Role.reviewer, Role.admin),
    "reports.export_register": roles(*Role, POST=ok(302)),  # the job is created; its progress page follows
    "jobs.index": anyone_logged_in(),
    "jobs.progress": own_job(),
    "jobs.status": own_job(),
    "jobs.download": own_job(),
    "jobs.cancel_job": own_job(),
    # By role
    "assessments.new": roles(Role.case_officer),
    "review.queue": roles(Role.reviewer),
    "decisions.index": roles(Role.committee_secretary),
    "coverage.index": roles(Role.auditor, Role.reviewer, Role.admin, Role.committee_secretary),
    "coverage.import_list": roles(Role.auditor, Role.admin, Role.committee_secretary),
    "audit.index": roles(Role.auditor, Role.admin),
    # Per assessment
    "assessments.view": can_view(),
    "reports.assessment_pdf_view": can_view(),
    "reports.assessment_docx_view": can_view(),
    "review.compare_versions": can_view(),
    "api.assessment": can_view(api=True),
    "assessments.edit_proposal": can_edit(),
    "assessments.screening": can_edit(),
    "assessments.involvement": can_edit(),
    "assessments.child_rights": can_edit(),
    "assessments.ground": can_edit(),
    "assessments.action_plan": can_edit(),
    "assessments.conclusion": can_edit(),
    "assessments.tasks": can_edit(),
    "assessments.check": can_edit(POST=ok(200)),  # incomplete: the problems are listed, nothing is submitted
    "assessments.authors": can_edit(),
    "assessments.remove_author": can_edit(),
    "review.review": can_review(),
    "review.withdraw": transition(access.can_withdraw, Role.case_officer),
    "review.reopen": transition(access.can_reopen, Role.case_officer),
    "review.amend": transition(access.can_amend, Role.case_officer),
    "review.archive": transition(access.can_archive, Role.reviewer, Role.admin),
    "review.follow_up": can_follow_up(),
    "review.mitigation": can_follow_up(),
    "decisions.decision": keeps_minutes(),
    "public.index": public_register(),
    "public.assessment": public_register(),
    "public.assessment_pdf_view": public_register(),
    "public.assessment_docx_view": public_register(),
    "public.keep_unpublished_view": holds_publication(),
    "public.release_view": holds_publication(),
    # API token
    "api.assessments": api_token(),
    "api.grounds": api_token(),
    "api.summary": api_token(),
}
ADMIN_ENDPOINTS = (
    *("admin.home", "admin.users", "admin.new_user", "admin.user", "admin.deactivate_user", "admin.reactivate_user"),
    *("admin.departments", "admin.department", "admin.districts", "admin.district", "admin.set_org_active"),
    *("admin.group_kinds", "admin.group_kind", "admin.area"),
    *("admin.indicators", "admin.indicator", "admin.import_indicator_file"),
    *("admin.settings", "admin.accessibility_statement", "admin.accessibility_reports", "admin.mark_report_handled"),
    *("admin.child_rights_guidance", "admin.version_child_rights_articles"),
    *("admin.templates", "admin.template", "admin.create_draft", "admin.ground", "admin.new_ground"),
    *("admin.change_ground", "admin.publish_template"),
    *("admin.group_rules", "admin.remove_group_rule", "admin.allow_oidc_link"),
)
MATRIX.update(dict.fromkeys(ADMIN_ENDPOINTS, admin_only()))
MATRIX["admin.reset_user_password"] = admin_only(POST=ok(200))  # the temporary password is shown once
MATRIX["admin.child_rights_articles"] = admin_only(GET=ok(302))  # to the list of the draft, else of the version in use
MATRIX["backup.index"] = admin_only(POST=ok(422))  # a wrong password: the form again, no backup made
ASSESSMENT_ARGUMENTS = {"assessment_id", "mitigation_id"}


# --- Calling a route ------------------------------------------------------------------------------------------


def _url_values(rule, world: World, state: str | None) -> dict:
    values = {}
    for name in rule.arguments:
        if name == "assessment_id":
            values[name] = world.assessments[state]
        elif name == "mitigation_id":
            values[name] = world.mitigations[state]
        elif name == "user_id":
            values[name] = world.coauthor if rule.endpoint == "assessments.remove_author" else world.target_user
        elif name == "version_id":
            values[name] = template_draft_id(world.users["admin"])
        elif name == "ground_id":
            values[name] = first_ground_id(template_draft_id(world.users["admin"]))
        else:
            values[name] = {
                "key": "gender",
                "code": "en",
                "kind": "districts",
                "change": {"admin.change_ground": "down", "admin.set_org_active": "deactivate"}.get(rule.endpoint),
                "department_id": world.department,
                "district_id": world.district,
                "area_id": world.area,
                "level": "district",
                "place_id": world.district,
                "indicator_id": world.indicator,
                "group_kind_id": world.group_kind,
                "item_id": world.district,
                "report_id": world.report,
                "token_id": world.author_token,
                "rule_id": world.group_rule,
                "job_id": world.job,
                "file_format": "csv",
            }[name]
    return values


def _form_data(endpoint: str, world: World, state: str | None) -> dict:
    """Minimal valid data for each form (wrong credentials for the three password forms)."""
    number = next(_unique)
    department = str(world.other_department)
    subject = assessment(world, state) if state else None
    lock = {"lock_version": subject.lock_version} if subject is not None else {}
    if endpoint == "assessments.ground" and subject is not None:
        ground = next(g for g in subject.template_version.grounds if g.key == "gender")
        lock = {"lock_version": assessment_operations.answer_version(subject, ground)}
    data = {
        "auth.login": {"email": "nobody@test.example.com", "password": "wrong password"},
        "auth.change_password": {"current_password": "wrong", "new_password": "x", "confirm_password": "y"},
        "backup.index": {"password": "wrong"},
        "accessibility.statement": {"description": "Kontrasten är för låg."},
        "profile.create_token": {"name": "Matrix"},
        "public.keep_unpublished_view": {"reason": "Sekretess enligt OSL."},
        "assessments.new": {"title": "Nytt förslag", "case_number": "2026-09999", "whole_municipality": "y"},
        "assessments.edit_proposal": {"title": "Ändrad titel", "case_number": "2026-09998", **lock},
        "assessments.screening": {"affects_people": "yes", "concerns_children": "yes", **lock},
        "assessments.ground": {**neutral_ground(), **lock},
        "assessments.action_plan": {"action": "later", **lock},
        "assessments.conclusion": {"overall_assessment": "Sammantaget neutralt.", "action": "later", **lock},
        "assessments.involvement": {"national_minority": "no", "action": "later", **lock},
        "assessments.child_rights": {"children": "Barn 6–12 år.", "principles": ["3"], "action": "later", **lock},
        "assessments.authors": {"user_id": world.users["colleague"]},
        "review.review": {"decision": "approve", **lock},
        "coverage.import_list": {
            "file": (
                io.BytesIO(
                    f"diarienummer;rubrik;nämnd;sammanträdesdatum\n2026-{number:05d};Ärende;KS;2026-01-02".encode()
                ),
                "lista.csv",
            )
        },
        "decisions.decision": {
            "committee": SECRETARY_COMMITTEE,
            "meeting_date": date(2026, 11, 2).isoformat(),
            "paragraph": f"§ {number}",
            "outcome": "approved_with_changes",
            "analysis_changed": "no",
            "correction_reason": "Fel paragraf i protokollet.",
            "lock_version": subject.committee_decision.lock_version if subject and subject.committee_decision else 0,
        },
        "review.mitigation": {
            "owner_id": "0",
            "status": "in_progress",
            "due_date": date(2027, 1, 1).isoformat(),
            "lock_version": "1",  # the world's mitigations are as created
        },
        "admin.new_user": {
            "name": "Ny Person",
            "email": f"ny{number}@test.example.com",
            "department": department,
            "roles": "case_officer",
            "password": "a long enough initial password 1",
        },
        "admin.user": {
            "name": "Ändrat Namn",
            "email": "target@test.example.com",
            "department": department,
            "roles": "auditor",
        },
        "admin.department": {"name": f"Matrisförvaltning {number}", "code": f"MX{number}"},
        "admin.district": {"name": f"Matrixby {number}"},
        "admin.area": {"district_id": str(world.district), "code": f"MX-{number}", "name": f"Matrisområde {number}"},
        "admin.indicator": {"grounds": ["age"]},
        # Figures for the whole municipality (1490): the matrix renames the area and the district.
        "admin.import_indicator_file": {
            "file": (
                io.BytesIO(
                    "områdeskod;nyckeltalskod;nyckeltal;år;värde;källa\n"
                    f"1490;MATRIX-IND;Matristal;{2000 + number % 100};{number};Kolada".encode()
                ),
                "nyckeltal.csv",
            )
        },
        "admin.group_kind": {"name_sv": f"Matrisgrupp {number}", "name_en": f"Matrix group {number}"},
        "admin.group_rules": {"group": f"matrix-{number}", "target": "municipality_wide"},
        "admin.settings": {
            "municipality_name": "Borås Stad",
            "case_number_pattern": r"^\d{4}-\d{5}$",
            "case_number_example": "2026-00001",
            "follow_up_reminder_days": "30",
        },
        "admin.accessibility_statement": {"statement_sv": "Redogörelse.", "statement_en": "Statement."},
        "admin.child_rights_guidance": {"guidance_sv": "Kontakta barnrättsstrategen."},
        "admin.ground": {"name_sv": f"Grund {number}", "name_en": f"Ground {number}"},
        "admin.version_child_rights_articles": {"articles-0-number": "3", "articles-0-name_sv": "Barnets bästa"},
        "admin.new_ground": {"key": f"matrix_{number}", "name_sv": f"Ny grund {number}", "name_en": f"New {number}"},
    }
    return data.get(endpoint, {})


def _expected(world: World, persona: str, endpoint: str, state: str | None, method: str) -> Outcome:
    user = db.session.get(factories.User, world.users[persona]) if persona != "anonymous" else None
    return MATRIX[endpoint](Call(persona, user, assessment(world, state) if state else None, method))


def _rules_with_cases(app: Flask):
    """(rule, method, state) for every route; the states only where the route takes an assessment."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint == "admin.publish_template", r.rule)):
        if rule.endpoint == "static":
            continue
        states = STATES if rule.arguments & ASSESSMENT_ARGUMENTS else (None,)
        for method in sorted(rule.methods & set(METHODS)):
            for state in states:
                yield rule, method, state


def test_every_route_has_an_entry_in_the_matrix(app):
    missing = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - set(MATRIX) - {"static"})
    assert not missing, f"routes without a rule in the permission matrix: {', '.join(missing)}"
    stale = sorted(set(MATRIX) - {rule.endpoint for rule in app.url_map.iter_rules()})
    assert not stale, f"matrix entries for routes that no longer exist: {', '.join(stale)}"


@pytest.fixture
def _jobs_stay_queued(monkeypatch):
    """Jobs asked for are not run: a job finishing in a thread would change the tables under a refused request."""
    monkeypatch.setattr("impact.jobs.backends.enqueue", lambda job_id: True)


@pytest.mark.usefixtures("_jobs_stay_queued")
@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_route_answers_each_person_as_the_matrix_says(app, client, persona):
    with app.app_context():
        world = build_world()
    log_in(client, world, persona)
    csrf = csrf_anywhere(client)
    # The tables as they stand after the last refused call, while no other call came in between: the next refused
    # call is compared with them without reading every table twice.
    unchanged = None
    failures = []
    for rule, method, state in _rules_with_cases(app):
        if rule.endpoint not in MATRIX:
            failures.append(f"{rule.endpoint}: no entry in the permission matrix")
            continue
        with app.app_context():
            expected = _expected(world, persona, rule.endpoint, state, method)
            path = rule.build(_url_values(rule, world, state), append_unknown=False)[1]
            data = _form_data(rule.endpoint, world, state)
            checked = method != "GET" and not expected.success
            before = (unchanged or snapshot()) if checked else None
            events = audit_event_count()
        headers = {}
        if rule.rule.startswith("/api/") and persona != "anonymous":
            headers["Authorization"] = f"Bearer {world.tokens[persona]}"
        if method != "GET":
            data = {**data, "csrf_token": csrf}
        response = client.open(path, method=method, data=data or None, headers=headers)
        where = f"{persona} {method} {path} ({rule.endpoint}, {state or '-'})"
        got = response.status_code
        location = response.headers.get("Location", "")
        if got not in expected.codes:
            failures.append(f"{where}: expected {expected.name} {sorted(expected.codes)}, got {got} {location}")
        elif expected is LOGIN and not location.startswith("/login"):
            failures.append(f"{where}: expected a redirect to the login page, got {location}")
        elif expected.success and got == 302 and location.startswith("/login") and rule.endpoint != "auth.logout":
            failures.append(f"{where}: expected success, was sent to log in")
        unchanged = None
        if checked:
            with app.app_context():
                after = snapshot()
                if after != before or audit_event_count() != events:
                    failures.append(f"{where}: refused, yet the database changed")
                else:
                    unchanged = after
        if expected.success and method != "GET":
            # The request may have changed the assessment, the session or the persona: start again from known state.
            with app.app_context():
                if state is not None:
                    create_assessment_in(world, state)
                    db.session.commit()
            if rule.endpoint in ("auth.logout", "core.set_language") or persona == "anonymous":
                log_in(client, world, persona)
            csrf = csrf_anywhere(client)
    assert not failures, f"{len(failures)} unexpected answers:\n" + "\n".join(failures)


@pytest.mark.parametrize("persona", [name for name in PERSONAS if name != "anonymous"])
def test_the_api_never_returns_another_departments_drafts(app, client, persona):
    with app.app_context():
        world = build_world()
        user = db.session.get(factories.User, world.users[persona])
        department_code = user.department.code
    headers = {"Authorization": f"Bearer {world.tokens[persona]}"}
    response = client.get("/api/v1/assessments?per_page=100", headers=headers)
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert items, "every persona reads at least the approved assessments"
    for item in items:
        if item["status"] in ("draft", "returned", "withdrawn"):
            assert item["department"]["code"] == department_code, (persona, item)
    for state in ("draft", "returned", "withdrawn"):
        one = client.get(f"/api/v1/assessments/{world.assessments[state]}", headers=headers)
        assert one.status_code == (200 if department_code == "FFF" else 404), (persona, state)


@pytest.mark.parametrize("persona", ["anonymous", "admin"])
def test_a_method_no_route_takes_gets_405_and_changes_nothing(app, client, persona):
    with app.app_context():
        world = build_world()
    log_in(client, world, persona)
    adapter = app.url_map.bind("localhost")
    failures = []
    with app.app_context():
        template_draft_id(world.users["admin"])
        before = snapshot()
    csrf = csrf_anywhere(client)
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        with app.app_context():
            path = rule.build(_url_values(rule, world, "draft"), append_unknown=False)[1]
        for method in sorted(set(METHODS) - rule.methods):
            try:
                adapter.match(path, method=method)
                continue  # another rule serves this method on the same path
            except MethodNotAllowed:
                pass
            data = {"csrf_token": csrf} if method != "GET" else None
            got = client.open(path, method=method, data=data).status_code
            if got != 405:
                failures.append(f"{persona} {method} {path} ({rule.endpoint}): expected 405, got {got}")
    with app.app_context():
        assert snapshot() == before, "a method no route takes changed the database"
    assert not failures, "\n".join(failures)
