"""flask --app impact audit verify"""

import sys

import click
from flask.cli import AppGroup

from impact.audit.trail import first_broken_link

audit_cli = AppGroup("audit", help="Inspect the audit trail.")


@audit_cli.command("verify")
def verify_command() -> None:
    """Check the hash chain of the audit trail; exit 1 at the first broken link."""
    broken = first_broken_link()
    if broken is not None:
        click.echo(f"Broken link at audit event {broken.id} ({broken.action}, {broken.created_at.isoformat()}).")
        sys.exit(1)
    click.echo("The audit trail is intact.")
