"""Keeps the search index in step with the assessments, in the same transaction as the change.

Why a session event rather than calls in each operation: every write of the texts — the proposal page, a ground's
page, a new version (a copy), deleting a draft, the demo data, the admins' tools and the tests' factories — goes
through a flush of the ORM session, so one ``after_flush`` listener sees them all, including write paths added
later, and cannot be forgotten by one of them. It notes which assessments' texts changed; just before COMMIT the
transaction re-reads those assessments' texts with the same function a full rebuild uses and rewrites their
index rows, so an index row is always exactly what a rebuild would write, and it commits or rolls back with the
change. Statements that bypass the ORM (the backup import, the benchmark's bulk load) call ``rebuild`` themselves.

Why at commit and not at each flush: the index rows are then the last rows a writing transaction locks (as the
dashboard's summary rows are, impact/reports/derived.py), so two transactions never wait for each other's index
rows in opposite orders; and on PostgreSQL the rows are locked *before* the texts are read, so a transaction that
waited for another one's index row reads that one's committed texts and never writes back older ones.
"""

import re
from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from impact.assessments.models import Assessment, GroundAnswer
from impact.assessments.search import schema
from impact.core.db import db

BATCH = 500
schema.register_ddl(Assessment.__table__)
# The assessment's texts the index holds, and a ground answer's.
ASSESSMENT_TEXTS = ("case_number", "title", "description", "purpose", "concerns")
ANSWER_TEXTS = ("affected_groups", "evidence")
# Control characters never belong in the indexed text; two of them mark the matched words in highlights.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_WORD = re.compile(r"\W+")


def clean(text: str | None) -> str:
    return _CONTROL.sub(" ", text or "").strip()


def _joined(parts: Iterable[str | None]) -> str:
    return "\n\n".join(text for text in (clean(part) for part in parts) if text)


def _documents(connection: sa.Connection, ids: list[int]) -> Iterator[dict]:
    """The index rows of the assessments ``ids`` (those that still exist), read from the database as it is now."""
    answers: dict[int, list[str]] = {}
    rows = connection.execute(
        sa.select(GroundAnswer.assessment_id, *(getattr(GroundAnswer, name) for name in ANSWER_TEXTS))
        .where(GroundAnswer.assessment_id.in_(ids))
        .order_by(GroundAnswer.assessment_id, GroundAnswer.id)
    )
    for assessment_id, *texts in rows:
        answers.setdefault(assessment_id, []).extend(texts)
    assessments = connection.execute(
        sa.select(Assessment.id, *(getattr(Assessment, name) for name in ASSESSMENT_TEXTS))
        .where(Assessment.id.in_(ids))
        .order_by(Assessment.id)
    )
    for assessment_id, case_number, title, description, purpose, concerns in assessments:
        yield {
            "assessment_id": assessment_id,
            # "2026-00123" is searched as the words 2026 and 00123 on both databases (PostgreSQL's parser would
            # read "-00123" as a negative number).
            "case_number": _NOT_WORD.sub(" ", case_number or "").strip(),
            "title": clean(title),
            "proposal": _joined((description, purpose, concerns)),
            "answers": _joined(answers.get(assessment_id, ())),
        }


def refresh(connection: sa.Connection, ids: Iterable[int]) -> None:
    """Rewrite the index rows of the assessments ``ids``: a deleted one loses its row."""
    table = schema.table_for(connection.dialect.name)
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), BATCH):
        batch = ordered[start : start + BATCH]
        if connection.dialect.name == "postgresql":
            # Lock first (in id order), read after: see the module's docstring. SQLite has one writer at a time.
            locked = sa.select(table.c.assessment_id).where(table.c.assessment_id.in_(batch))
            connection.execute(locked.order_by(table.c.assessment_id).with_for_update())
        connection.execute(table.delete().where(table.c.assessment_id.in_(batch)))
        rows = list(_documents(connection, batch))
        if rows:
            connection.execute(table.insert(), rows)


def rebuild(connection: sa.Connection) -> int:
    """Empty the index and write every assessment's row again; return how many were written."""
    table = schema.table_for(connection.dialect.name)
    connection.execute(table.delete())
    count, last = 0, 0
    while True:
        batch = sa.select(Assessment.id).where(Assessment.id > last).order_by(Assessment.id).limit(BATCH)
        ids = list(connection.scalars(batch))
        if not ids:
            return count
        rows = list(_documents(connection, ids))
        connection.execute(table.insert(), rows)
        count += len(rows)
        last = ids[-1]


def rebuild_in_session() -> int:
    """``rebuild`` in the session's transaction (for a bulk load that bypassed the ORM, such as the benchmark's)."""
    return rebuild(db.session.connection())


def contents(connection: sa.Connection) -> list[tuple]:
    """Every index row as a tuple, in id order (to compare the index with a rebuild)."""
    table = schema.table_for(connection.dialect.name)
    columns = [table.c.assessment_id, *(table.c[name] for name in schema.COLUMNS)]
    return [tuple(row) for row in connection.execute(sa.select(*columns).order_by(table.c.assessment_id))]


def _changed(obj, names: Iterable[str]) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def changed_ids(session: Session) -> set[int]:
    """Ids of the assessments whose indexed text the flush under way writes (called after it, when new rows have
    their ids and the session's lists and histories still describe what was flushed)."""
    ids: set[int] = set()
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, Assessment):
            ids.add(obj.id)
        elif isinstance(obj, GroundAnswer):
            ids.add(obj.assessment_id)
    for obj in session.dirty:
        if isinstance(obj, Assessment) and _changed(obj, ASSESSMENT_TEXTS):
            ids.add(obj.id)
        elif isinstance(obj, GroundAnswer) and _changed(obj, (*ANSWER_TEXTS, "assessment_id")):
            history = sa.inspect(obj).attrs.assessment_id.history
            ids.update((*history.deleted, obj.assessment_id))
    ids.discard(None)
    return ids


_PENDING = "search_index_pending"


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if ids := changed_ids(session):
        session.info.setdefault(_PENDING, set()).update(ids)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """Rewrite the changed assessments' index rows, as the last statements before COMMIT."""
    session.flush()  # the last changes, noted by _after_flush
    if ids := session.info.pop(_PENDING, None):
        refresh(session.connection(), ids)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


def pending(session: Session) -> set[int]:
    """The assessments whose index rows this transaction rewrites when it commits."""
    return set(session.info.get(_PENDING, ()))


class UnindexedBulkChange(RuntimeError):
    """A bulk UPDATE through the session would change searched texts without the flush that keeps the index."""


@event.listens_for(Session, "do_orm_execute")
def _refuse_unindexed_bulk_update(state) -> None:
    """Refuse a bulk UPDATE that sets a searched text (bulk INSERT and DELETE on these tables are refused already by
    the summary tables' guard, impact/reports/derived.py); call ``refresh`` for the rows if one is ever needed."""
    if not state.is_update:
        return
    table = getattr(getattr(state.statement, "table", None), "name", None)
    searched = {Assessment.__tablename__: ASSESSMENT_TEXTS, GroundAnswer.__tablename__: ANSWER_TEXTS}.get(table)
    if not searched:
        return
    values = state.statement._values or dict(state.statement._ordered_values or ())
    changed = {key if isinstance(key, str) else key.key for key in values}
    if changed & set(searched):
        raise UnindexedBulkChange(f"A bulk UPDATE of {table} would change searched texts without the search index.")
