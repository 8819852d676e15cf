"""Lists of the review feature make the same number of queries however many rows they show."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from impact.core.db import db
from impact.notifications.models import NotificationKind
from impact.notifications.sending import notify
from tests import factories

PAST = date.today() - timedelta(days=3)


def _add_rows(user_id: int) -> None:
    user = db.session.get(factories.User, user_id)
    for _ in range(3):
        factories.create_assessment(status="submitted")
        approved = factories.create_assessment(
            status="approved",
            follow_up_date=PAST,
            answers={
                "age": {
                    "impact": "negative",
                    "mitigations": [{"description": "Sen", "due_date": PAST, "owner": user}],
                }
            },
        )
        notify([user], NotificationKind.approved, approved)
    db.session.commit()


@pytest.mark.parametrize("path", ["/review/", "/review/overdue", "/notifications/", "/audit/"])
def test_query_count_does_not_grow_with_rows(app, client, login_as, path):
    user = login_as("reviewer", "auditor")
    counts = []
    for _ in range(2):
        with app.app_context():
            _add_rows(user.id)
        statements = []

        def count(*args, statements=statements):
            statements.append(1)

        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", count)
            try:
                assert client.get(path).status_code == 200
            finally:
                sa.event.remove(db.engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
