"""flask --app impact search rebuild"""

import click
from flask.cli import AppGroup

from impact.assessments.search import index
from impact.core.db import db

search_cli = AppGroup("search", help="The full-text search index of the assessments.")


@search_cli.command("rebuild")
def rebuild_command() -> None:
    """Write the search index again from every assessment, in one transaction."""
    with db.engine.begin() as connection:
        count = index.rebuild(connection)
    click.echo(f"Indexed {count} assessments.")
