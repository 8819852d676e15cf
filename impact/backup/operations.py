"""Export every table of the metadata to a backup file, and import one into an empty migrated database."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from impact.assessments.search import index as search_index
from impact.backup.archive import ArchiveReader, ArchiveWriter, BackupError
from impact.backup.codec import decode, encode
from impact.core.db import db, utcnow

BATCH = 1000
# Tables a migration fills with first rows (the kinds of group that consultations hear): a freshly migrated database
# has them, so they count as empty, and an import replaces them with the backup's.
SEEDED_BY_MIGRATIONS = frozenset({"group_kinds"})


def _tables() -> list[sa.Table]:
    """Every table of the app, parents before children (tables added later by any feature are included)."""
    return list(db.metadata.sorted_tables)


def _ordered(table: sa.Table) -> sa.Select:
    return sa.select(table).order_by(*table.primary_key.columns)


def alembic_revision(connection: sa.Connection) -> str | None:
    if not sa.inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def _encoded_rows(
    connection: sa.Connection, table: sa.Table, on_row: Callable[[], None] | None = None
) -> Iterator[dict[str, Any]]:
    result = connection.execution_options(yield_per=BATCH).execute(_ordered(table))
    for row in result.mappings():
        yield {key: encode(value) for key, value in row.items()}
        if on_row is not None:
            on_row()


def count_rows() -> int:
    """The rows of every table together: the total a background backup's progress counts towards."""
    with db.engine.connect() as connection:
        return sum(connection.scalar(sa.select(sa.func.count()).select_from(table)) for table in _tables())


def export_all(path: Path, on_row: Callable[[], None] | None = None) -> dict[str, int]:
    """Write every table to ``path`` from one consistent read; return the row count of each table. ``on_row`` is
    called after each row written (a background backup's progress, which may stop it there)."""
    counts: dict[str, int] = {}
    with db.engine.connect() as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            # One snapshot for all tables, so rows written meanwhile cannot half-appear.
            connection.execute(sa.text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        elif connection.dialect.name == "sqlite":
            # pysqlite opens no transaction for SELECTs; an explicit one pins a single WAL snapshot for all tables.
            connection.exec_driver_sql("BEGIN")
        meta = {
            "created_at": utcnow().isoformat(),
            "source_dialect": connection.dialect.name,
            "alembic_revision": alembic_revision(connection),
        }
        writer = ArchiveWriter(path, meta)
        try:
            for table in _tables():
                counts[table.name] = writer.write_table(table.name, _encoded_rows(connection, table, on_row))
        finally:
            writer.close()
    return counts


def _self_references(table: sa.Table) -> list[sa.Column]:
    """Columns pointing into their own table: inserted empty first, filled once every row exists."""
    return [fk.parent for fk in table.foreign_keys if fk.column.table is table]


def _check_target(connection: sa.Connection, reader: ArchiveReader) -> None:
    inspector = sa.inspect(connection)
    missing = [table.name for table in _tables() if not inspector.has_table(table.name)]
    if missing:
        raise BackupError(f"The database is not migrated (missing: {', '.join(missing)}). Run 'flask db upgrade'.")
    not_empty = [
        table.name
        for table in _tables()
        if table.name not in SEEDED_BY_MIGRATIONS
        and connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()
    ]
    if not_empty:
        raise BackupError(
            "Import only into an empty database; these tables have rows: " + ", ".join(not_empty) + ". "
            "Create a new database, run 'flask db upgrade', then import."
        )
    unknown = sorted(set(reader.tables) - {table.name for table in _tables()})
    if unknown:
        raise BackupError(f"The backup has tables this version of Impact does not know: {', '.join(unknown)}.")
    source, target = reader.manifest.get("alembic_revision"), alembic_revision(connection)
    if source and target and source != target:
        raise BackupError(f"The backup is of schema revision {source}, this database is at {target}.")


def _insert(connection: sa.Connection, table: sa.Table, rows: Iterator[dict[str, Any]]) -> int:
    deferred = _self_references(table)
    columns = {column.name: column for column in table.columns}
    pending_links: list[dict[str, Any]] = []
    batch: list[dict[str, Any]] = []
    count = 0
    for raw in rows:
        row = {name: decode(columns[name], value) for name, value in raw.items()}
        if deferred and any(row.get(column.name) is not None for column in deferred):
            pending_links.append(dict(row))
            row.update({column.name: None for column in deferred})
        batch.append(row)
        count += 1
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
    # The second write must not let onupdate defaults (updated_at) replace the exported values.
    restated = [column for column in table.columns if column in deferred or column.onupdate is not None]
    for row in pending_links:
        key = sa.and_(*(column == row[column.name] for column in table.primary_key))
        connection.execute(table.update().where(key).values({column.name: row[column.name] for column in restated}))
    return count


def _reset_sequences(connection: sa.Connection) -> None:
    """PostgreSQL hands out ids from sequences, which an insert with explicit ids does not move."""
    for table in _tables():
        for column in table.primary_key.columns:
            if not (column.autoincrement is True or (column.autoincrement == "auto" and len(table.primary_key) == 1)):
                continue
            if not isinstance(column.type, sa.Integer):
                continue
            sequence = connection.execute(
                sa.text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": table.name, "column": column.name}
            ).scalar()
            if sequence is None:
                continue
            highest = sa.func.max(column)
            connection.execute(
                sa.select(sa.func.setval(sequence, sa.func.coalesce(highest, 1), highest.is_not(None))).select_from(
                    table
                )
            )


def import_all(path: Path) -> dict[str, int]:
    """Load ``path`` into the (empty, migrated) database in one transaction; return the rows per table."""
    reader = ArchiveReader(path)
    counts: dict[str, int] = {}
    try:
        with db.engine.connect() as connection, connection.begin():
            _check_target(connection, reader)
            for table in _tables():
                if table.name in SEEDED_BY_MIGRATIONS and table.name in reader.tables:
                    connection.execute(table.delete())  # nothing points at them yet: every other table is empty
            for table in _tables():
                if table.name in reader.tables:
                    counts[table.name] = _insert(connection, table, reader.rows(table.name))
            if connection.dialect.name == "postgresql":
                _reset_sequences(connection)
            # The search index is not in the backup (it is not in the metadata): written from the rows just loaded,
            # in the same transaction.
            search_index.rebuild(connection)
    finally:
        reader.close()
    return counts
