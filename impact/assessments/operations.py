"""Creating and saving assessments. Each function checks the lock version, changes the rows, records an audit
event with what changed and flushes; none commits (the view commits once per request).
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from impact.assessments import access, lifecycle
from impact.assessments.child_rights import TEXT_FIELDS as CHILD_TEXT_FIELDS
from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
from impact.assessments.enums import (
    ChildRightEffect,
    Confidence,
    ConsultationMethod,
    Impact,
    MinorityAnswer,
    NationalMinority,
    Outcome,
)
from impact.assessments.forms import DO_NOTHING
from impact.assessments.models import (
    INVOLVEMENT_ANSWERS,
    Alternative,
    Assessment,
    Consultation,
    GroundAnswer,
    GroupKind,
    Involvement,
    Mitigation,
)
from impact.audit import trail
from impact.auth.models import User
from impact.auth.roles import Role
from impact.core.db import db, utcnow
from impact.core.refusal import Refusal
from impact.grounds.models import Ground, TemplateVersion
from impact.org.models import Area, District

PROPOSAL_FIELDS = (
    "title",
    "case_number",
    "committee",
    "decision_date",
    "description",
    "purpose",
    "concerns",
    "whole_municipality",
)
SCREENING_FIELDS = ("affects_people", "screening_reason")
KEEP = object()  # an answer the caller does not change
CONCLUSION_FIELDS = (
    "overall_assessment",
    "combined_effects",
    "analysis_outcome",
    "adjustments",
    "outcome_justification",
    "recommendation",
    "follow_up_date",
)
INVOLVEMENT_FIELDS = INVOLVEMENT_ANSWERS
CONSULTATION_FIELDS = ("group_name", "method", "held_on", "participants", "views", "changes_made")
ANSWER_FIELDS = (
    "relevant",
    "not_relevant_reason",
    "impact",
    "missing_information",
    "affected_groups",
    "evidence",
    "evidence_links",
    "confidence",
    "district_notes",
    "acceptance_justification",
)
# What an action of the action plan holds, as the page and the audit trail name it.
ACTION_FIELDS = ("description", "owner_id", "responsible", "due_date", "cost")


class StaleEdit(Exception):
    """Someone else saved this part after the user opened it; nothing was changed."""


class NoTemplate(Exception):
    """No template version is published, so no assessment can be started."""


def _snapshot(obj, fields) -> dict:
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = value.value if hasattr(value, "value") else value
    return values


def _districts(ids) -> list[District]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(District).where(District.id.in_(ids)).order_by(District.name)))


def _areas(ids) -> list[Area]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Area).where(Area.id.in_(ids)).order_by(Area.name)))


def _places(data: dict) -> tuple[list[District], list[Area]]:
    """The districts and areas chosen; an area's district is counted as chosen too, as every summary counts by
    district."""
    areas = _areas(data.get("areas"))
    ids = set(data.get("districts") or []) | {area.district_id for area in areas}
    return _districts(ids), areas


def _place_names(record) -> dict:
    return {"districts": [d.name for d in record.districts], "areas": [a.name for a in record.areas]}


def _check_version(current: int, seen: int | None) -> None:
    if seen is not None and seen != current:
        raise StaleEdit


def create(actor: User, data: dict) -> Assessment:
    """Start an assessment in the actor's department under the current template version."""
    version = TemplateVersion.current()
    if version is None:
        raise NoTemplate
    assessment = Assessment(template_version=version, department_id=actor.department_id, created_by=actor)
    assessment.authors = [actor]
    assessment.involvement = Involvement(required=True)  # started with the involvement step: it must be done
    assessment.child_rights = ChildRights(required=True)  # and with the question whether it concerns children
    for name in PROPOSAL_FIELDS:
        setattr(assessment, name, data.get(name) if data.get(name) is not None else _default(name))
    assessment.districts, assessment.areas = ([], []) if data.get("whole_municipality") else _places(data)
    db.session.add(assessment)
    db.session.flush()
    after = {**_snapshot(assessment, PROPOSAL_FIELDS), **_place_names(assessment)}
    trail.record("assessment.create", assessment, actor=actor, changes=trail.diff({}, after))
    return assessment


