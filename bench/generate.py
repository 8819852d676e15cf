"""Generate a realistic data set in bulk: ``python -m bench.generate --assessments 100000 --database-url URL``.

The schema comes from the migrations (``flask db upgrade`` on an empty database); the grounds, departments and
districts from the app's own seed functions; everything else from ``bench.data`` in batches: COPY on PostgreSQL,
one ``executemany`` transaction with ``PRAGMA synchronous=OFF`` on SQLite.
"""

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import sqlalchemy as sa

from bench.data import BENCH_PASSWORD, TABLE_ORDER, Batch, Context, Generator

BENCH_DIR = Path(__file__).resolve().parent
# Production's Argon2id parameters, so that logging in under the benchmark costs what it costs in production.
PRODUCTION_ARGON2 = {"ARGON2_TIME_COST": 3, "ARGON2_MEMORY_COST": 65536, "ARGON2_PARALLELISM": 4}
# HOOK: the bulk load bypasses the ORM, so anything the app derives on save (a summary table, a search index)
# is not written. Name here, as "module:function", what rebuilds it; each is called in the app context after
# the load and before ANALYZE, e.g. "impact.reports.derived:rebuild_all".
POST_LOAD_HOOKS: list[str] = [
    "impact.reports.derived:rebuild_all",
    "impact.assessments.search.index:rebuild_in_session",
    # The example key figures for the districts and areas, shown on the grounds the demo chooses.
    "impact.demo.indicators:ensure_demo_indicators",
]


@dataclass
class LoadStats:
    assessments: int
    rows: int
    seconds: float
    per_table: dict[str, int]

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def make_app(database_url: str):
    """An Impact app bound to ``database_url`` (no instance files written, production password hashing)."""
    from config import normalize_database_url
    from impact import create_app

    overrides = {"SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url), "TESTING": False, **PRODUCTION_ARGON2}
    return create_app("testing", overrides)


def _sqlite_value(value):
    """What SQLAlchemy itself would store on SQLite: naive UTC text timestamps, ISO dates, 0/1, JSON text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _write(connection: sa.Connection, table: str, rows: list[dict]) -> None:
    columns = list(rows[0])
    raw = connection.connection.driver_connection
    if connection.dialect.name == "postgresql":
        from psycopg.types.json import Json

        names = ", ".join(f'"{column}"' for column in columns)
        with raw.cursor() as cursor, cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([Json(v) if isinstance(v, dict) else v for v in (row[c] for c in columns)])
    else:
        placeholders = ", ".join("?" for _ in columns)
        names = ", ".join(f'"{column}"' for column in columns)
        raw.executemany(
            f'INSERT INTO "{table}" ({names}) VALUES ({placeholders})',  # noqa: S608 (names come from our own dicts)
            [tuple(_sqlite_value(row[c]) for c in columns) for row in rows],
        )


def _write_batch(connection: sa.Connection, batch: Batch, counts: dict[str, int]) -> None:
    for table in TABLE_ORDER:
        rows = batch.rows.get(table)
        if rows:
            _write(connection, table, rows)
            counts[table] = counts.get(table, 0) + len(rows)


def _context(connection: sa.Connection, password_hash: str) -> Context:
    from impact.audit.models import GENESIS_HASH, AuditEvent
    from impact.grounds.models import Ground, TemplateStatus, TemplateVersion
    from impact.org.models import Area, Department, District

    version_id = connection.scalar(
        sa.select(TemplateVersion.id)
        .where(TemplateVersion.status == TemplateStatus.published)
        .order_by(TemplateVersion.number.desc())
        .limit(1)
    )
    grounds = connection.execute(
        sa.select(Ground.id, Ground.key).where(Ground.template_version_id == version_id).order_by(Ground.position)
    ).all()
    departments = connection.execute(
        sa.select(Department.id, Department.code, Department.committee).order_by(Department.id)
    ).all()
    districts = list(connection.scalars(sa.select(District.id).order_by(District.id)))
    areas = [tuple(row) for row in connection.execute(sa.select(Area.id, Area.district_id).order_by(Area.id))]
    next_ids = {
        table: (connection.scalar(sa.text(f'SELECT max(id) FROM "{table}"')) or 0) + 1  # noqa: S608
        for table in (
            "users",
            "assessments",
            "ground_answers",
            "mitigations",
            "committee_decisions",
            "committee_cases",
            "audit_events",
        )
    }
    last_hash = (
        connection.scalar(
            sa.select(AuditEvent.hash)
            .where(AuditEvent.chain_position.is_not(None))
            .order_by(AuditEvent.chain_position.desc())
            .limit(1)
        )
        or GENESIS_HASH
    )
    return Context(
        template_version_id=version_id,
        grounds=[tuple(row) for row in grounds],
        departments=[tuple(row) for row in departments],
        districts=districts,
        areas=areas,
        next_ids=next_ids,
        last_hash=last_hash,
        password_hash=password_hash,
    )


def _reset_sequences(connection: sa.Connection) -> None:
    """COPY with explicit ids leaves PostgreSQL's sequences behind; move them past the largest id."""
    if connection.dialect.name != "postgresql":
        return
    for table in (
        "users",
        "assessments",
        "ground_answers",
        "mitigations",
        "committee_decisions",
        "committee_cases",
        "audit_events",
    ):
        connection.execute(
            sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1)) FROM \"{table}\"")  # noqa: S608
        )


