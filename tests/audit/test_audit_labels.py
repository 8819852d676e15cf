"""Every audit event type, every field name and every coded value that can be recorded has words in Swedish and
English; the history and the audit trail never show a raw key or value."""

import ast
import re

import pytest
import sqlalchemy as sa

from impact.assessments import lifecycle
from impact.assessments import operations as assessment_operations
from impact.assessments.enums import (
    AssessmentStatus,
    CommitteeOutcome,
    Confidence,
    ConsultationMethod,
    Impact,
    MinorityAnswer,
    MitigationStatus,
    NationalMinority,
    Outcome,
)
from impact.audit import display
from impact.audit.labels import EVENT_TYPES, FIELD_LABELS, STATUS_ENUMS, VALUE_ENUMS, VALUE_LABELS
from impact.audit.models import AuditEvent
from impact.auth.group_rules import GroupRuleKind
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.i18n import PACKAGE_DIR
from impact.grounds.models import TemplateStatus, TemplateVersion
from impact.review import operations as review_operations
from impact.review.models import Section
from tests import factories


def _record_calls():
    """(path, call, enclosing function) for every ``trail.record(...)`` / ``record(...)`` in the package."""
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if path.name == "trail.py":
            continue  # the definition
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)] or [tree]:
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
                owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else None
                if name == "record" and (owner in (None, "trail")) and node.args:
                    yield path, node, function


