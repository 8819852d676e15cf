"""Summary tables derived from the assessments, kept exact in the same transaction as every change.

A derived table holds counts under a key (department, status, creation month, ...). Each one says, as a SELECT
grouped by its key, what a set of assessments contributes to it. Every ORM flush that touches an assessment, a
ground answer or a mitigation subtracts what the touched assessments contributed before the flush and adds what
they contribute after it, so the tables are exact whatever operation made the change (saving a ground, a status
transition, a department change, a deletion). The changes of all flushes are summed and written when the
transaction commits, as upserts in one fixed order (see ``_before_commit``): two transactions creating the same
key at once both count, and they never deadlock on the summary rows. Bulk loads that bypass the ORM call
``rebuild_all``.
"""

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from impact.assessments.models import Assessment, GroundAnswer, Mitigation
from impact.core.db import db
from impact.core.timefmt import register_sqlite_functions

_PENDING = "derived_tables_before"
_RECOUNTING = "derived_tables_recounting"
_CHANGES = "derived_tables_changes"


@dataclass(frozen=True)
class DerivedTable:
    """``contributions(where)`` selects the key columns, then the value columns, grouped by the key, for the
    assessments ``where`` selects (all when None). ``drop_empty``: a row whose values all fall to 0 is deleted (for
    a table keyed by assessment, whose rows would otherwise pile up as zeros)."""

    table: sa.Table
    key: tuple[str, ...]
    values: tuple[str, ...]
    contributions: Callable[[sa.ColumnElement[bool] | None], sa.Select]
    drop_empty: bool = False


TABLES: list[DerivedTable] = []
# The models whose rows the derived tables count; a change to one of them may change a count.
COUNTED_MODELS = (Assessment, GroundAnswer, Mitigation)


def register(table: DerivedTable) -> DerivedTable:
    TABLES.append(table)
    read_columns.cache_clear()
    counted_columns.cache_clear()
    return table


def _counted(session: Session, ids: set[int]) -> dict[str, Counter]:
    """Per table, {(key..., value name): count} that the assessments ``ids`` contribute."""
    counted = {}
    for derived in TABLES:
        counter: Counter = Counter()
        if ids:
            rows = session.execute(derived.contributions(Assessment.id.in_(sorted(ids))))
            width = len(derived.key)
            for row in rows:
                key = tuple(getattr(value, "value", value) for value in row[:width])
                for name, value in zip(derived.values, row[width:], strict=True):
                    counter[(*key, name)] += int(value or 0)
        counted[derived.table.name] = counter
    return counted


def _columns_read(statement: sa.Select) -> set[tuple[str, str]]:
    """(table, column) of every column a statement reads, in its subqueries too."""
    return {
        (element.table.name, element.name)
        for element in sa.sql.visitors.iterate(statement)
        if isinstance(element, sa.Column) and element.table is not None
    }


@functools.cache
def read_columns() -> frozenset[tuple[str, str]]:
    """(table, column) of every column some derived table is computed from."""
    return frozenset(set().union(*(_columns_read(derived.contributions(None)) for derived in TABLES)))


@functools.cache
def counted_columns() -> dict[type, frozenset[str]]:
    """Per model, the attributes some derived table is computed from, read off the tables' own definitions.

    A changed object that changed none of them (a text field, a timestamp, a lock version) cannot change a count,
    so its flush costs no recount; a new derived table that reads another column is covered without more code.
    A many-to-many link (an assessment's districts) counts when its association table is read.
    """
    read = read_columns()
    counted = {}
    for model in COUNTED_MODELS:
        mapper = sa.inspect(model)
        names = {
            prop.key
            for prop in mapper.column_attrs
            if any((column.table.name, column.name) in read for column in prop.columns)
        }
        names.update(
            relationship.key
            for relationship in mapper.relationships
            if relationship.secondary is not None
            and any((relationship.secondary.name, column.name) in read for column in relationship.secondary.c)
        )
        counted[model] = frozenset(names)
    return counted


def _counted_change(obj) -> bool:
    columns = counted_columns().get(type(obj))
    if columns is None:
        return False
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in columns)


def _assessment_ids(session: Session) -> set[int]:
    """Ids of the assessments whose contributions this flush may change."""
    ids = set()
    changed = [obj for obj in session.dirty if _counted_change(obj)]
    for obj in (*session.new, *changed, *session.deleted):
        if isinstance(obj, Assessment) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, GroundAnswer):
            if obj.assessment_id is not None:
                ids.add(obj.assessment_id)
            elif obj.assessment is not None and obj.assessment.id is not None:
                ids.add(obj.assessment.id)
        elif isinstance(obj, Mitigation):
            assessment = obj.__dict__.get("assessment")  # loaded already, or the assessment id is enough
            if obj.assessment_id is not None:
                ids.add(obj.assessment_id)
            elif assessment is not None and assessment.id is not None:
                ids.add(assessment.id)
    return ids


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    with session.no_autoflush:
        ids = _assessment_ids(session)
        session.info[_PENDING] = (ids, _counted(session, ids))


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    before_ids, before = session.info.pop(_PENDING, (set(), {}))
    after = _counted(session, before_ids | _assessment_ids(session))
    changes = session.info.setdefault(_CHANGES, {})
    for derived in TABLES:
        delta = Counter(after[derived.table.name])
        delta.subtract(before.get(derived.table.name, Counter()))
        for (*key, name), change in delta.items():
            if change:
                row = changes.setdefault((derived.table.name, tuple(key)), Counter())
                row[name] += change


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """Write the transaction's summed changes to the summary rows, as the last statements before COMMIT.

    Lock order: a writing transaction locks the rows of its own assessments, answers and mitigations as it goes,
    takes no lock for its audit events (impact/audit/trail.py), and locks summary rows only here, in one global
    order (tables in registration order, keys sorted). Two transactions therefore never wait for each other's
    summary rows in opposite orders, and a summary row is held only for the moment of the commit.
    """
    session.flush()  # the last changes' counts, before they are written
    changes = session.info.pop(_CHANGES, None)
    if not changes:
        return
    for derived in TABLES:
        keys = sorted(key for table, key in changes if table == derived.table.name)
        for key in keys:
            change = {name: value for name, value in changes[(derived.table.name, key)].items() if value}
            if change:
                _add(session, derived, dict(zip(derived.key, key, strict=True)), change)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGES, None)
    session.info.pop(_PENDING, None)


