"""Audit events as people read them, on the audit trail and in an assessment's history.

The rule for an event that concerns an assessment the reader may not open (another department's draft, say):
it is listed — who, what kind of event, when, and the assessment's number — but without its content (the title,
the fields that changed, a reviewer's comment) and without a link, since the link would only answer 404.
"""

import re
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from impact.assessments import access
from impact.assessments.child_rights import article_label
from impact.assessments.enums import ChildRightEffect, ConsultationMethod
from impact.assessments.loaders import PERSON
from impact.assessments.models import Assessment
from impact.audit.labels import EVENT_FIELD_LABELS, FIELD_LABELS, VALUE_LABELS, event_label, value_enum
from impact.audit.models import AuditEvent
from impact.auth.models import User
from impact.auth.people import person_text
from impact.core.db import db
from impact.core.timefmt import format_day
from impact.grounds.models import Ground, localized
from impact.org.models import Department

EMPTY = "–"
LONGEST = 160  # characters of one value shown; the rest is in the assessment itself
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Keys that only say where the change was made; shown beside the event's name rather than as a change.
CONTEXT_KEYS = {"part", "ground"}
USER_KEYS = {"owner_id", "user_id"}


@dataclass
class Change:
    label: str
    after: str
    before: str | None = None  # None: the event records a value, not a change from one to another

    @property
    def is_change(self) -> bool:
        return self.before is not None


@dataclass
class EventRow:
    event: AuditEvent
    label: str
    actor: User | None
    may_open: bool  # the reader may open the assessment the event concerns (True when it concerns none)
    context: str = ""  # the part or ground the event concerns, or the account
    title: str | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def assessment_id(self) -> int | None:
        return self.event.assessment_id


class _Lookups:
    """Everything the events' changes name by id or key, read in one query per kind (none when unused)."""

    def __init__(self, events: list[AuditEvent]):
        self._events = events
        self._grounds: dict[str, str] | None = None
        self._departments: dict[str, str] | None = None
        self._users: dict[int, User] | None = None

    def ground(self, key: Any) -> str | None:
        if self._grounds is None:
            # Every template version's grounds; a later version's name wins (keys never change).
            rows = db.session.execute(
                sa.select(Ground.key, Ground.name_sv, Ground.name_en).order_by(Ground.template_version_id, Ground.id)
            )
            self._grounds = {key: localized(sv, en) for key, sv, en in rows}
        return self._grounds.get(key) if isinstance(key, str) else None

    def department(self, code: Any) -> str | None:
        if self._departments is None:
            self._departments = {
                code: name for code, name in db.session.execute(sa.select(Department.code, Department.name))
            }
        return self._departments.get(code) if isinstance(code, str) else None

    def user(self, user_id: Any) -> User | None:
        if self._users is None:
            ids = {event.object_id for event in self._events if event.object_type == "users"}
            for event in self._events:
                ids |= _user_ids(event.changes)
            ids.discard(None)
            users = db.session.scalars(sa.select(User).where(User.id.in_(ids)).options(*PERSON)) if ids else []
            self._users = {user.id: user for user in users}
        return self._users.get(user_id) if isinstance(user_id, int) else None


def _user_ids(changes: dict) -> set:
    ids = set()
    for key in USER_KEYS & set(changes):
        value = changes[key]
        ids |= {value.get("before"), value.get("after")} if isinstance(value, dict) else {value}
    # The owners of the actions in an action plan's change.
    plans = changes.get("actions")
    for side in (plans.get("before"), plans.get("after")) if isinstance(plans, dict) else ():
        ids |= {item.get("owner") for item in side or () if isinstance(item, dict)}
    return {item for item in ids if isinstance(item, int)}


def field_label(action: str, key: str, lookups: _Lookups) -> str:
    label = EVENT_FIELD_LABELS.get((action, key)) or FIELD_LABELS.get(key)
    if label is not None:
        return str(label)
    # An outcome is recorded per ground, keyed by the ground's key.
    return lookups.ground(key) or key


