"""flask --app impact jobs sweep"""

import click
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Background jobs (the worker itself is `flask --app impact worker`).")


@jobs_cli.command("sweep")
def sweep_command() -> None:
    """Mark stopped jobs failed and remove expired files (the worker does this on its own every few minutes)."""
    from impact.jobs.running import sweep

    counts = sweep()
    click.echo(", ".join(f"{name}: {count}" for name, count in counts.items()))