def pending_changes(session: Session) -> dict[tuple[str, tuple], Counter]:
    """The changes this transaction will write to the summary rows when it commits (empty when none)."""
    return session.info.get(_CHANGES, {})


def _add(session: Session, derived: DerivedTable, key: dict, change: dict[str, int]) -> None:
    """Add ``change`` to the row at ``key``, creating it if it does not exist (atomically)."""
    table = derived.table
    insert = (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(table)
    values = {name: change.get(name, 0) for name in derived.values}
    statement = insert.values(**key, **values).on_conflict_do_update(
        index_elements=list(derived.key),
        set_={name: table.c[name] + insert.excluded[name] for name in change},
    )
    session.execute(statement)
    if derived.drop_empty and any(value < 0 for value in change.values()):
        session.execute(
            table.delete().where(
                *(table.c[name] == value for name, value in key.items()),
                *(table.c[name] == 0 for name in derived.values),
            )
        )


class UncountedBulkChange(RuntimeError):
    """A bulk INSERT, UPDATE or DELETE through the session would change what the summary tables count without
    passing through the flush that keeps them exact."""


@event.listens_for(Session, "do_orm_execute")
def _refuse_uncounted_bulk_change(state) -> None:
    """Refuse a bulk statement on a table the summary tables are computed from, unless ``recounting`` is on.

    An UPDATE that sets only columns no derived table reads (a timestamp) is fine: it cannot change a count.
    """
    if not (state.is_insert or state.is_update or state.is_delete) or state.session.info.get(_RECOUNTING):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    read = read_columns()
    if name not in {table_name for table_name, _column in read}:
        return
    if state.is_update:
        values = state.statement._values or dict(state.statement._ordered_values or ())
        changed = {key if isinstance(key, str) else key.key for key in values}
        if not any((name, column) in read for column in changed):
            return
    raise UncountedBulkChange(
        f"A bulk statement on {name} would bypass the dashboard's summary tables: "
        "change rows through the ORM, or run it inside derived.recounting()."
    )


@contextmanager
def recounting(session: Session | None = None) -> Iterator[None]:
    """Allow bulk statements on the counted tables in this block; every derived table is recounted after it."""
    session = session or db.session()
    session.info[_RECOUNTING] = True
    try:
        yield
    finally:
        session.info.pop(_RECOUNTING, None)
    rebuild_all()


def schema_is_current(connection: sa.Connection) -> bool:
    """Whether the database has every column the derived tables are computed from and made of. A migration half-way
    up the chain may not: its recount is then left to the later migration that adds the last of them."""
    inspector = sa.inspect(connection)
    needed = set(read_columns()) | {
        (derived.table.name, column.name) for derived in TABLES for column in derived.table.c
    }
    found: dict[str, set[str]] = {}
    for table, column in needed:
        if table not in db.metadata.tables:
            continue  # a subquery's name, not a table
        if table not in found:
            found[table] = (
                {info["name"] for info in inspector.get_columns(table)} if inspector.has_table(table) else set()
            )
        if column not in found[table]:
            return False
    return True


def rebuild_all(connection: sa.Connection | None = None) -> None:
    """Recount every derived table from the base tables (after a bulk load or an import that bypassed the ORM), in
    the session's transaction or on ``connection`` (a migration's)."""
    target = db.session if connection is None else connection
    for derived in TABLES:
        target.execute(derived.table.delete())
        target.execute(derived.table.insert().from_select([*derived.key, *derived.values], derived.contributions(None)))


def recount_in_migration(connection: sa.Connection) -> None:
    """A migration's recount of every derived table from the data already there, with today's definitions.

    On an empty database (a new installation, the tests) there is nothing to count and nothing is done. Where
    today's definitions read a column or table a later migration adds, the recount is left to that migration, which
    calls this too.
    """
    if connection.scalar(sa.text("SELECT 1 FROM assessments LIMIT 1")) is None:
        return
    if not schema_is_current(connection):
        return
    if connection.dialect.name == "sqlite":  # the local-time function the definitions count months with
        register_sqlite_functions(connection.connection.driver_connection)
    rebuild_all(connection)
