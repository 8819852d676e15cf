"""The versions of one proposal and the field-by-field difference between any two of them."""

import difflib
import functools
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from markupsafe import Markup, escape

from impact.assessments.chain import chain_ids
from impact.assessments.child_rights import answer_rows
from impact.assessments.models import Assessment
from impact.core.db import db
from impact.core.timefmt import format_day, format_time

# Texts longer than this are compared word by word rather than shown whole, twice.
LONG_TEXT = 80


@functools.cache
def versions_of(assessment: Assessment) -> list[Assessment]:
    """Every version of the proposal ``assessment`` belongs to, oldest first; one query however many there are."""
    statement = sa.select(Assessment).where(Assessment.id.in_(chain_ids()))
    chain = list(db.session.scalars(statement, {"assessment_id": assessment.id}))
    if not any(version.id == assessment.id for version in chain):
        chain.append(assessment)  # a chain with no first version (a cycle): show at least this one
    return sorted(chain, key=lambda version: (version.version_number, version.id))


@dataclass
class DiffRow:
    label: str
    before: Markup
    after: Markup
    changed: bool


@dataclass
class DiffSection:
    title: str
    rows: list[DiffRow] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(row.changed for row in self.rows)


def _text(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "label"):
        return str(value.label)
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, date):
        return format_day(value)
    if isinstance(value, list | tuple):
        return ", ".join(_text(item) for item in value)
    return str(value)


def _word_diff(before: str, after: str) -> tuple[Markup, Markup]:
    """Mark removed words with <del> and added words with <ins>, each with a hidden spoken label."""
    old, new = before.split(" "), after.split(" ")
    left, right = [], []
    removed, added = escape(_("removed:")), escape(_("added:"))
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        old_part, new_part = escape(" ".join(old[i1:i2])), escape(" ".join(new[j1:j2]))
        if op == "equal":
            left.append(old_part)
            right.append(new_part)
            continue
        if i2 > i1:
            left.append(Markup('<del><span class="visually-hidden">{} </span>{}</del>').format(removed, old_part))
        if j2 > j1:
            right.append(Markup('<ins><span class="visually-hidden">{} </span>{}</ins>').format(added, new_part))
    return Markup(" ").join(left), Markup(" ").join(right)


def _row(label: str, before, after) -> DiffRow:
    old, new = _text(before), _text(after)
    if old == new or max(len(old), len(new)) <= LONG_TEXT or not old or not new:
        return DiffRow(label, escape(old), escape(new), old != new)
    left, right = _word_diff(old, new)
    return DiffRow(label, left, right, True)


def _assessment_rows(version: Assessment) -> dict[str, tuple[str, object]]:
    return {
        "title": (_("Title"), version.title),
        "case_number": (_("Case number"), version.case_number),
        "committee": (_("Decision-making body"), version.committee),
        "decision_date": (_("Planned decision date"), version.decision_date),
        "description": (_("Description of the proposal"), version.description),
        "purpose": (_("Purpose"), version.purpose),
        "concerns": (_("Who it concerns"), version.concerns),
        "whole_municipality": (_("The whole municipality"), version.whole_municipality),
        "districts": (_("Districts"), [district.name for district in version.districts]),
        "areas": (_("Areas"), [area.name for area in version.areas]),
        "affects_people": (_("Affects people"), version.affects_people),
        "screening_reason": (_("Screening: reason"), version.screening_reason),
        **_involvement_rows(version),
        "overall_assessment": (_("Overall assessment"), version.overall_assessment),
        "combined_effects": (_("Combined effects"), version.combined_effects),
        "alternatives": (
            _("Alternatives considered"),
            "; ".join(
                f"{a.description} ({a.effects}{' – ' + a.why_not_chosen if a.why_not_chosen else ''})"
                for a in version.alternatives
            ),
        ),
        "analysis_outcome": (_("Outcome of the assessment"), version.analysis_outcome),
        "adjustments": (_("What was adjusted"), version.adjustments),
        "outcome_justification": (
            _("Why continuing despite adverse impacts is justified"),
            version.outcome_justification,
        ),
        "recommendation": (_("Recommendation"), version.recommendation),
        "follow_up_date": (_("Follow-up date"), version.follow_up_date),
        "committee_decision": (_("The committee's decision"), _decision_text(version)),
    }


def _involvement_rows(version: Assessment) -> dict[str, tuple[str, object]]:
    involvement = version.involvement
    consultations = "; ".join(
        f"{c.who} ({', '.join(_text(part) for part in (c.method, c.held_on, c.participants) if part is not None)}): "
        f"{c.views} – {c.changes_made}"
        for c in version.consultations
    )
    return {
        "consultations": (_("Consultations"), consultations),
        "no_consultation_reason": (
            _("Why nobody was heard"),
            involvement.no_consultation_reason if involvement else "",
        ),
        "national_minority": (
            _("Does the proposal concern a national minority?"),
            involvement.national_minority if involvement else None,
        ),
        "minorities": (_("Which national minorities?"), involvement.minority_labels if involvement else []),
        "minority_consulted": (
            _("Was the minority consulted (samråd)?"),
            involvement.minority_consulted if involvement else None,
        ),
        "minority_not_consulted_reason": (
            _("Why was the minority not consulted?"),
            involvement.minority_not_consulted_reason if involvement else "",
        ),
    }


