"""flask --app impact notify-due: remind owners of mitigations that fall due and authors of follow-ups (for cron)."""

from datetime import date

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from impact.assessments import due
from impact.assessments.enums import IN_FORCE
from impact.assessments.models import Assessment, Mitigation
from impact.core.db import db
from impact.core.timefmt import local_today
from impact.notifications.models import NotificationKind
from impact.notifications.sending import notify


def notify_due(today: date) -> int:
    """Store (and mail) each due reminder once; running it again the same day or later adds nothing. Flushes."""
    count = 0
    mitigations = db.session.scalars(
        sa.select(Mitigation)
        .join(Assessment)
        .where(
            Assessment.status.in_(IN_FORCE),
            due.open_mitigation(),
            Mitigation.due_date <= today,
        )
        .order_by(Mitigation.id)
    )
    for mitigation in mitigations:
        assessment = mitigation.assessment
        owners = [mitigation.owner] if mitigation.owner is not None else assessment.authors
        key = f"mitigation_due:{mitigation.id}:{mitigation.due_date.isoformat()}"
        count += len(notify(owners, NotificationKind.mitigation_due, assessment, mitigation, dedupe_key=key))
    assessments = db.session.scalars(
        sa.select(Assessment).where(due.follow_up_pending(), Assessment.follow_up_date <= today).order_by(Assessment.id)
    )
    for assessment in assessments:
        key = f"follow_up_due:{assessment.id}:{assessment.follow_up_date.isoformat()}"
        count += len(notify(assessment.authors, NotificationKind.follow_up_due, assessment, dedupe_key=key))
    return count


@click.command("notify-due")
@click.option("--date", "on_date", type=click.DateTime(formats=["%Y-%m-%d"]), help="Pretend today is this date.")
@with_appcontext
def notify_due_command(on_date) -> None:
    """Remind owners of due mitigations and authors of due follow-ups (safe to run repeatedly)."""
    count = notify_due(on_date.date() if on_date else local_today())
    db.session.commit()
    click.echo(f"{count} reminder(s) sent.")
