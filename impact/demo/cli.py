"""flask --app impact seed-base / seed-demo"""

import click
from flask.cli import with_appcontext

from impact.core.db import db
from impact.demo.assessments import ensure_demo_assessments
from impact.demo.decisions import ensure_demo_case_list, ensure_demo_decisions
from impact.demo.indicators import ensure_demo_indicators
from impact.demo.organisation import ensure_areas, ensure_departments, ensure_districts
from impact.demo.users import DEMO_PASSWORD, ensure_demo_users
from impact.grounds.defaults import install_default_template


@click.command("seed-base")
@with_appcontext
def seed_base_command() -> None:
    """Publish the nine grounds (template version 1) if no template exists. Safe to run again."""
    version = install_default_template()
    db.session.commit()
    click.echo(f"Template version {version.number} with {len(version.grounds)} grounds is published.")


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Add Borås's departments, districts and areas, grounds, example key figures, demo users and assessments. Safe
    to run again."""
    install_default_template()
    departments = ensure_departments()
    ensure_areas(ensure_districts())
    ensure_demo_indicators()
    users = ensure_demo_users(departments)
    added = ensure_demo_assessments(departments)
    ensure_demo_decisions()
    ensure_demo_case_list()
    db.session.commit()
    if added:
        click.echo(f"Added {added} demo assessments.")
    click.echo("Demo data is in place. Log in at http://127.0.0.1:5000 with one of:")
    for user in users:
        roles = ", ".join(sorted(role.value for role in user.roles))
        click.echo(f"  {user.email:<34} {roles:<24} {user.department.name}")
    click.echo(f"Password for all demo users: {DEMO_PASSWORD}")