def _default(name: str):
    return False if name == "whole_municipality" else ("" if name not in ("decision_date", "committee") else None)


def save_proposal(assessment: Assessment, actor: User, data: dict, seen_version: int | None) -> dict:
    _check_version(assessment.lock_version, seen_version)
    before = {**_snapshot(assessment, PROPOSAL_FIELDS), **_place_names(assessment)}
    for name in PROPOSAL_FIELDS:
        setattr(assessment, name, data.get(name) if data.get(name) is not None else _default(name))
    assessment.districts, assessment.areas = ([], []) if assessment.whole_municipality else _places(data)
    after = {**_snapshot(assessment, PROPOSAL_FIELDS), **_place_names(assessment)}
    return _record_update(assessment, actor, before, after, "proposal")


def save_screening(
    assessment: Assessment, actor: User, affects_people: bool | None, reason: str, seen, concerns_children=KEEP
) -> dict:
    """Save the screening. Whether the proposal concerns children is kept as it is unless given; an assessment
    started before the question existed gets an optional child-rights row when it is first answered."""
    _check_version(assessment.lock_version, seen)
    before = _screening_snapshot(assessment)
    assessment.affects_people = affects_people
    assessment.screening_reason = reason or ""
    if concerns_children is not KEEP and (assessment.child_rights is not None or concerns_children is not None):
        if assessment.child_rights is None:
            assessment.child_rights = ChildRights(required=False)
        assessment.child_rights.concerns_children = concerns_children
    return _record_update(assessment, actor, before, _screening_snapshot(assessment), "screening")


def _screening_snapshot(assessment: Assessment) -> dict:
    record = assessment.child_rights
    return {
        **_snapshot(assessment, SCREENING_FIELDS),
        "concerns_children": record.concerns_children if record is not None else None,
    }


def save_conclusion(assessment: Assessment, actor: User, data: dict, seen) -> dict:
    """Save the conclusion; ``data['alternatives']`` is a list of row dicts (id, description, effects, ...).

    The text that goes with an outcome (what was adjusted, why continuing is justified) is kept only while that
    outcome is chosen, so a changed mind leaves no stale justification behind.
    """
    _check_version(assessment.lock_version, seen)
    before = _conclusion_snapshot(assessment)
    for name in CONCLUSION_FIELDS:
        value = data.get(name)
        if name == "analysis_outcome":
            value = Outcome(value) if value else None
        elif value is None and "date" not in name:
            value = ""
        setattr(assessment, name, value)
    if assessment.analysis_outcome != Outcome.adjust:
        assessment.adjustments = ""
    if assessment.analysis_outcome != Outcome.continue_despite:
        assessment.outcome_justification = ""
    if "alternatives" in data:
        _apply_alternatives(assessment, data["alternatives"])
    return _record_update(assessment, actor, before, _conclusion_snapshot(assessment), "conclusion")


def _apply_alternatives(assessment: Assessment, rows: list[dict]) -> None:
    by_id = {alternative.id: alternative for alternative in assessment.alternatives if alternative.id is not None}
    kept = []
    for row in rows:
        existing = by_id.get(row.get("id")) if row.get("id") else None
        description, effects, why = (row.get(name) or "" for name in ("description", "effects", "why_not_chosen"))
        # The suggested first row, left as it was offered, is not an alternative anyone considered yet.
        untouched = existing is None and description in ("", str(DO_NOTHING)) and not (effects or why)
        if row.get("remove") or untouched or not (description or effects or why):
            continue
        alternative = existing or Alternative()
        alternative.description, alternative.effects, alternative.why_not_chosen = description, effects, why
        kept.append(alternative)
    assessment.alternatives = kept


