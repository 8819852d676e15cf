"""A request whose transaction lost a race inside the database runs again, a bounded number of times.

PostgreSQL aborts one of two transactions that wait for each other (deadlock, SQLSTATE 40P01) and, at stricter
isolation levels, one that cannot be serialized (40001). Neither has changed anything: the whole unit of work, the
view with its transaction, can simply run again, and it normally succeeds at once. Mail is sent only after a commit
(impact/notifications/sending.py) and audit events are sealed only after one (impact/audit/trail.py), so a run
that is thrown away leaves nothing behind. When every attempt loses, ``DatabaseBusy`` reaches the error handlers,
which keep the user's input and say so in their language (impact/core/errors.py).
"""

import logging
import random
import time

import sqlalchemy as sa
from flask import Flask

from impact.core.db import db

log = logging.getLogger(__name__)

TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})
ATTEMPTS = 4


class DatabaseBusy(Exception):
    """Every attempt of the request's unit of work lost a race in the database."""


def is_transient(error: BaseException) -> bool:
    """Whether ``error`` is a deadlock or serialization failure, which a new attempt can get past."""
    if not isinstance(error, sa.exc.DBAPIError):
        return False
    return getattr(error.orig, "sqlstate", None) in TRANSIENT_SQLSTATES


class RetryingFlask(Flask):
    """Flask that runs a view again (after a rollback and a short random pause) when its transaction lost a race."""

    def dispatch_request(self):
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return super().dispatch_request()
            except sa.exc.DBAPIError as error:
                if not is_transient(error):
                    raise
                db.session.rollback()
                if attempt == ATTEMPTS:
                    log.warning("gave up after %d attempts: %s", attempt, error.orig)
                    raise DatabaseBusy from error
                log.info("attempt %d lost a race in the database, running the request again: %s", attempt, error.orig)
                # Random, growing pauses, so the transactions that collided do not meet again at once.
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 (timing jitter, not security)
        raise AssertionError("unreachable")
