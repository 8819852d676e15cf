"""Registers every feature's flask commands on the app."""

from flask import Flask


def register(app: Flask) -> None:
    from impact.api.cli import create_token_command
    from impact.assessments.search.cli import search_cli
    from impact.audit.cli import audit_cli
    from impact.auth.cli import create_user_command
    from impact.backup.cli import export_all_command, import_all_command
    from impact.core.catalogues_cli import translations_cli
    from impact.coverage.cli import import_cases_command
    from impact.demo.cli import seed_base_command, seed_demo_command
    from impact.indicators.cli import import_indicators_command
    from impact.jobs.cli import jobs_cli
    from impact.jobs.worker import worker_command
    from impact.notifications.cli import notify_due_command

    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_base_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(audit_cli)
    app.cli.add_command(translations_cli)
    app.cli.add_command(export_all_command)
    app.cli.add_command(import_all_command)
    app.cli.add_command(notify_due_command)
    app.cli.add_command(create_token_command)
    app.cli.add_command(import_cases_command)
    app.cli.add_command(import_indicators_command)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(worker_command)
    app.cli.add_command(search_cli)