def save_involvement(assessment: Assessment, actor: User, data: dict, seen) -> dict:
    """Save the involvement step; ``data['consultations']`` is a list of row dicts (id, group_kind, method, ...).

    Answers that only follow from another (why nobody was heard, which minorities, why they were not consulted)
    are kept only while that other answer calls for them. An assessment started before the step existed gets its
    answers kept, but the step stays optional for it.
    """
    _check_version(assessment.lock_version, seen)
    before = _involvement_snapshot(assessment)
    involvement = assessment.involvement
    if involvement is None:
        involvement = assessment.involvement = Involvement(required=False)
    answer = data.get("national_minority")
    involvement.national_minority = MinorityAnswer(answer) if answer else None
    concerns = involvement.national_minority == MinorityAnswer.yes
    chosen = set(data.get("minorities") or [])
    involvement.minorities = [minority.value for minority in NationalMinority if concerns and minority.value in chosen]
    involvement.minority_consulted = data.get("minority_consulted") if concerns else None
    not_consulted = involvement.minority_consulted is False
    involvement.minority_not_consulted_reason = (
        (data.get("minority_not_consulted_reason") or "") if not_consulted else ""
    )
    if "consultations" in data:
        _apply_consultations(assessment, data["consultations"])
    heard = bool(assessment.consultations)
    involvement.no_consultation_reason = "" if heard else (data.get("no_consultation_reason") or "")
    return _record_update(assessment, actor, before, _involvement_snapshot(assessment), "involvement")


def _apply_consultations(assessment: Assessment, rows: list[dict]) -> None:
    by_id = {consultation.id: consultation for consultation in assessment.consultations if consultation.id}
    kinds = {kind_id for row in rows if isinstance(kind_id := row.get("group_kind"), int)}
    known = set(db.session.scalars(sa.select(GroupKind.id).where(GroupKind.id.in_(kinds)))) if kinds else set()
    kept = []
    for row in rows:
        existing = by_id.get(row.get("id")) if row.get("id") else None
        kind_id = row.get("group_kind") if row.get("group_kind") in known else None
        values = {name: row.get(name) for name in CONSULTATION_FIELDS}
        if row.get("remove") or not (kind_id or any(value not in (None, "") for value in values.values())):
            continue
        consultation = existing or Consultation()
        consultation.group_kind_id = kind_id
        consultation.group_name = values["group_name"] or ""
        consultation.method = ConsultationMethod(values["method"]) if values["method"] else None
        consultation.held_on = values["held_on"]
        consultation.participants = values["participants"]
        consultation.views = values["views"] or ""
        consultation.changes_made = values["changes_made"] or ""
        kept.append(consultation)
    assessment.consultations = kept


def _involvement_snapshot(assessment: Assessment) -> dict:
    values = Involvement.answers_of(assessment.involvement)
    kinds = _kind_names({c.group_kind_id for c in assessment.consultations} - {None})
    values["consultations"] = [
        {
            "group": ": ".join(part for part in (kinds.get(c.group_kind_id, ""), c.group_name) if part),
            **_snapshot(c, CONSULTATION_FIELDS[1:]),
        }
        for c in assessment.consultations
    ]
    return values


def save_child_rights(assessment: Assessment, actor: User, data: dict, seen) -> dict:
    """Save the child-rights step; ``data['principles']`` and ``data['other_articles']`` are the rights chosen,
    ``data['effects']`` row dicts (article, effect, short_term, long_term) for the rights shown on the page.

    A chosen right gets its row (kept with its answers while it stays chosen); a right no longer chosen loses it.
    How children were heard, and what they said, are kept only while they were; why not only while they were not.
    """
    _check_version(assessment.lock_version, seen)
    before = _child_rights_snapshot(assessment)
    record = assessment.child_rights
    if record is None:
        record = assessment.child_rights = ChildRights(required=False, concerns_children=True)
    for name in CHILD_TEXT_FIELDS:
        setattr(record, name, data.get(name) or "")
    record.children_heard = data.get("children_heard")
    if record.children_heard is not True:
        record.heard_how = record.children_views = ""
    if record.children_heard is not False:
        record.not_heard_reason = ""
    record.districts = _districts(data.get("districts"))
    chosen = {number for number in (*(data.get("principles") or ()), *(data.get("other_articles") or ()))}
    rows = {row.get("article"): row for row in data.get("effects") or ()}
    existing = {row.article: row for row in record.effects}
    kept = []
    offered = {article.number for article in assessment.template_version.child_rights_articles}
    for number in sorted(chosen & offered):
        row = existing.get(number) or ChildRightEffectRow(article=number, short_term="", long_term="")
        if number in rows:
            row.effect = ChildRightEffect(rows[number]["effect"]) if rows[number].get("effect") else None
            row.short_term = rows[number].get("short_term") or ""
            row.long_term = rows[number].get("long_term") or ""
        kept.append(row)
    record.effects = kept
    return _record_update(assessment, actor, before, _child_rights_snapshot(assessment), "child_rights")