def format_value(action: str, key: str, value: Any, lookups: _Lookups) -> str:
    """One recorded value in words: codes by their labels, people by name and department, nothing raw."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key in USER_KEYS:
        user = lookups.user(value)
        return person_text(user) if user is not None else EMPTY
    if key in ("ground", "key", "order", "concerns") and (isinstance(value, list) or lookups.ground(value) is not None):
        if isinstance(value, list):
            return ", ".join(lookups.ground(item) or str(item) for item in value)
        return lookups.ground(value)
    if key == "department" and lookups.department(value) is not None:
        return lookups.department(value)
    if key in ("mitigations", "actions") and isinstance(value, list):
        return "; ".join(_mitigation(item, lookups) for item in value)
    if key == "remaining_impact" and isinstance(value, dict):
        # The action plan records the remaining impact of every ground it asks about: {ground key: impact}.
        return ", ".join(
            f"{lookups.ground(ground) or ground}: {format_value(action, key, impact, lookups)}"
            for ground, impact in value.items()
        )
    if key == "alternatives" and isinstance(value, list):
        return "; ".join(_alternative(item) for item in value)
    if key == "consultations" and isinstance(value, list):
        return "; ".join(_consultation(item) for item in value)
    if key == "child_rights" and isinstance(value, list):
        return "; ".join(_child_right(item) for item in value)
    if key == "questions" and isinstance(value, list):
        return "; ".join(localized(*item) if isinstance(item, list) and len(item) == 2 else str(item) for item in value)
    if key in VALUE_LABELS and value in VALUE_LABELS[key]:
        return str(VALUE_LABELS[key][value])
    enum = value_enum(action, key)
    if isinstance(value, list):
        return ", ".join(format_value(action, key, item, lookups) for item in value) or EMPTY
    if enum is not None and value in enum._value2member_map_:
        return str(enum(value).label)
    text = str(value)
    if _ISO_DATE.match(text):
        return format_day(_date(text))
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def _date(text: str):
    from datetime import date

    return date.fromisoformat(text)


def _mitigation(item: Any, lookups) -> str:
    """A mitigation typed per ground, or an action of the action plan with its owner, cost and grounds."""
    if not isinstance(item, dict):
        return str(item)
    details = []
    if item.get("owner"):
        owner = lookups.user(item["owner"])
        details.append(person_text(owner) if owner is not None else str(item["owner"]))
    if item.get("responsible"):
        details.append(item["responsible"])
    if item.get("due_date"):
        due = str(item["due_date"])
        details.append(format_day(_date(due)) if _ISO_DATE.match(due) else due)
    if item.get("cost"):
        details.append(str(item["cost"]))
    if item.get("grounds"):
        details.append(", ".join(lookups.ground(key) or str(key) for key in item["grounds"]))
    return f"{item.get('description') or EMPTY}" + (f" ({'; '.join(details)})" if details else "")


def _alternative(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    return f"{item.get('description') or EMPTY}" + (f" ({item['effects']})" if item.get("effects") else "")


def _child_right(item: Any) -> str:
    if not isinstance(item, dict) or not isinstance(item.get("article"), int):
        return str(item)
    effect = item.get("effect")
    known = ChildRightEffect._value2member_map_
    return article_label(item["article"]) + (f" ({known[effect].label})" if effect in known else "")


def _consultation(item: Any) -> str:
    if not isinstance(item, dict):
        return str(item)
    method = item.get("method")
    details = [str(ConsultationMethod(method).label)] if method in ConsultationMethod._value2member_map_ else []
    if item.get("held_on"):
        held = str(item["held_on"])
        details.append(format_day(_date(held)) if _ISO_DATE.match(held) else held)
    return f"{item.get('group') or EMPTY}" + (f" ({', '.join(details)})" if details else "")


_ADDED_REMOVED = {"added": _l("added"), "removed": _l("removed")}


def _changes(event: AuditEvent, lookups: _Lookups) -> list[Change]:
    action, recorded = event.action, event.changes or {}
    person = lookups.user(recorded.get("user_id")) if "user_id" in recorded else None
    changes = []
    for key, value in recorded.items():
        if key in CONTEXT_KEYS or (key == "user_id" and person is not None):
            continue
        label = field_label(action, key, lookups)
        if isinstance(value, dict) and ("before" in value or "after" in value):
            before, after = value.get("before"), value.get("after")
            if "before" not in value:  # only the new value was recorded
                changes.append(Change(label, format_value(action, key, after, lookups)))
            else:
                shown = format_value(action, key, before, lookups), format_value(action, key, after, lookups)
                if shown[0] != shown[1]:  # None to "" is no change a reader can see
                    changes.append(Change(label, shown[1], shown[0]))
        elif isinstance(value, dict) and set(value) & set(_ADDED_REMOVED):
            # A co-author added or removed: the person by the account recorded beside the name, when there is one.
            for verb, name in value.items():
                shown = person_text(person) if person is not None else format_value(action, key, name, lookups)
                changes.append(Change(label, f"{_ADDED_REMOVED.get(verb, verb)} {shown}"))
        else:
            changes.append(Change(label, format_value(action, key, value, lookups)))
    return changes


def _context(event: AuditEvent, lookups: _Lookups) -> str:
    recorded = event.changes or {}
    if "ground" in recorded:
        return lookups.ground(recorded["ground"]) or str(recorded["ground"])
    if "part" in recorded:
        return format_value(event.action, "part", recorded["part"], lookups)
    if event.object_type == "users" and event.object_id != event.actor_id:
        user = lookups.user(event.object_id)
        return person_text(user, email=True) if user is not None else ""
    return ""


def readable_titles(events: list[AuditEvent], reader) -> dict[int, str]:
    """The titles of the events' assessments that ``reader`` may open, in one query (the others are left out)."""
    ids = {event.assessment_id for event in events if event.assessment_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Assessment.id, Assessment.title).where(Assessment.id.in_(ids), access.visible_filter(reader))
    )
    return {assessment_id: title for assessment_id, title in rows}


def describe(events: list[AuditEvent], reader, titles: dict[int, str] | None = None) -> list[EventRow]:
    """The events as rows to show ``reader``; ``titles`` are those of the assessments the reader may open."""
    titles = readable_titles(events, reader) if titles is None else titles
    lookups = _Lookups(events)
    rows = []
    for event in events:
        may_open = event.assessment_id is None or event.assessment_id in titles
        row = EventRow(event=event, label=event_label(event.action), actor=event.actor, may_open=may_open)
        if may_open:
            row.title = titles.get(event.assessment_id) if event.assessment_id is not None else None
            row.context = _context(event, lookups)
            row.changes = _changes(event, lookups)
        rows.append(row)
    return rows
