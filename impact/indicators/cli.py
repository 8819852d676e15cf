"""flask --app impact import-indicators FILE"""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from impact.core.db import db
from impact.indicators.imports import IndicatorImportError, import_indicators


@click.command("import-indicators")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_indicators_command(file: Path) -> None:
    """Import key figures (CSV, long format: områdeskod, nyckeltalskod, nyckeltal, år, värde, källa, ...).
    Importing a year again replaces it."""
    with force_locale("en"):  # the command line speaks English, like the other commands
        try:
            result = import_indicators(file.read_bytes(), None)
        except IndicatorImportError as error:
            db.session.rollback()
            lines = "\n".join(f"  {problem}" for problem in error.problems)
            raise click.ClickException(f"{error.message}\n{lines}".rstrip()) from None
    db.session.commit()
    click.echo(
        f"{result.figures} figures of {result.indicators} indicators imported "
        f"({result.new_indicators} new indicators; {result.replaced} earlier figures replaced)."
    )
