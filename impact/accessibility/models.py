"""Accessibility problems reported by visitors; admins read and mark them handled."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.auth.models import User
from impact.core.db import UTCDateTime, db, utcnow


class AccessibilityReport(db.Model):
    __tablename__ = "accessibility_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    page: Mapped[Optional[str]] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text)
    name: Mapped[Optional[str]] = mapped_column(sa.String(200))
    contact: Mapped[Optional[str]] = mapped_column(sa.String(254))
    # The logged-in user who reported it, if any; the form is open to visitors who are not logged in.
    reported_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    handled_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    handled_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))

    reported_by: Mapped[Optional[User]] = relationship(foreign_keys=[reported_by_id])
    handled_by: Mapped[Optional[User]] = relationship(foreign_keys=[handled_by_id])

    @property
    def handled(self) -> bool:
        return self.handled_at is not None
