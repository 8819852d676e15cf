"""A case on a committee's list, as the case-management system exports it."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from impact.core.db import UTCDateTime, db, utcnow


class CommitteeCase(db.Model):
    __tablename__ = "committee_cases"
    __table_args__ = (
        # The same case at the same meeting of the same committee is one row: importing a list twice adds nothing.
        sa.UniqueConstraint("committee", "meeting_date", "case_number"),
        sa.Index("ix_committee_cases_committee_meeting", "committee", "meeting_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(sa.String(60), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    committee: Mapped[str] = mapped_column(sa.String(200))
    meeting_date: Mapped[date]
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<CommitteeCase {self.committee} {self.meeting_date} {self.case_number}>"
