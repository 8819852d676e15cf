"""Keeping what a user typed when a form POST cannot be accepted (expired session or CSRF token).

The posted fields are stored server-side in ``form_stashes`` under a random token kept in the session; the next GET
of the same page (after logging in again) restores them into the form with a notice. Stashes are used once and
expire after a day. A view opts in with ``@keeps_input_on_expiry``.
"""

import json
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Optional
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, request, session
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import MultiDict

from impact.core.db import UTCDateTime, db, utcnow

SESSION_KEY = "form_stash"
LIFETIME = timedelta(days=1)


class FormStash(db.Model):
    __tablename__ = "form_stashes"

    token: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    path: Mapped[str] = mapped_column(sa.String(500))
    # The user who was logged in when the input was stashed, if any; only they (or, when None, whoever logs in
    # on this browser session) get it back.
    user_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    data: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


def keeps_input_on_expiry(view: Callable) -> Callable:
    """Mark a view whose posted input is stashed (not thrown away) when the CSRF check fails."""
    view.keeps_input_on_expiry = True
    return view


def wants_stash() -> bool:
    """Whether the failed request is a same-site POST to a view that opted in.

    A POST from another site is never stashed: it could otherwise plant input in the user's form.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    source = request.headers.get("Origin") or request.headers.get("Referer")
    same_site = source is None or urlsplit(source).netloc == request.host
    return request.method == "POST" and same_site and getattr(view, "keeps_input_on_expiry", False)


def stash_request_form(user_id: int | None) -> None:
    """Store the posted fields (without the CSRF token) for the next GET of the same path. Commits."""
    items = [(key, value) for key, value in request.form.items(multi=True) if key != "csrf_token"]
    db.session.rollback()
    db.session.execute(sa.delete(FormStash).where(FormStash.created_at < utcnow() - LIFETIME))
    token = secrets.token_urlsafe(32)
    db.session.add(FormStash(token=token, path=request.path, user_id=user_id, data=json.dumps(items)))
    db.session.commit()
    session[SESSION_KEY] = token


def pop_stash(path: str, user_id: int) -> MultiDict | None:
    """The stashed input for ``path``, if this session has one for this user; removes it. Does not commit."""
    token = session.get(SESSION_KEY)
    if not token:
        return None
    stash = db.session.get(FormStash, token)
    if stash is None or stash.path != path:
        return None
    session.pop(SESSION_KEY, None)
    db.session.delete(stash)
    if stash.user_id not in (None, user_id) or stash.created_at < utcnow() - LIFETIME:
        return None
    return MultiDict(json.loads(stash.data))
