"""A reviewer's comments on an assessment: on one ground, on one section, or on the whole."""

from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.assessments.models import Assessment
from impact.auth.models import User
from impact.core.db import UTCDateTime, db, enum_type, utcnow
from impact.core.enums import LabelledEnum
from impact.grounds.models import Ground


class Section(LabelledEnum):
    proposal = "proposal", _l("Proposal")
    screening = "screening", _l("Screening")
    involvement = "involvement", _l("Involvement and dialogue")
    child_rights = "child_rights", _l("The best interests of the child")
    actions = "actions", _l("Action plan")
    conclusion = "conclusion", _l("Conclusion")
    overall = "overall", _l("Decision")


class Decision(LabelledEnum):
    approved = "approved", _l("Approved")
    returned = "returned", _l("Returned")


class ReviewComment(db.Model):
    __tablename__ = "review_comments"
    __table_args__ = (
        # A comment concerns either one ground or one section, never both and never neither.
        sa.CheckConstraint("(ground_id IS NULL) <> (section IS NULL)", name="ground_or_section"),
        sa.CheckConstraint("body <> ''", name="body_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id"), index=True)
    ground_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("grounds.id"))
    section: Mapped[Optional[Section]] = mapped_column(enum_type(Section, "review_section"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(sa.Text)
    # The review round (1 for the first submission) and the decision the comment came with.
    round: Mapped[int]
    decision: Mapped[Decision] = mapped_column(enum_type(Decision, "review_decision"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship()
    ground: Mapped[Optional[Ground]] = relationship()
    author: Mapped[User] = relationship()
