"""Key/value settings stored in the database; a missing key falls back to the app config."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from impact.core.db import UTCDateTime, db, utcnow


class Setting(db.Model):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))


_NO_DEFAULT = object()


def get_setting(key: str, default=_NO_DEFAULT) -> str:
    """The admin's value for ``key``, or the config value of the same name in upper case, or ``default``.

    Raises KeyError when none of the three exists.
    """
    value = db.session.scalar(sa.select(Setting.value).where(Setting.key == key))
    if value is not None:
        return value
    if key.upper() in current_app.config or default is _NO_DEFAULT:
        return current_app.config[key.upper()]
    return default


def setting_for_display(key: str) -> str:
    """Like ``get_setting`` but never fails: an error page must render even when the database does not answer."""
    try:
        return get_setting(key)
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return current_app.config[key.upper()]
