"""Changing settings; every change is written to the audit trail with its before and after."""

import sqlalchemy as sa

from impact.audit import trail
from impact.core.db import db
from impact.settings.models import Setting, get_setting


def set_settings(values: dict[str, str], actor) -> dict[str, dict]:
    """Store each changed ``key: value``; returns the diff recorded in the audit trail (empty if nothing changed)."""
    before = {key: get_setting(key, default="") for key in values}
    changes = trail.diff(before, values)
    if not changes:
        return {}
    rows = {row.key: row for row in db.session.scalars(sa.select(Setting).where(Setting.key.in_(list(changes))))}
    for key in changes:
        row = rows.get(key) or Setting(key=key)
        row.value = values[key]
        row.updated_by_id = actor.id
        db.session.add(row)
    db.session.flush()
    trail.record("settings.update", None, actor=actor, changes=changes)
    return changes
