"""The start page shows each person their own work, counted and linked, in a fixed number of queries."""

from datetime import date, timedelta

import pytest

from impact.assessments.enums import MitigationStatus
from impact.core.db import db
from impact.notifications.models import Notification, NotificationKind
from tests import factories
from tests.databases import page_statements

pytestmark = pytest.mark.usefixtures("english")  # these pages are read in English


def _work(user_id: int, label: str, copies: int) -> None:
    """``copies`` of each kind of work for the user: drafts, returned, submitted, mitigations, notifications,
    assessments waiting for review by others, an approved assessment with mitigations in every due state."""
    me = db.session.get(factories.User, user_id)
    today = date.today()
    for number in range(copies):
        factories.create_assessment(status="draft", author=me, title=f"{label} utkast {number}")
        factories.create_assessment(status="returned", author=me, title=f"{label} återsänd {number}")
        factories.create_assessment(status="submitted", author=me, title=f"{label} inskickad {number}")
        factories.create_assessment(status="submitted", title=f"{label} att granska {number}")
        due = {
            "overdue": today - timedelta(days=3),
            "soon": today + timedelta(days=5),
            "later": today + timedelta(days=90),
            "done": today - timedelta(days=1),
        }
        approved = factories.create_assessment(
            status="approved",
            author=me,
            title=f"{label} godkänd {number}",
            answers={
                "age": {
                    "impact": "negative",
                    "mitigations": [
                        {"description": f"{label} åtgärd {name} {number}", "due_date": day} for name, day in due.items()
                    ],
                }
            },
        )
        for mitigation in approved.answers[0].mitigations:
            mitigation.owner_id = me.id
            if "done" in mitigation.description:
                mitigation.status = MitigationStatus.done
        db.session.add(Notification(user_id=me.id, kind=NotificationKind.returned))
    db.session.commit()


def test_case_officer_sees_their_drafts_returned_submitted_mitigations_and_notifications(app, client, login_as):
    officer = login_as("case_officer")
    with app.app_context():
        _work(officer.id, "Min", 1)
        factories.create_assessment(status="draft", title="Någon annans utkast")
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Your work" in page
    for status in ("draft", "returned", "submitted"):
        assert f'href="/assessments/?scope=mine&amp;status={status}"' in page
    assert "Min utkast 0" in page and "Min återsänd 0" in page and "Min inskickad 0" in page
    assert "Någon annans utkast" not in page
    # Open mitigations the officer owns that are overdue or due soon; not later ones, not done ones.
    assert "Min åtgärd overdue 0" in page and "Min åtgärd soon 0" in page
    assert "Min åtgärd later 0" not in page and "Min åtgärd done 0" not in page
    assert "Overdue" in page and "Due soon" in page
    assert 'href="/notifications/"><span class="stats__number">1</span> Unread notifications' in page
    # Not a reviewer, not an auditor: no queue, no key figures.
    assert "To review" not in page and "Key figures" not in page and "Min att granska 0" not in page


def test_reviewer_sees_the_queue(app, client, login_as):
    login_as("reviewer")
    with app.app_context():
        waiting = factories.create_assessment(status="submitted", title="Väntar på granskning")
        db.session.commit()
        waiting_id = waiting.id
    page = client.get("/").get_data(as_text=True)
    assert 'href="/review/"><span class="stats__number">1</span> To review' in page
    assert f'<a href="/review/{waiting_id}">Väntar på granskning</a>' in page
    assert "Drafts" not in page and "Key figures" not in page


def test_auditor_sees_key_figures_linked_to_the_dashboard(app, client, login_as):
    login_as("auditor", department="SLK", municipality_wide=True)
    with app.app_context():
        factories.create_assessment(status="submitted")
        factories.create_assessment(status="approved")
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Key figures" in page and 'href="/reports/"' in page and "Open the dashboard" in page
    assert 'href="/assessments/?status=submitted">1</a>' in page
    assert 'href="/assessments/?status=approved">1</a>' in page
    assert "To review" not in page and "Drafts" not in page


def test_start_page_query_count_does_not_grow(app, client, login_as):
    user = login_as("case_officer", "reviewer", "auditor", municipality_wide=True)
    with app.app_context():
        _work(user.id, "Lite", 1)
    small_count, small_page = page_statements(app, client, "/")
    with app.app_context():
        _work(user.id, "Mycket", 7)
    large_count, large_page = page_statements(app, client, "/")
    assert "Lite utkast 0" in small_page and "Mycket utkast 6" in large_page
    assert "Show all 8" in large_page  # eight drafts, five shown
    assert small_count == large_count, (small_count, large_count)
