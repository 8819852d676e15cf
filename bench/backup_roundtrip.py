"""Time export-all and import-all on a sizeable database: SQLite source, fresh PostgreSQL target, rows compared.

    .venv/bin/python bench/backup_roundtrip.py --assessments 500

Needs PostgreSQL at PG_URL (default postgresql://postgres@127.0.0.1:5432/postgres); the target database is dropped
afterwards. Prints the row counts, the file size and the seconds each step took.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from impact import create_app  # noqa: E402
from impact.audit import trail  # noqa: E402
from impact.backup.operations import export_all, import_all  # noqa: E402
from impact.core.db import db  # noqa: E402
from tests import factories  # noqa: E402
from tests.databases import fresh_database, snapshot  # noqa: E402

GROUNDS = ["gender", "age", "disability", "religion", "ethnicity"]


def seed(app, count: int) -> None:
    with app.app_context():
        upgrade()
        from impact.grounds.defaults import install_default_template

        install_default_template()
        for number in range(count):
            answers = {key: {"impact": "negative", "mitigations": [{}, {}]} for key in GROUNDS[: 1 + number % 5]}
            assessment = factories.create_assessment(("draft", "submitted", "approved")[number % 3], answers=answers)
            trail.record("assessment.created", assessment, actor=None, changes={"title": assessment.title})
            if number % 50 == 49:
                db.session.commit()
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        source = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'source.sqlite'}"})
        started = time.perf_counter()
        seed(source, args.assessments)
        print(f"seeded {args.assessments} assessments in {time.perf_counter() - started:.1f} s")
        backup = tmp / "backup.zip"
        with source.app_context():
            started = time.perf_counter()
            counts = export_all(backup)
            print(
                f"export-all: {sum(counts.values())} rows in {time.perf_counter() - started:.2f} s, "
                f"{backup.stat().st_size / 1024:.0f} KiB"
            )
            before = snapshot()
        with fresh_database("postgresql", "sqlite://", tmp) as url:
            target = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
            with target.app_context():
                upgrade()
                started = time.perf_counter()
                import_all(backup)
                print(f"import-all into PostgreSQL: {time.perf_counter() - started:.2f} s")
                same = snapshot() == before
                broken = trail.first_broken_link()
                db.engine.dispose()
        print(f"every row identical: {same}; audit chain intact: {broken is None}")
        for table, rows in sorted(counts.items()):
            print(f"  {table:28} {rows:8}")
        if not same or broken is not None:
            sys.exit(1)


if __name__ == "__main__":
    main()