def _child_rights_snapshot(assessment: Assessment) -> dict:
    record = assessment.child_rights
    if record is None:
        return {}
    values = _snapshot(record, CHILD_TEXT_FIELDS)
    values["children_heard"] = record.children_heard
    values["child_districts"] = [district.name for district in record.districts]
    values["child_rights"] = [
        {
            "article": row.article,
            "effect": row.effect.value if row.effect else None,
            "short_term": row.short_term,
            "long_term": row.long_term,
        }
        for row in record.effects
    ]
    return values


def _kind_names(ids: set[int]) -> dict[int, str]:
    """Group kinds by id, named in Swedish (the audit trail records names, as it does for districts)."""
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(GroupKind.id, GroupKind.name_sv).where(GroupKind.id.in_(ids))).all())


def _conclusion_snapshot(assessment: Assessment) -> dict:
    values = _snapshot(assessment, CONCLUSION_FIELDS)
    values["alternatives"] = [
        {"description": a.description, "effects": a.effects, "why_not_chosen": a.why_not_chosen}
        for a in assessment.alternatives
    ]
    return values


def _record_update(assessment: Assessment, actor: User, before: dict, after: dict, part: str) -> dict:
    changes = trail.diff(before, after)
    if changes:
        lifecycle.reopen_if_returned(assessment, actor)
        assessment.updated_at = utcnow()
        db.session.flush()  # raises StaleDataError if another request saved in between
        trail.record("assessment.update", assessment, actor=actor, changes={"part": part, **changes})
    return changes


def answer_version(assessment: Assessment, ground: Ground) -> int:
    """The lock version a ground page is loaded at; 0 while the ground has no answer yet."""
    answer = assessment.answer_for(ground)
    return answer.lock_version if answer is not None else 0


def save_ground(assessment: Assessment, ground: Ground, actor: User, data: dict, seen) -> dict:
    """Save one ground's answer (its actions are saved with the action plan)."""
    _check_version(answer_version(assessment, ground), seen)
    answer = assessment.answer_for(ground)
    created = answer is None
    if created:
        answer = GroundAnswer(ground=ground)
        assessment.answers.append(answer)
    before = _answer_snapshot(answer)
    for name in ANSWER_FIELDS:
        value = data.get(name)
        if name == "impact":
            value = Impact(value) if value else None
        elif name == "confidence":
            value = Confidence(value) if value else None
        elif name != "relevant" and value is None:
            value = ""
        setattr(answer, name, value)
    answer.districts, answer.areas = _places(data)
    after = _answer_snapshot(answer)
    changes = trail.diff(before, after)
    if changes or created:
        lifecycle.reopen_if_returned(assessment, actor)
        answer.updated_by_id = actor.id
        answer.updated_at = utcnow()
        db.session.flush()
        # Touch the assessment without bumping its lock version: a ground save must not block the proposal page.
        # Only while it is editable: a colleague may have submitted it since this request loaded it (the UPDATE
        # waits for their transaction on PostgreSQL, then sees the new status and changes nothing).
        touched = db.session.execute(
            sa.update(Assessment)
            .where(Assessment.id == assessment.id, Assessment.status.in_(access.EDITABLE_STATES))
            .values(updated_at=utcnow()),
            execution_options={"synchronize_session": False},
        )
        if touched.rowcount != 1:
            raise StaleEdit
        trail.record(
            "ground_answer.update",
            answer,
            actor=actor,
            changes={"ground": ground.key, **changes},
            assessment_id=assessment.id,
        )
    return changes