def _resolve(node, function) -> set[str] | None:
    """The action strings an argument can take: literals, ``a if c else b``, or a local name assigned those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _resolve(node.body, function), _resolve(node.orelse, function)
        return body | orelse if body is not None and orelse is not None else None
    if isinstance(node, ast.Name):
        found: set[str] = set()
        for assign in ast.walk(function):
            if isinstance(assign, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id == node.id for target in assign.targets
            ):
                values = _resolve(assign.value, function)
                if values is None:
                    return None
                found |= values
        return found or None
    return None


def _transition_actions() -> set[str]:
    return {f"assessment.{name}" for name in lifecycle.TRANSITIONS}


# Calls whose action is built at run time, with what it can be. A new one must be added here (the test says so).
DYNAMIC = {("assessments/lifecycle.py", "move"): _transition_actions}


def recorded_actions() -> set[str]:
    actions, unresolved = set(), []
    for path, call, function in _record_calls():
        values = _resolve(call.args[0], function)
        if values is None:
            where = (str(path.relative_to(PACKAGE_DIR)), getattr(function, "name", ""))
            if where not in DYNAMIC:
                unresolved.append(f"{where[0]} in {where[1]}(): {ast.unparse(call.args[0])}")
                continue
            values = DYNAMIC[where]()
        actions |= values
    assert unresolved == [], "record() with an action this test cannot read; add it to DYNAMIC:\n" + "\n".join(
        unresolved
    )
    return actions


def test_every_recorded_action_has_a_label_and_every_label_is_recorded():
    actions = recorded_actions()
    assert len(actions) > 30
    assert sorted(actions - set(EVENT_TYPES)) == [], "recorded but without a label in impact/audit/labels.py"
    assert sorted(set(EVENT_TYPES) - actions) == [], "labelled but never recorded"


def test_the_scan_finds_calls_through_names_and_conditions():
    actions = recorded_actions()
    assert {"user.login", "department.deactivate", "district.reactivate", "department.create"} <= actions
    assert {"assessment.submit", "assessment.return_for_changes", "user.reactivate"} <= actions


def _literal_change_keys() -> set[str]:
    """The keys of every dict literal passed as ``changes=`` to record()."""
    keys = set()
    for _path, call, _function in _record_calls():
        for keyword in call.keywords:
            if keyword.arg == "changes" and isinstance(keyword.value, ast.Dict):
                keys |= {key.value for key in keyword.value.keys if isinstance(key, ast.Constant)}
    return keys


def _mitigation_follow_up_keys() -> set[str]:
    tree = ast.parse((PACKAGE_DIR / "review" / "followup_views.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "update_mitigation":
            return {keyword.arg for keyword in node.keywords}
    raise AssertionError("update_mitigation() call not found")


def _decision_keys() -> set[str]:
    from datetime import date

    from impact.decisions.operations import DecisionInput, _audited

    decision = DecisionInput("KS", date(2026, 1, 1), "§ 1", CommitteeOutcome.approved, True, "x", "y")
    return set(_audited(decision.values())) | {"correction_reason"}


def test_every_field_name_that_can_be_recorded_has_a_label(app_ctx):
    from impact.accessibility.statement import SETTING_KEYS
    from impact.admin.org import _department_state
    from impact.admin.settings_views import SETTING_FIELDS
    from impact.admin.users import user_state
    from impact.assessments.child_rights import GUIDANCE_KEYS
    from impact.assessments.child_rights import TEXT_FIELDS as CHILD_TEXT_FIELDS
    from impact.grounds.operations import _ground_state

    user = factories.create_user()
    ground = TemplateVersion.current().grounds[0]
    keys = (
        set(assessment_operations.PROPOSAL_FIELDS)
        | set(assessment_operations.SCREENING_FIELDS)
        | set(assessment_operations.CONCLUSION_FIELDS)
        | set(assessment_operations.INVOLVEMENT_FIELDS)
        | {"consultations", "name_sv", "name_en"}
        | set(CHILD_TEXT_FIELDS)
        | {"concerns_children", "children_heard", "child_districts", "child_rights"}
        | set(GUIDANCE_KEYS.values())
        | set(assessment_operations.ANSWER_FIELDS)
        | {"districts", "mitigations", "alternatives", "part", "ground"}
        | set(user_state(user))
        | set(_department_state(user.department))
        | set(_ground_state(ground))
        | set(SETTING_FIELDS)
        | set(SETTING_KEYS.values())
        | _mitigation_follow_up_keys()
        | _decision_keys()
        | _literal_change_keys()
    )
    missing = sorted(key for key in keys if key not in FIELD_LABELS)
    assert missing == []
    for key, label in FIELD_LABELS.items():
        assert str(label) != key and "_" not in str(label), key


ENUMS = {
    *(AssessmentStatus, Impact, Confidence, MitigationStatus, Outcome, Role, Section, TemplateStatus, GroupRuleKind),
    CommitteeOutcome,
    *(ConsultationMethod, MinorityAnswer, NationalMinority),
}


def test_every_coded_value_is_shown_as_words_in_both_languages(app):
    assert set(VALUE_ENUMS.values()) | set(STATUS_ENUMS.values()) | {Section} == ENUMS
    cases = [("assessment.update", key, enum) for key, enum in VALUE_ENUMS.items()]
    cases += [(f"{prefix}.update", "status", enum) for prefix, enum in STATUS_ENUMS.items()]
    cases += [("review.comment", "concerns", Section)]
    shown = {}
    for language in ("sv", "en"):
        with app.test_request_context(headers={"Accept-Language": language}):
            lookups = display._Lookups([])
            for action, key, enum in cases:
                for member in enum:
                    text = display.format_value(action, key, member.value, lookups)
                    assert text != member.value and "_" not in text, (language, action, key, member)
                    shown[language, action, key, member.value] = text
            for key, values in VALUE_LABELS.items():
                for value in values:
                    assert display.format_value("api_token.created", key, value, lookups) != value
            assert display.format_value("user.update", "active", True, lookups) == {"sv": "Ja", "en": "Yes"}[language]
            assert display.format_value("user.update", "active", False, lookups) == {"sv": "Nej", "en": "No"}[language]
    for (language, action, key, value), text in shown.items():
        if language == "sv" and value != "neutral":  # "Neutral" is Swedish too
            assert text != shown["en", action, key, value], f"{action} {key}={value} is not in Swedish: {text}"


def _story():
    """Events of most kinds, through the real operations: an assessment from start to a new version, and admin."""
    from impact.admin import org, users
    from impact.grounds import operations as ground_operations
    from impact.settings.operations import set_settings

    admin = factories.create_user(roles=("admin",), department="SLK")
    officer = factories.create_user(roles=("case_officer",))
    colleague = factories.create_user(roles=("case_officer",))
    reviewer = factories.create_user(roles=("reviewer",))
    assessment = assessment_operations.create(
        officer,
        {"title": "Nya öppettider", "case_number": "2026-00001", "description": "Kortare kvällar.", "districts": []},
    )
    assessment_operations.save_screening(assessment, officer, True, "", None)
    ground = assessment.template_version.grounds[0]
    assessment_operations.save_ground(
        assessment,
        ground,
        officer,
        {
            "relevant": True,
            "impact": "cannot_assess",
            "confidence": "low",
            "affected_groups": "Barn",
            "mitigations": [{"description": "Lovsim", "responsible": "Enhetschef", "due_date": None}],
        },
        None,
    )
    assessment_operations.save_conclusion(
        assessment,
        officer,
        {
            "overall_assessment": "Små effekter.",
            "analysis_outcome": "continue_despite",
            "outcome_justification": "Nyttan för fler väger tyngre.",
            "alternatives": [
                {"description": "Göra ingenting", "effects": "Ingen grund påverkas", "why_not_chosen": ""}
            ],
        },
        None,
    )
    assessment_operations.add_author(assessment, officer, colleague)
    lifecycle.submit(assessment, officer)
    review_operations.return_for_changes(assessment, reviewer, "Mer underlag", [(ground, "Ange källor")])
    lifecycle.reopen(assessment, officer)
    lifecycle.submit(assessment, officer)
    review_operations.approve(assessment, reviewer)
    review_operations.amend(assessment, officer)
    users.update_user(
        colleague,
        admin,
        email=colleague.email,
        name=colleague.name,
        department=colleague.department,
        roles=[Role.case_officer, Role.reviewer],
        municipality_wide=True,
    )
    users.set_active(colleague, admin, False)
    org.set_active(factories.ensure_district("Sjöbo"), admin, False)
    set_settings({"follow_up_reminder_days": "45"}, admin)
    draft = ground_operations.create_draft(admin, note="Barnets bästa")
    ground_operations.move_ground(draft.grounds[0], admin, 1)
    db.session.commit()
    return admin, assessment


CODES = "|".join(sorted({member.value for enum in ENUMS for member in enum} - {"neutral"}, key=len, reverse=True))
# A key (snake_case or dotted), a Python value, or a code shown as a value (after ":" or "→").
RAW = re.compile(rf"\b(?:[a-z]+(?:_[a-z]+)+|[a-z_]+\.[a-z_]+|True|False|None)\b|(?:[:→] )(?:{CODES})\b")


def _text_of(html: str, start: str) -> str:
    """The visible text of the table that follows ``start`` (tags and attributes removed)."""
    table = html[html.index(start) :]
    table = table[: table.index("</table>")]
    text = re.sub(r"<[^>]+>", " ", table)
    return re.sub(r"\s+", " ", re.sub(r"\S+@\S+", " ", text))  # email addresses are not keys


@pytest.mark.parametrize("language", ["sv", "en"])
def test_history_and_trail_show_no_raw_keys_or_values(app, client, auth, language):
    with client.session_transaction() as session:
        session["locale"] = language  # chosen with the language switch before logging in
    with app.app_context():
        admin, assessment = _story()
        admin_email, assessment_id, officer_email = admin.email, assessment.id, assessment.created_by.email
        kinds = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert len(kinds) >= 15
    assert auth.login(officer_email).status_code == 302
    page = client.get(f"/assessments/{assessment_id}").get_data(as_text=True)
    history = _text_of(page, '<table class="table history">')
    assert RAW.findall(history) == [], history
    expected = {
        "sv": ("Svar på en grund ändrat", "Kan ännu inte bedömas", "Fortsätt trots negativ påverkan", "Göra ingenting"),
        "en": ("Answer on a ground changed", "Continue despite adverse impacts", "Alternatives considered"),
    }
    for words in expected[language]:
        assert words in history
    auth.logout()
    assert auth.login(admin_email).status_code == 302
    trail = _text_of(client.get("/audit/?page=1").get_data(as_text=True), "<table")
    assert RAW.findall(trail) == [], trail
    assert {"sv": "Inloggad", "en": "Logged in"}[language] in trail
