"""flask --app impact create-user ..."""

import click
from flask.cli import with_appcontext

from impact.auth.accounts import AccountError, create_user, find_department
from impact.auth.roles import Role
from impact.core.db import db


@click.command("create-user")
@click.option("--email", required=True, help="Login email address.")
@click.option("--name", required=True, help="Full name.")
@click.option("--password", required=True, help="Initial password.")
@click.option("--department", required=True, help="Department name or code, e.g. FFF.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    help="case_officer, reviewer, auditor or admin; repeat for several.",
)
@with_appcontext
def create_user_command(email: str, name: str, password: str, department: str, roles: tuple[str, ...]) -> None:
    """Create a user account."""
    dept = find_department(department)
    if dept is None:
        raise click.ClickException(f"unknown department: {department}")
    try:
        role_values = [Role(role) for role in roles]
    except ValueError as error:
        valid = ", ".join(role.value for role in Role)
        raise click.ClickException(f"unknown role ({error}); valid roles: {valid}") from None
    try:
        user = create_user(email=email, name=name, password=password, department=dept, roles=role_values)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.email} in {dept.name} with roles {', '.join(r.value for r in role_values)}.")
