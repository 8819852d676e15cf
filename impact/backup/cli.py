"""flask --app impact export-all FILE / import-all FILE"""

import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from impact.backup.archive import BackupError
from impact.backup.operations import export_all, import_all


@click.command("export-all")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def export_all_command(file: Path) -> None:
    """Write every table to FILE (a zip of JSON lines with a manifest and checksums)."""
    counts = export_all(file)
    click.echo(f"Exported {sum(counts.values())} rows from {len(counts)} tables to {file}.")


@click.command("import-all")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_all_command(file: Path) -> None:
    """Load FILE into an empty, migrated database, all or nothing; ids are kept."""
    try:
        counts = import_all(file)
    except (BackupError, sa.exc.SQLAlchemyError) as error:
        click.echo(f"Nothing was imported: {error}", err=True)
        sys.exit(1)
    click.echo(f"Imported {sum(counts.values())} rows into {len(counts)} tables from {file}.")
    click.echo("Check the audit trail with: flask --app impact audit verify")
