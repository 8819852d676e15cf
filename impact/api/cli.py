"""flask create-token EMAIL: issue an API token from the command line (printed once)."""

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from impact.api.models import ApiToken
from impact.audit import trail
from impact.auth.models import User
from impact.core.db import db


@click.command("create-token")
@click.argument("email")
@click.option("--name", default="Command line", show_default=True, help="What the token is for.")
@with_appcontext
def create_token_command(email: str, name: str) -> None:
    """Create an API token for the user with EMAIL and print it (it cannot be shown again)."""
    user = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"No active user with the email address {email}.")
    token, plain = ApiToken.issue(user, name)
    trail.record("api_token.created", token, changes={"name": name, "prefix": token.prefix, "via": "cli"})
    db.session.commit()
    click.echo(plain)
    click.echo(f"Token {token.prefix}… for {user.email}. Store it now: only its hash is kept.", err=True)
