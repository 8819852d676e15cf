"""An assessment a reviewer keeps out of the public register, with the reason (e.g. secrecy under OSL)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.auth.models import User
from impact.core.db import UTCDateTime, db, utcnow


class PublicationHold(db.Model):
    """One row per assessment kept unpublished; releasing it deletes the row (the audit trail keeps the history)."""

    __tablename__ = "publication_holds"
    __table_args__ = (sa.CheckConstraint("reason <> ''", name="reason_given"),)

    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    held_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    held_by: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<PublicationHold assessment={self.assessment_id}>"
