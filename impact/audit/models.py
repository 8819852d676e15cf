"""One table of events: who did what to which object, when, with the before/after of what changed."""

from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.auth.models import User
from impact.core.db import UTCDateTime, db

GENESIS_HASH = "0" * 64


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[Optional[int]]
    assessment_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("assessments.id"), index=True)
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Each event's hash covers its content and the previous event's hash; the unique prev_hash makes a fork
    # in the chain (two writers racing) fail instead of silently branching.
    prev_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    hash: Mapped[str] = mapped_column(sa.String(64), unique=True)

    actor: Mapped[Optional[User]] = relationship()
