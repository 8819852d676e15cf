"""Writing and verifying the audit trail."""

import hashlib
import json
from typing import Any

import sqlalchemy as sa

from impact.audit.models import GENESIS_HASH, AuditEvent
from impact.core.db import db, utcnow

# Any constant works; it names the lock that serialises writers of the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 7_263_001


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "assessment_id": event.assessment_id,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":")).encode()


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _last_hash() -> str:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK_KEY})
    last = db.session.scalar(sa.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    return last or GENESIS_HASH


def record(
    action: str,
    obj: Any = None,
    *,
    actor=None,
    changes: dict[str, Any] | None = None,
    assessment_id: int | None = None,
) -> AuditEvent:
    """Append an event for ``obj`` (flushes it first so it has an id). Never commits."""
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    object_type = obj.__tablename__ if obj is not None else "system"
    if assessment_id is None and object_type == "assessments":
        assessment_id = obj.id
    event = AuditEvent(
        created_at=utcnow(),
        actor_id=getattr(actor, "id", None) if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=getattr(obj, "id", None),
        assessment_id=assessment_id,
        changes=json.loads(json.dumps(changes or {}, default=str)),
    )
    event.prev_hash = _last_hash()
    event.hash = compute_hash(event)
    db.session.add(event)
    db.session.flush()
    return event


def first_broken_link() -> AuditEvent | None:
    """Walk the chain in order; return the first event whose hash or link does not hold, or None."""
    expected_prev = GENESIS_HASH
    query = sa.select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=1000)
    events = db.session.scalars(query)
    try:
        for event in events:
            if event.prev_hash != expected_prev or compute_hash(event) != event.hash:
                return event
            expected_prev = event.hash
    finally:
        events.close()  # a server-side cursor on PostgreSQL must not outlive an early return
    return None


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields that changed, as {field: {"before": ..., "after": ...}}."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }
