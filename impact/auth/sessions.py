"""Login sessions kept on the server, so that logging out, a new password or an admin's change really ends them.

The session cookie carries only a random session key (Flask-Login's user id is ``User.get_id()``, which is this
key); the server keeps its SHA-256 hash in ``login_sessions``. A cookie is honoured only while its row exists, the
user is active and the session was used within ``PERMANENT_SESSION_LIFETIME``. So:

- logging out deletes the row of this session: a copy of the cookie opens nothing afterwards;
- a password change, a password reset, deactivation and a change of roles or remit delete every row of the user
  (the person making the change on their own account keeps working in a fresh session).

API tokens are not sessions: they have their own revocation and are unaffected.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context
from flask_login import current_user, login_user
from sqlalchemy.orm import Mapped, mapped_column

from impact.auth.models import User
from impact.core.db import UTCDateTime, db, utcnow

# Recording every request would make each page view a write; a session's last use is kept to this resolution.
TOUCH_SECONDS = 300


def _hash(key: str) -> str:
    # The key carries 256 random bits, so a fast hash is enough; a leaked table still opens no session.
    return hashlib.sha256(key.encode()).hexdigest()


class LoginSession(db.Model):
    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<LoginSession {self.id} user={self.user_id}>"


def _lifetime() -> timedelta:
    return current_app.permanent_session_lifetime


def open_session(user: User) -> None:
    """Start a new server-side session for ``user`` (added and flushed, not committed); ``login_user(user)`` after
    the commit puts its key in the cookie. Forgets the user's sessions that have expired."""
    now = utcnow()
    db.session.execute(
        sa.delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.last_seen_at < now - _lifetime())
    )
    key = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, key_hash=_hash(key), created_at=now, last_seen_at=now))
    db.session.flush()
    user.session_key = key


def start_session(user: User) -> None:
    """Open a session for ``user`` and log them in on this request (the caller commits)."""
    open_session(user)
    login_user(user)


def load_user(key: str) -> User | None:
    """The active user whose unexpired session has ``key``, else None (Flask-Login's user loader)."""
    row = db.session.execute(
        sa.select(User, LoginSession.last_seen_at)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(LoginSession.key_hash == _hash(key))
    ).first()
    if row is None:
        return None
    user, last_seen_at = row
    if not user.active or last_seen_at < utcnow() - _lifetime():
        return None
    user.session_key = key
    user.session_last_seen_at = last_seen_at
    return user


def touch_current() -> None:
    """Record that the current session is in use (at most every TOUCH_SECONDS) and commit that alone.

    Called before the view runs, so the commit holds nothing but this.
    """
    last_seen = getattr(current_user, "session_last_seen_at", None)
    now = utcnow()
    if last_seen is None or (now - last_seen).total_seconds() < TOUCH_SECONDS:
        return
    db.session.execute(
        sa.update(LoginSession).where(LoginSession.key_hash == _hash(current_user.session_key)).values(last_seen_at=now)
    )
    db.session.commit()
    current_user.session_last_seen_at = now


def end_current() -> None:
    """End the current request's session on the server (flushed, not committed)."""
    key = getattr(current_user, "session_key", None)
    if key:
        db.session.execute(sa.delete(LoginSession).where(LoginSession.key_hash == _hash(key)))


def end_all(user: User) -> None:
    """End every session of ``user``. When they are the one logged in on this request, their work goes on in a
    fresh session (the cookie is re-issued), so only their other sessions — and copies of this one — end."""
    db.session.execute(sa.delete(LoginSession).where(LoginSession.user_id == user.id))
    me = current_user._get_current_object() if has_request_context() else None
    # Only a browser session is re-issued: an API request has a token, not a session key.
    if me is not None and me.is_authenticated and me.id == user.id and getattr(me, "session_key", None):
        start_session(me)


def session_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(LoginSession.user_id == user.id)) or 0
