"""Keeps the search index in step with the assessments, in the same transaction as the change.

Why a session event rather than calls in each operation: every write of the texts — the proposal page, a ground's
page, a new version (a copy), deleting a draft, the demo data, the admins' tools and the tests' factories — goes
through a flush of the ORM session, so one ``after_flush`` listener sees them all, including write paths added
later, and cannot be forgotten by one of them. After the flush the rows are in the database (with the ids of new
ones), so the listener re-reads the changed assessments' texts with the same function a full rebuild uses: the
index row of an assessment is always exactly what a rebuild would write. Statements that bypass the ORM (the
backup import, the benchmark's bulk load) call ``rebuild`` themselves.
"""

import re
from collections.abc import Iterable, Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from impact.assessments.models import Assessment, GroundAnswer
from impact.core.db import db
from impact.search import schema

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


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    if ids := changed_ids(session):
        refresh(session.connection(), ids)


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
