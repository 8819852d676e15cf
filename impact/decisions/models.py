"""The committee's decision on an assessment: which meeting, which paragraph of the minutes, what was decided, and
whether the analysis changed the proposal."""

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from impact.assessments.models import Assessment
from impact.auth.models import User
from impact.core.db import UTCDateTime, db, enum_type, utcnow
from impact.core.enums import LabelledEnum


class CommitteeOutcome(LabelledEnum):
    """What the committee decided on the proposal (the words of Swedish minutes)."""

    approved = "approved", _l("Approved as proposed")
    approved_with_changes = "approved_with_changes", _l("Approved with changes")
    rejected = "rejected", _l("Rejected")
    referred_back = "referred_back", _l("Referred back")
    postponed = "postponed", _l("Postponed")


class CommitteeDecision(db.Model):
    __tablename__ = "committee_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # One decision per version of an assessment; a new version gets its own when its committee decides.
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), unique=True)
    committee: Mapped[str] = mapped_column(sa.String(200), index=True)
    meeting_date: Mapped[date] = mapped_column(index=True)
    paragraph: Mapped[str] = mapped_column(sa.String(40))  # "§ 123" in the minutes
    outcome: Mapped[CommitteeOutcome] = mapped_column(enum_type(CommitteeOutcome, "committee_outcome"), index=True)
    # Whether the analysis changed the proposal before or at the meeting, and how.
    analysis_changed: Mapped[bool]
    analysis_change: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    minutes_reference: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    recorded_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    corrected_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    assessment: Mapped[Assessment] = relationship(
        backref=backref("committee_decision", uselist=False, cascade="all, delete-orphan", passive_deletes=True)
    )
    recorded_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def minutes_link(self) -> str | None:
        """The reference when it is a web address (shown as a link), else None."""
        reference = self.minutes_reference.strip()
        return reference if reference.lower().startswith(("https://", "http://")) else None

    def __repr__(self) -> str:
        return f"<CommitteeDecision {self.id} assessment={self.assessment_id} {self.outcome.value}>"