def _decision_text(version: Assessment) -> str:
    decision = version.committee_decision
    if decision is None:
        return ""
    return f"{decision.outcome.label}, {decision.committee} {decision.meeting_date.isoformat()} {decision.paragraph}"


def _answer_rows(answer) -> dict[str, tuple[str, object]]:
    def get(name):
        return getattr(answer, name) if answer is not None else None

    return {
        "relevant": (_("Relevant"), get("relevant")),
        "not_relevant_reason": (_("Why not relevant"), get("not_relevant_reason")),
        "impact": (_("Impact"), get("impact")),
        "remaining_impact": (_("Impact that remains after the actions"), get("remaining_impact")),
        "missing_information": (_("What is missing to assess it"), get("missing_information")),
        "affected_groups": (_("Affected groups and how"), get("affected_groups")),
        "evidence": (_("Evidence"), get("evidence")),
        "evidence_links": (_("Links to evidence"), get("evidence_links")),
        "confidence": (_("Confidence"), get("confidence")),
        "districts": (_("Districts affected differently"), [d.name for d in answer.districts] if answer else []),
        "areas": (_("Areas affected differently"), [a.name for a in answer.areas] if answer else []),
        "district_notes": (_("How districts are affected"), get("district_notes")),
        "mitigations": (_("Actions"), "; ".join(action.description for action in answer.mitigations) if answer else ""),
        "acceptance_justification": (_("Why the impact is accepted"), get("acceptance_justification")),
        "actual_impact": (_("Actual impact"), get("actual_impact")),
        "actual_comment": (_("Comment on the actual impact"), get("actual_comment")),
    }


def _action_text(action) -> str:
    """One action in words: what, who, by when, at what cost, for which grounds."""
    details = [action.who, format_day(action.due_date) if action.due_date else "", action.cost, action.grounds_text]
    return f"{action.description} ({', '.join(detail for detail in details if detail)})"


def _action_plan_rows(version: Assessment) -> dict[str, tuple[str, object]]:
    """The action plan, one row per action in the order they were planned."""
    return {
        f"action_{number}": (_("Action %(num)s", num=number), _action_text(action))
        for number, action in enumerate(version.actions, start=1)
    }


def _child_rights_rows(version: Assessment) -> dict[str, tuple[str, object]]:
    """The child-rights answers in words, and what the proposal does to each right concerned."""
    record = version.child_rights
    rows = {
        "concerns_children": (
            _("Does the proposal concern children (under 18), directly or indirectly?"),
            record.concerns_children if record else None,
        )
    }
    rows.update({key: (question, answer) for key, question, answer in answer_rows(record)})
    for effect in record.effects if record else []:
        notes = " – ".join(note for note in (effect.short_term, effect.long_term) if note)
        label = str(effect.effect.label) if effect.effect else ""
        rows[f"article_{effect.article}"] = (effect.label, f"{label}: {notes}" if notes else label)
    return rows


def compare(first: Assessment, second: Assessment) -> list[DiffSection]:
    """The difference between two versions, section by section and ground by ground."""
    proposal = DiffSection(_("Proposal, screening, involvement and conclusion"))
    left, right = _assessment_rows(first), _assessment_rows(second)
    for key, (label, before) in left.items():
        proposal.rows.append(_row(label, before, right[key][1]))
    sections = [proposal]
    children = DiffSection(_("The best interests of the child"))
    left, right = _child_rights_rows(first), _child_rights_rows(second)
    for key in {**left, **right}:
        label = (left.get(key) or right[key])[0]
        children.rows.append(_row(label, left.get(key, (label, ""))[1], right.get(key, (label, ""))[1]))
    if first.child_rights is not None or second.child_rights is not None:
        sections.append(children)
    plan = DiffSection(_("Action plan"))
    left, right = _action_plan_rows(first), _action_plan_rows(second)
    for key in {**left, **right}:
        label = (left.get(key) or right[key])[0]
        plan.rows.append(_row(label, left.get(key, (label, ""))[1], right.get(key, (label, ""))[1]))
    if plan.rows:
        sections.append(plan)
    grounds = {}
    for version in (first, second):
        for answer in version.answers:
            grounds.setdefault(answer.ground.key, answer.ground)
    for key, ground in grounds.items():
        before = next((a for a in first.answers if a.ground.key == key), None)
        after = next((a for a in second.answers if a.ground.key == key), None)
        section = DiffSection(ground.name)
        left, right = _answer_rows(before), _answer_rows(after)
        for name, (label, value) in left.items():
            section.rows.append(_row(label, value, right[name][1]))
        sections.append(section)
    return sections
