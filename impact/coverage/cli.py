"""flask --app impact import-cases FILE"""

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from impact.core.db import db
from impact.coverage.case_lists import CaseListError, import_cases


@click.command("import-cases")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_cases_command(file: Path) -> None:
    """Import a committee's list of cases (CSV: diarienummer, rubrik, nämnd, sammanträdesdatum). Safe to repeat."""
    with force_locale("en"):  # the command line speaks English, like the other commands
        try:
            result = import_cases(file.read_bytes(), None)
        except CaseListError as error:
            db.session.rollback()
            lines = "\n".join(f"  {problem}" for problem in error.problems)
            raise click.ClickException(f"{error.message}\n{lines}".rstrip()) from None
    db.session.commit()
    click.echo(f"{result.added} cases added; {result.already_there} were on the list already.")
