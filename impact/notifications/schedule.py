"""The reminders of due mitigations and follow-ups, on the worker's schedule (cron with `notify-due` still works)."""

import logging

from impact.core.db import db
from impact.core.timefmt import local_today
from impact.jobs.kinds import PeriodicTask, register_periodic

log = logging.getLogger(__name__)


def send_due_reminders() -> int:
    from impact.notifications.cli import notify_due

    count = notify_due(local_today())
    db.session.commit()
    log.info("%s due reminder(s) sent", count)
    return count


# Hourly rather than daily: each reminder is stored once (its dedupe key), so a later run adds nothing, and a
# reminder that falls due today is sent within the hour wherever the worker's day starts.
register_periodic(PeriodicTask("notify_due", 3600, send_due_reminders))
