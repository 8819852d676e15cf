"""Telling people: an in-app notification always, an email when mail is configured (captured in dev and tests).

Mail is queued on the database session and sent only after the transaction commits, so nobody is told about
something that was rolled back.
"""

import logging
import smtplib
from collections.abc import Iterable
from email.message import EmailMessage

import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import event

from impact.assessments.models import Assessment, Mitigation
from impact.auth.models import User, UserRole
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.request_cache import request_cache
from impact.notifications.models import Notification, NotificationKind

log = logging.getLogger(__name__)
OUTBOX_KEY = "impact_outbox"
CAPTURED_KEY = "impact_mail_captured"
CAPTURE_LIMIT = 200


def reviewers_for(assessment: Assessment) -> list[User]:
    """Active reviewers whose remit covers the assessment, except its authors (they cannot decide it)."""
    authors = {author.id for author in assessment.authors}
    statement = (
        sa.select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == Role.reviewer,
            User.active.is_(True),
            sa.or_(User.department_id == assessment.department_id, User.municipality_wide.is_(True)),
        )
        .order_by(User.id)
    )
    return [user for user in db.session.scalars(statement).unique() if user.id not in authors]


def notify(
    users: Iterable[User],
    kind: NotificationKind,
    assessment: Assessment | None = None,
    mitigation: Mitigation | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Store a notification for each user and queue its email; flushes, never commits."""
    created = []
    for user in {user.id: user for user in users}.values():
        key = f"{dedupe_key}:{user.id}" if dedupe_key else None
        if key and db.session.scalar(sa.select(Notification.id).where(Notification.dedupe_key == key)):
            continue
        notification = Notification(user=user, kind=kind, assessment=assessment, mitigation=mitigation, dedupe_key=key)
        db.session.add(notification)
        created.append(notification)
        if user.active:
            db.session.info.setdefault(OUTBOX_KEY, []).append(_email_for(notification))
    db.session.flush()
    return created


def message_text(notification: Notification) -> str:
    """The notification in the current language."""
    title = notification.assessment.title if notification.assessment else ""
    kind = notification.kind
    if kind == NotificationKind.submitted:
        return _("“%(title)s” was submitted for review.", title=title)
    if kind == NotificationKind.returned:
        return _("“%(title)s” was returned to you with comments from the reviewer.", title=title)
    if kind == NotificationKind.approved:
        return _("“%(title)s” was approved.", title=title)
    if kind == NotificationKind.mitigation_due:
        what = notification.mitigation.description if notification.mitigation else ""
        return _("A mitigation in “%(title)s” is due: %(what)s", title=title, what=what)
    return _("It is time to follow up “%(title)s”: record what actually happened.", title=title)


def _link(notification: Notification) -> str:
    if notification.assessment_id is None:
        return ""
    external = has_request_context()
    if notification.kind == NotificationKind.submitted:
        return url_for("review.review", assessment_id=notification.assessment_id, _external=external)
    if notification.kind in (NotificationKind.mitigation_due, NotificationKind.follow_up_due):
        return url_for("review.follow_up", assessment_id=notification.assessment_id, _external=external)
    return url_for("assessments.view", assessment_id=notification.assessment_id, _external=external)


def _email_for(notification: Notification) -> EmailMessage:
    user = notification.user
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = message_text(notification)
        subject = f"Impact: {notification.kind.label}"
        footer = _("You can see all your notifications in Impact.")
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config.get("MAIL_FROM") or "impact@localhost"
    message["To"] = user.email
    link = _link(notification) if _can_build_urls() else ""
    message.set_content("\n\n".join(part for part in (text, link, footer) if part))
    return message


def _can_build_urls() -> bool:
    return has_request_context() or bool(current_app.config.get("SERVER_NAME"))


def deliver(messages: list[EmailMessage], app: Flask) -> None:
    """Send (or, in development and tests, capture) the messages. Failures are logged, never raised."""
    if not messages:
        return
    if app.config.get("MAIL_CAPTURE"):
        captured = app.extensions.setdefault(CAPTURED_KEY, [])
        captured.extend(messages)
        del captured[:-CAPTURE_LIMIT]  # a development server runs for days; keep only the latest
        for message in messages:
            log.info("Mail captured (not sent) to %s: %s", message["To"], message["Subject"])
        return
    server = app.config.get("MAIL_SERVER")
    if not server:
        log.debug("MAIL_SERVER is not set; %d notification(s) only in the app", len(messages))
        return
    try:
        with smtplib.SMTP(server, int(app.config.get("MAIL_PORT") or 25), timeout=20) as smtp:
            if app.config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if app.config.get("MAIL_USERNAME"):
                smtp.login(app.config["MAIL_USERNAME"], app.config.get("MAIL_PASSWORD") or "")
            for message in messages:
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        log.exception("Could not send %d notification mail(s) via %s", len(messages), server)


def captured_mail(app: Flask) -> list[EmailMessage]:
    return app.extensions.get(CAPTURED_KEY, [])


def _after_commit(session) -> None:
    messages = session.info.pop(OUTBOX_KEY, [])
    if messages:
        deliver(messages, current_app._get_current_object())


def _after_rollback(session, previous_transaction=None) -> None:
    session.info.pop(OUTBOX_KEY, None)


def install_outbox(app: Flask) -> None:
    """Send queued mail after each commit of the app's sessions (once per process)."""
    if not event.contains(db.session, "after_commit", _after_commit):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_soft_rollback", _after_rollback)


def unread_count() -> int:
    """The current user's unread notifications, counted once per request (the menu is drawn twice on a page)."""
    if not current_user.is_authenticated:
        return 0
    counted = request_cache("unread_notifications")
    if current_user.id not in counted:
        counted[current_user.id] = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == current_user.id, Notification.read_at.is_(None))
        )
    return counted[current_user.id]
