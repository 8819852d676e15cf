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


def get_setting(key: str) -> str:
    """The admin's value for ``key``, or the config value of the same name in upper case."""
    value = db.session.scalar(sa.select(Setting.value).where(Setting.key == key))
    if value is not None:
        return value
    return current_app.config[key.upper()]
