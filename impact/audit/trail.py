"""Writing, sealing and verifying the audit trail.

Writing takes no lock. ``record`` inserts the event with no place in the chain yet, inside the writer's own
transaction, so a request never waits for another request's audit events (the chain is not a serialization
point for writes, and its lock can never be part of a deadlock with the rows a request changes).

Sealing links the committed events into the hash chain, one after the other in the order of their ids, in a short
transaction of its own that holds nothing but the sealing lock: each event gets the next chain position, the
previous event's hash and its own hash. Events are sealed right after the transaction that wrote them commits
(``after_commit``), and before anyone reads the chain (``audit verify``, the auditors' trail). Only one sealer runs
at a time (an advisory lock on PostgreSQL, the database's single writer on SQLite); a writer whose seal finds the
lock taken leaves its events to that sealer or the next one. An event committed after a running sealer looked
waits, unsealed, for the next write or read: it is never lost, and its content is part of the chain from then on.

The unique ``prev_hash`` and ``chain_position`` make a fork fail instead of silently branching.
"""

import hashlib
import json
import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session

from impact.audit.models import GENESIS_HASH, AuditEvent
from impact.core.db import db, utcnow

log = logging.getLogger(__name__)

# Any constant works; it names the lock that lets one sealer at a time extend the chain on PostgreSQL.
_SEAL_LOCK_KEY = 7_263_001
_UNSEALED = "audit_events_unsealed"
SEAL_BATCH = 1000


def _canonical(event: Any) -> bytes:
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


def compute_hash(event: Any) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(
    action: str,
    obj: Any = None,
    *,
    actor=None,
    changes: dict[str, Any] | None = None,
    assessment_id: int | None = None,
) -> AuditEvent:
    """Append an event for ``obj`` (flushes it first so it has an id), to be sealed after commit. Never commits."""
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
    db.session.add(event)
    db.session.flush()
    db.session.info[_UNSEALED] = True
    return event


_CONTENT = ("id", "created_at", "actor_id", "action", "object_type", "object_id", "assessment_id", "changes")


def seal(engine: sa.Engine | None = None, *, wait: bool = True) -> int:
    """Link every committed, unsealed event into the chain in id order; return how many were sealed.

    Runs in its own transaction. With ``wait=False`` it returns 0 at once when another sealer holds the lock.
    """
    with (engine or db.engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            # The only lock this transaction takes before it reads the chain's end, so sealers queue on it alone.
            lock = "pg_advisory_xact_lock" if wait else "pg_try_advisory_xact_lock"
            if connection.scalar(sa.text(f"SELECT {lock}(:key)"), {"key": _SEAL_LOCK_KEY}) is False:
                return 0
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock first: the chain's end cannot move
        return extend_chain(connection)


def extend_chain(connection: sa.Connection) -> int:
    """Seal the unsealed events visible to ``connection``'s transaction, which must keep other sealers out."""
    table = AuditEvent.__table__
    end = connection.execute(
        sa.select(table.c.chain_position, table.c.hash)
        .where(table.c.chain_position.is_not(None))
        .order_by(table.c.chain_position.desc())
        .limit(1)
    ).first()
    position, last_hash = (end.chain_position, end.hash) if end else (0, GENESIS_HASH)
    sealed = 0
    while True:
        rows = connection.execute(
            sa.select(*(table.c[name] for name in _CONTENT))
            .where(table.c.chain_position.is_(None))
            .order_by(table.c.id)
            .limit(SEAL_BATCH)
        ).all()
        if not rows:
            return sealed
        updates = []
        for row in rows:
            position += 1
            digest = compute_hash(_Unsealed(row, last_hash))
            updates.append({"row_id": row.id, "position": position, "prev": last_hash, "digest": digest})
            last_hash = digest
        connection.execute(
            table.update()
            .where(table.c.id == sa.bindparam("row_id"))
            .values(
                chain_position=sa.bindparam("position"), prev_hash=sa.bindparam("prev"), hash=sa.bindparam("digest")
            ),
            updates,
        )
        sealed += len(rows)


class _Unsealed:
    """An event row as ``compute_hash`` reads it, with the link it is about to get."""

    def __init__(self, row: sa.Row, prev_hash: str):
        self.__dict__.update(row._mapping)
        self.prev_hash = prev_hash


@orm_event.listens_for(Session, "after_commit")
def _seal_after_commit(session: Session) -> None:
    if not session.info.pop(_UNSEALED, False):
        return
    bind = session.get_bind()
    try:
        seal(bind if isinstance(bind, sa.Engine) else bind.engine, wait=False)
    except sa.exc.SQLAlchemyError:
        # The writer's transaction has committed; its events stay unsealed for the next sealer, which loses nothing.
        log.warning("sealing the audit trail after a commit failed; the next seal links these events", exc_info=True)


@orm_event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_UNSEALED, None)


def unsealed_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.chain_position.is_(None))) or 0


def first_broken_link() -> AuditEvent | None:
    """Seal what is committed, then walk the chain in order; return the first event whose hash or link does not
    hold, or None."""
    seal()
    expected_prev = GENESIS_HASH
    query = (
        sa.select(AuditEvent)
        .where(AuditEvent.chain_position.is_not(None))
        .order_by(AuditEvent.chain_position)
        .execution_options(yield_per=1000)
    )
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
