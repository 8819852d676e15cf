"""flask --app impact translations update|compile|check"""

import sys

import click
from flask.cli import AppGroup

from impact.core.catalogues import compile_catalogues, features, inconsistent_translations, problems, update

translations_cli = AppGroup("translations", help="Maintain the per-feature Swedish catalogues.")


@translations_cli.command("update")
def update_command() -> None:
    """Extract strings from code and templates and merge them into each feature's catalogue."""
    for feature in features():
        for path in update(feature):
            click.echo(f"updated {path}")


@translations_cli.command("compile")
def compile_command() -> None:
    """Compile every catalogue to .mo."""
    for feature in features():
        for path in compile_catalogues(feature):
            click.echo(f"compiled {path}")


@translations_cli.command("check")
def check_command() -> None:
    """List untranslated strings and stale .mo files; exit 1 if there are any."""
    found = [problem for feature in features() for problem in problems(feature)] + inconsistent_translations()
    for problem in found:
        click.echo(problem)
    if found:
        sys.exit(1)
    click.echo("Every string is translated.")
