"""Migrating an empty database to head gives exactly the models' schema, on SQLite and PostgreSQL."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from impact import create_app
from impact.core.db import db


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new, empty database on the same server as the suite's."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    name = f"impact_migrations_{uuid.uuid4().hex[:10]}"
    admin_engine = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(database_url).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin_engine.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin_engine.dispose()


def test_upgrade_to_head_matches_the_models_and_downgrades_cleanly(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        downgrade(revision="base")
        with db.engine.connect() as connection:
            remaining = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_the_dashboard_migration_counts_existing_data_as_the_app_keeps_it(empty_database_url):
    """perf_02 fills the summary tables from the data already there: the same rows the flush listeners keep."""
    from datetime import date, timedelta

    from tests import factories
    from tests.test_dashboard_counts import _tables

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        assert app.test_cli_runner().invoke(args=["seed-base"]).exit_code == 0
        overdue = date.today() - timedelta(days=3)
        for status, department in (("approved", "FFF"), ("submitted", "GSF"), ("draft", "FFF"), ("archived", "GSF")):
            factories.create_assessment(
                status=status,
                department=department,
                follow_up_date=overdue,
                answers={
                    "age": {"impact": "negative", "mitigations": [{"due_date": overdue}, {"due_date": date.today()}]},
                    "gender": "significantly_negative",
                    "disability": "cannot_assess",
                    "religion": "not_relevant",
                    "ethnicity": {"impact": "negative", "acceptance_justification": "Nödvändigt."},
                },
            )
        db.session.commit()
        kept = _tables()
        assert {key[0] for key in kept} == {
            "impact_counts",
            "impact_totals",
            "assessment_counts",
            "due_counts",
            "due_month_counts",
            "district_assessment_counts",
            "district_counts",
            "district_totals",
        }
        db.session.remove()  # end the reading transaction: PostgreSQL's DROP TABLE would wait for it
        downgrade(revision="perf_01")
        upgrade()
        assert _tables() == kept
        db.session.remove()
        db.engine.dispose()