def save_action_plan(assessment: Assessment, actor: User, data: dict, seen) -> dict:
    """Save the action plan: ``data['actions']`` is a list of row dicts (id, description, owner_id, responsible,
    due_date, cost, grounds: ground ids, remove), ``data['remaining']`` {ground id: impact value or None} for the
    grounds the page asked about. An action may address only grounds judged relevant; an empty row is skipped."""
    _check_version(assessment.lock_version, seen)
    before = _action_plan_snapshot(assessment)
    answers = {answer.ground_id: answer for answer in assessment.answers}
    by_id = {action.id: action for action in assessment.actions if action.id is not None}
    kept = []
    for row in data.get("actions", []):
        existing = by_id.get(row.get("id")) if row.get("id") else None
        chosen = [answers[ground_id] for ground_id in row.get("grounds") or () if ground_id in answers]
        values = {name: row.get(name) for name in ACTION_FIELDS}
        values["owner_id"] = values["owner_id"] or None
        if row.get("remove") or not (any(values.values()) or chosen):
            continue
        action = existing or Mitigation()
        for name, value in values.items():
            setattr(action, name, value if value is not None or name in ("owner_id", "due_date") else "")
        action.answers = [answer for answer in chosen if answer.relevant]
        kept.append(action)
    assessment.actions = kept
    for ground_id, value in (data.get("remaining") or {}).items():
        answer = answers.get(ground_id)
        if answer is not None:
            answer.remaining_impact = Impact(value) if value else None
    return _record_update(assessment, actor, before, _action_plan_snapshot(assessment), "actions")


def _action_plan_snapshot(assessment: Assessment) -> dict:
    return {
        "actions": [
            {
                "description": action.description,
                "owner": action.owner_id,
                "responsible": action.responsible,
                "due_date": action.due_date,
                "cost": action.cost,
                "grounds": sorted(answer.ground.key for answer in action.answers),
            }
            for action in assessment.actions
        ],
        "remaining_impact": {
            answer.ground.key: answer.remaining_impact.value
            for answer in assessment.answers
            if answer.remaining_impact is not None
        },
    }


def _answer_snapshot(answer: GroundAnswer) -> dict:
    values = _snapshot(answer, ANSWER_FIELDS)
    values.update(_place_names(answer))
    return values


def co_author_candidates(assessment: Assessment) -> list[User]:
    """Active case officers of the assessment's department who are not authors yet."""
    from impact.auth.models import UserRole

    author_ids = {author.id for author in assessment.authors}
    users = db.session.scalars(
        sa.select(User)
        .join(UserRole)
        .where(User.department_id == assessment.department_id, User.active, UserRole.role == Role.case_officer)
        .order_by(User.name)
    ).unique()
    return [user for user in users if user.id not in author_ids]


def add_author(assessment: Assessment, actor: User, user: User) -> None:
    if user not in co_author_candidates(assessment):
        raise Refusal(_l("Only case officers of the same department can be co-authors."), field="user_id")
    assessment.authors.append(user)
    trail.record(
        "assessment.add_author", assessment, actor=actor, changes={"authors": {"added": user.name}, "user_id": user.id}
    )


def remove_author(assessment: Assessment, actor: User, user: User) -> None:
    if user.id == assessment.created_by_id or user not in assessment.authors:
        raise Refusal(_l("The person who started the assessment stays an author."))
    assessment.authors.remove(user)
    trail.record(
        "assessment.remove_author",
        assessment,
        actor=actor,
        changes={"authors": {"removed": user.name}, "user_id": user.id},
    )
