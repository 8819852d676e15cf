"""The search index's structures: a table with a generated ``tsvector`` on PostgreSQL, an FTS5 table on SQLite.

One row per assessment holds the texts that are searched, split into columns that weigh differently: the case
number and the title most, then the proposal (description, purpose, who it concerns), then what the grounds say
(affected groups and evidence). The rows are written by ``impact.assessments.search.index`` in the transaction that
changes the texts. The structures are not in the models' metadata (an FTS5 table cannot be described there); they
are made by migration ``search_01`` and, for ``create_all`` (the tests), by the DDL listeners below.
"""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

NAME = "assessment_search"
# The columns in their order, which is also FTS5's column numbering (highlight() and snippet() count from 0).
COLUMNS = ("case_number", "title", "proposal", "answers")
# PostgreSQL's text search configuration: Swedish stemming and stop words.
CONFIG = "swedish"
# The FTS5 tables SQLite keeps behind the virtual table; never compared with the models.
SQLITE_SHADOW_TABLES = frozenset(f"{NAME}_{suffix}" for suffix in ("data", "idx", "content", "docsize", "config"))
TABLE_NAMES = frozenset({NAME}) | SQLITE_SHADOW_TABLES

POSTGRESQL_CREATE = (
    f"""
    CREATE TABLE {NAME} (
        assessment_id integer PRIMARY KEY REFERENCES assessments (id) ON DELETE CASCADE,
        case_number text NOT NULL DEFAULT '',
        title text NOT NULL DEFAULT '',
        proposal text NOT NULL DEFAULT '',
        answers text NOT NULL DEFAULT '',
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('{CONFIG}'::regconfig, case_number), 'A')
            || setweight(to_tsvector('{CONFIG}'::regconfig, title), 'A')
            || setweight(to_tsvector('{CONFIG}'::regconfig, proposal), 'B')
            || setweight(to_tsvector('{CONFIG}'::regconfig, answers), 'C')
        ) STORED
    )
    """,
    f"CREATE INDEX ix_{NAME}_document ON {NAME} USING gin (document)",
)
# unicode61 folds case in every script; diacritics are kept, since å, ä and ö are letters of their own in Swedish.
SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {NAME} USING fts5({', '.join(COLUMNS)}, tokenize = 'unicode61 remove_diacritics 0')",
)
DROP = (f"DROP TABLE IF EXISTS {NAME}",)

_metadata = sa.MetaData()
# How queries see the index on each database; on SQLite the assessment's id is the FTS5 rowid.
POSTGRESQL_TABLE = sa.Table(
    NAME,
    _metadata,
    sa.Column("assessment_id", sa.Integer, primary_key=True),
    *(sa.Column(name, sa.Text) for name in COLUMNS),
    sa.Column("document", postgresql.TSVECTOR),
)
SQLITE_TABLE = sa.Table(
    NAME,
    sa.MetaData(),
    sa.Column("rowid", sa.Integer, key="assessment_id", primary_key=True),
    *(sa.Column(name, sa.Text) for name in COLUMNS),
)


def table_for(dialect_name: str) -> sa.Table:
    return POSTGRESQL_TABLE if dialect_name == "postgresql" else SQLITE_TABLE


def create_statements(dialect_name: str) -> tuple[str, ...]:
    return POSTGRESQL_CREATE if dialect_name == "postgresql" else SQLITE_CREATE


def create(connection: sa.Connection) -> None:
    for statement in create_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def drop(connection: sa.Connection) -> None:
    for statement in DROP:
        connection.exec_driver_sql(statement)


def exists(connection: sa.Connection) -> bool:
    return sa.inspect(connection).has_table(NAME)


def include_name(name: str | None, type_: str, _parent_names) -> bool:
    """For Alembic's comparison with the models: every table but the search index and SQLite's shadow tables."""
    return not (type_ == "table" and name in TABLE_NAMES)


def register_ddl(assessments: sa.Table) -> None:
    """Make ``create_all``/``drop_all`` create and drop the index with the assessments table (before it, on drop:
    the PostgreSQL table refers to it)."""
    sa.event.listen(assessments, "after_create", lambda _target, connection, **_kw: create(connection))
    sa.event.listen(assessments, "before_drop", lambda _target, connection, **_kw: drop(connection))


def clear(connection: sa.Connection) -> None:
    """Delete every row of the index (the tests empty the database between tests; the FTS5 table has no cascade)."""
    if exists(connection):
        connection.execute(table_for(connection.dialect.name).delete())
