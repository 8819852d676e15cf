"""In-app notifications: one row per person told about something."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.assessments.models import Assessment, Mitigation
from impact.auth.models import User
from impact.core.db import UTCDateTime, db, enum_type, utcnow
from impact.core.enums import LabelledEnum


class NotificationKind(LabelledEnum):
    submitted = "submitted", _l("Submitted for review")
    returned = "returned", _l("Returned")
    approved = "approved", _l("Approved")
    mitigation_due = "mitigation_due", _l("Mitigation due")
    follow_up_due = "follow_up_due", _l("Follow-up due")


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    kind: Mapped[NotificationKind] = mapped_column(enum_type(NotificationKind, "notification_kind"))
    assessment_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("assessments.id"), index=True)
    mitigation_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("mitigations.id"))
    # Makes reminders idempotent: the same reminder to the same person is stored once (NULL for events).
    dedupe_key: Mapped[Optional[str]] = mapped_column(sa.String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    emailed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    assessment: Mapped[Optional[Assessment]] = relationship()
    mitigation: Mapped[Optional[Mitigation]] = relationship()
