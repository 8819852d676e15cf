"""One table of events: who did what to which object, when, with the before/after of what changed."""

from datetime import datetime
from typing import TYPE_CHECKING, Any, Optional

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.core.db import UTCDateTime, db

if TYPE_CHECKING:  # the trail sits below auth: the user model is named, not imported
    from impact.auth.models import User

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
    # The chain (impact/audit/trail.py): an event is written without a place in it and sealed after its
    # transaction commits, when it gets the next position, the previous event's hash and a hash over its content
    # and that link. Unique position and prev_hash make a fork (two sealers racing) fail instead of branching.
    chain_position: Mapped[Optional[int]] = mapped_column(sa.BigInteger, unique=True)
    prev_hash: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True)
    hash: Mapped[Optional[str]] = mapped_column(sa.String(64), unique=True)

    actor: Mapped[Optional["User"]] = relationship("User")
