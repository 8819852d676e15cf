"""In-app notifications, captured mail, SMTP when configured, and the idempotent notify-due command."""

from datetime import date, timedelta
from email.message import EmailMessage

import pytest
import sqlalchemy as sa

from impact.core.db import db
from impact.notifications.models import Notification, NotificationKind
from impact.notifications.sending import captured_mail, deliver, notify
from tests import factories
from tests.conftest import csrf_token

pytestmark = pytest.mark.usefixtures("english")  # these pages are read in English

PAST = date.today() - timedelta(days=1)


def test_list_shows_own_notifications_and_unread_count_in_menu(app, client, login_as):
    user = login_as("case_officer")
    with app.app_context():
        me = db.session.get(factories.User, user.id)
        assessment = factories.create_assessment(author=me, title="Mitt förslag")
        notify([me], NotificationKind.returned, assessment)
        notify([factories.create_user()], NotificationKind.approved, assessment)
        db.session.commit()
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Mitt förslag" in page and "returned to you" in page
    assert page.count('<li class="notification') == 1
    assert "Notifications (1 unread)" in page
    client.post("/notifications/read", data={"csrf_token": csrf_token(client, "/notifications/")})
    page = client.get("/notifications/").get_data(as_text=True)
    assert "unread" not in page
    with app.app_context():
        assert db.session.scalar(sa.select(Notification.read_at).where(Notification.user_id == user.id)) is not None


def test_mail_is_queued_until_commit_and_dropped_on_rollback(app, app_ctx):
    user = factories.create_user()
    assessment = factories.create_assessment(author=user)
    db.session.commit()
    notify([user], NotificationKind.approved, assessment)
    assert captured_mail(app) == []
    db.session.rollback()
    db.session.commit()
    assert captured_mail(app) == []
    notify([user], NotificationKind.approved, assessment)
    db.session.commit()
    assert [message["To"] for message in captured_mail(app)] == [user.email]


def test_smtp_is_used_when_configured_and_not_capturing(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, message):
            sent.append(("send", message["To"]))

    monkeypatch.setattr("smtplib.SMTP", FakeSMTP)
    app.config.update(MAIL_CAPTURE=False, MAIL_SERVER="smtp.example.org", MAIL_PORT=587, MAIL_USERNAME="impact")
    message = EmailMessage()
    message["To"] = "a@example.org"
    message.set_content("x")
    deliver([message], app)
    assert sent == [("connect", "smtp.example.org", 587), ("starttls",), ("login", "impact"), ("send", "a@example.org")]


def test_no_mail_server_means_in_app_only(app, monkeypatch):
    monkeypatch.setattr("smtplib.SMTP", lambda *a, **k: pytest.fail("SMTP used without MAIL_SERVER"))
    app.config.update(MAIL_CAPTURE=False, MAIL_SERVER=None)
    message = EmailMessage()
    message["To"] = "a@example.org"
    deliver([message], app)
    assert captured_mail(app) == []


def test_notify_due_is_idempotent(app, runner):
    with app.app_context():
        owner = factories.create_user(name="Ägare")
        assessment = factories.create_assessment(
            status="approved",
            follow_up_date=PAST,
            answers={
                "age": {
                    "impact": "negative",
                    "mitigations": [
                        {"description": "Förfallen", "due_date": PAST, "owner": owner},
                        {"description": "Senare", "due_date": PAST + timedelta(days=30)},
                        {"description": "Klar", "due_date": PAST, "status": "done"},
                    ],
                }
            },
        )
        factories.create_assessment(
            answers={"age": {"impact": "negative", "mitigations": [{"description": "I utkast", "due_date": PAST}]}}
        )
        db.session.commit()
        owner_id, author_id = owner.id, assessment.authors[0].id
    first = runner.invoke(args=["notify-due"])
    assert first.exit_code == 0 and "2 reminder(s)" in first.output
    second = runner.invoke(args=["notify-due"])
    assert "0 reminder(s)" in second.output
    with app.app_context():
        rows = db.session.execute(sa.select(Notification.user_id, Notification.kind).order_by(Notification.id)).all()
        assert rows == [(owner_id, NotificationKind.mitigation_due), (author_id, NotificationKind.follow_up_due)]
    assert len(captured_mail(app)) == 2