def seed_reference_data() -> None:
    """Grounds, departments, districts and their areas through the app's own seed functions (idempotent). Commits."""
    from impact.core.db import db
    from impact.demo.organisation import ensure_areas, ensure_departments, ensure_districts
    from impact.grounds.defaults import install_default_template

    install_default_template()
    ensure_departments()
    ensure_areas(ensure_districts())
    db.session.commit()


def generate(size: int, *, seed: int = 2026, batch_size: int = 2000, progress=None) -> LoadStats:
    """Add ``size`` assessments (and their users, answers, mitigations, events) to the app's database.

    Call inside an app context on a migrated schema. Reference data is seeded first if missing.
    """
    from impact.auth.passwords import hash_password
    from impact.core.db import db

    seed_reference_data()
    started = time.perf_counter()
    counts: dict[str, int] = {}
    engine = db.engine
    with engine.begin() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Durability is not needed while loading; the file is thrown away on failure.
            connection.exec_driver_sql("PRAGMA synchronous=OFF")
            # Random keys (hashes, case numbers) thrash the default 2 MB page cache once indexes outgrow it.
            connection.exec_driver_sql("PRAGMA cache_size=-262144")
        generator = Generator(
            _context(connection, hash_password(BENCH_PASSWORD)), size, seed=seed, batch_size=batch_size
        )
        _write_batch(connection, generator.users(), counts)
        for batch in generator.assessments():
            _write_batch(connection, batch, counts)
            if progress:
                progress(counts.get("assessments", 0))
        _reset_sequences(connection)
    _run_post_load_hooks()
    # Fresh planner statistics, as a maintained production database would have; on PostgreSQL also the visibility
    # map that autovacuum keeps (VACUUM, which cannot run in a transaction), without which an index-only scan reads
    # the table too: measuring before autovacuum has run (or where it is off) would time a state production only
    # passes through after a bulk load.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA synchronous=NORMAL")
            connection.exec_driver_sql("ANALYZE")
        else:
            connection.exec_driver_sql("VACUUM ANALYZE")
    seconds = time.perf_counter() - started
    return LoadStats(assessments=size, rows=sum(counts.values()), seconds=seconds, per_table=counts)


def _run_post_load_hooks() -> None:
    import importlib

    from impact.core.db import db

    for spec in POST_LOAD_HOOKS:
        module, _, name = spec.partition(":")
        getattr(importlib.import_module(module), name)()
        db.session.commit()


def migrate_empty() -> None:
    """``flask db upgrade`` on the app's (empty) database."""
    from flask_migrate import upgrade

    upgrade()


def create_database(database_url: str) -> None:
    """Create an empty database: a fresh SQLite file, or a new PostgreSQL database (dropped first if present)."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.database}"')


def build(database_url: str, size: int, *, seed: int = 2026, quiet: bool = False) -> LoadStats:
    """Create, migrate and fill a database from scratch; print and return the load figures."""
    create_database(database_url)
    app = make_app(database_url)
    with app.app_context():
        migrate_empty()

        def progress(done: int) -> None:
            if not quiet:
                print(f"  {done:>9,} assessments", end="\r", file=sys.stderr, flush=True)

        stats = generate(size, seed=seed, progress=progress)
        from impact.core.db import db

        db.engine.dispose()
    if not quiet:
        print(file=sys.stderr)
        print(
            f"Loaded {stats.assessments:,} assessments, {stats.rows:,} rows in {stats.seconds:.1f} s "
            f"({stats.rows_per_second:,.0f} rows/s): "
            + ", ".join(f"{table} {count:,}" for table, count in stats.per_table.items())
        )
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=10_000, help="number of assessments (default 10000)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="sqlite:///path or postgresql://user@host/dbname; the database is (re)created empty first",
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url (or DATABASE_URL) is required")
    build(args.database_url, args.assessments, seed=args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
