"""An assessment of one proposal, its answer per ground, its action plan for negative impacts, and who was heard."""

from datetime import date, datetime
from typing import Optional

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from impact.assessments.enums import (
    AssessmentStatus,
    CommitteeOutcome,
    Confidence,
    ConsultationMethod,
    Impact,
    MinorityAnswer,
    MitigationStatus,
    NationalMinority,
    Outcome,
)
from impact.auth.models import User
from impact.core.db import UTCDateTime, db, enum_type, utcnow
from impact.grounds.models import Ground, TemplateVersion, localized
from impact.org.models import Area, Department, District

assessment_authors = sa.Table(
    "assessment_authors",
    db.metadata,
    sa.Column("assessment_id", sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)

assessment_districts = sa.Table(
    "assessment_districts",
    db.metadata,
    sa.Column("assessment_id", sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("district_id", sa.ForeignKey("districts.id"), primary_key=True, index=True),
)

# The areas within districts the proposal touches; each one's district is among assessment_districts too, so that
# every summary, which counts by district, counts the area for its district.
assessment_areas = sa.Table(
    "assessment_areas",
    db.metadata,
    sa.Column("assessment_id", sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id"), primary_key=True, index=True),
)

# The grounds an action of the action plan addresses: one action may help several groups.
mitigation_grounds = sa.Table(
    "mitigation_grounds",
    db.metadata,
    sa.Column("mitigation_id", sa.ForeignKey("mitigations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("ground_answer_id", sa.ForeignKey("ground_answers.id", ondelete="CASCADE"), primary_key=True, index=True),
)

ground_answer_districts = sa.Table(
    "ground_answer_districts",
    db.metadata,
    sa.Column("ground_answer_id", sa.ForeignKey("ground_answers.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("district_id", sa.ForeignKey("districts.id"), primary_key=True, index=True),
)

# The areas affected differently on a ground (their districts are among ground_answer_districts too).
ground_answer_areas = sa.Table(
    "ground_answer_areas",
    db.metadata,
    sa.Column("ground_answer_id", sa.ForeignKey("ground_answers.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id"), primary_key=True, index=True),
)


class Assessment(db.Model):
    __tablename__ = "assessments"
    __table_args__ = (
        # Workflow invariants the database itself guarantees.
        sa.CheckConstraint(
            "status NOT IN ('submitted', 'approved', 'decided', 'archived') OR submitted_at IS NOT NULL",
            name="submitted_has_time",
        ),
        sa.CheckConstraint(
            "status NOT IN ('approved', 'decided', 'archived') "
            "OR (decided_at IS NOT NULL AND decided_by_id IS NOT NULL)",
            name="approved_has_decision",
        ),
        sa.Index("ix_assessments_department_status", "department_id", "status"),
        # The list's sort orders, each ending with the id, so a keyset page is one index range scan.
        sa.Index("ix_assessments_updated_id", "updated_at", "id"),
        sa.Index("ix_assessments_created_id", "created_at", "id"),
        sa.Index("ix_assessments_title_id", "title", "id"),
        # The dashboard's overdue follow-ups: approved assessments whose follow-up date has passed.
        sa.Index("ix_assessments_status_follow_up", "status", "follow_up_date"),
        # The ground page's combined effects: the approved assessments of the last twelve months.
        sa.Index("ix_assessments_status_decided", "status", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_version_id: Mapped[int] = mapped_column(sa.ForeignKey("template_versions.id"))
    department_id: Mapped[int] = mapped_column(sa.ForeignKey("departments.id"))
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[AssessmentStatus] = mapped_column(
        enum_type(AssessmentStatus, "assessment_status"), default=AssessmentStatus.draft, index=True
    )
    # The approved assessment this one amends; versions of one proposal form a chain.
    amends_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("assessments.id"), index=True)
    version_number: Mapped[int] = mapped_column(default=1, server_default="1")

    # The proposal.
    title: Mapped[str] = mapped_column(sa.String(300))
    case_number: Mapped[str] = mapped_column(sa.String(60), index=True)
    committee: Mapped[Optional[str]] = mapped_column(sa.String(200))
    decision_date: Mapped[Optional[date]]
    description: Mapped[str] = mapped_column(sa.Text, default="")
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    concerns: Mapped[str] = mapped_column(sa.Text, default="")
    whole_municipality: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    # Screening: None until answered; False means "screening only".
    affects_people: Mapped[Optional[bool]]
    screening_reason: Mapped[str] = mapped_column(sa.Text, default="")

    # Conclusion.
    overall_assessment: Mapped[str] = mapped_column(sa.Text, default="")
    combined_effects: Mapped[str] = mapped_column(sa.Text, default="")
    recommendation: Mapped[str] = mapped_column(sa.Text, default="")
    follow_up_date: Mapped[Optional[date]]
    # The outcome of the analysis; None until chosen, and never asked of a screening-only assessment.
    analysis_outcome: Mapped[Optional[Outcome]] = mapped_column(enum_type(Outcome, "analysis_outcome"), index=True)
    # What was adjusted (outcome "adjust"), and why continuing despite adverse impacts is proportionate and what
    # was weighed (outcome "continue despite"); each is kept only while its outcome is the chosen one.
    adjustments: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    outcome_justification: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    decided_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    # Optimistic locking: an UPDATE that did not see the latest version fails instead of overwriting.
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    template_version: Mapped[TemplateVersion] = relationship()
    department: Mapped[Department] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[Optional[User]] = relationship(foreign_keys=[decided_by_id])
    authors: Mapped[list[User]] = relationship(secondary=assessment_authors, order_by=User.name)
    districts: Mapped[list[District]] = relationship(secondary=assessment_districts, order_by=District.name)
    areas: Mapped[list[Area]] = relationship(secondary=assessment_areas, order_by=Area.name)
    answers: Mapped[list["GroundAnswer"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="GroundAnswer.id"
    )
    amends: Mapped[Optional["Assessment"]] = relationship(remote_side=[id])
    alternatives: Mapped[list["Alternative"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Alternative.id"
    )
    committee_decision: Mapped[Optional["CommitteeDecision"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )
    consultations: Mapped[list["Consultation"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Consultation.id"
    )
    # The action plan: one list of actions for the whole assessment, each addressing one or more grounds.
    actions: Mapped[list["Mitigation"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Mitigation.id"
    )
    involvement: Mapped[Optional["Involvement"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )
    child_rights: Mapped[Optional["ChildRights"]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def screening_only(self) -> bool:
        return self.affects_people is False

    @property
    def outcome(self) -> Outcome | None:
        """The outcome as reported: a screening-only assessment implies that no major change is needed."""
        return Outcome.no_major_change if self.screening_only else self.analysis_outcome

    @property
    def outcome_text(self) -> str:
        """The adjustment or the justification that goes with the chosen outcome, if it needs one."""
        if self.screening_only:
            return ""
        if self.analysis_outcome == Outcome.adjust:
            return self.adjustments
        if self.analysis_outcome == Outcome.continue_despite:
            return self.outcome_justification
        return ""

    @property
    def asks_involvement(self) -> bool:
        """Whether the involvement step must be complete to submit: not for an assessment started before it."""
        return self.involvement is not None and self.involvement.required

    @property
    def asks_child_rights(self) -> bool:
        """Whether the screening must say if the proposal concerns children, and the child-rights step be complete
        when it does: not for an assessment started before the step."""
        return self.child_rights is not None and self.child_rights.required

    @property
    def concerns_children(self) -> bool:
        """Whether the proposal affects people and concerns children, so the child-rights step is shown."""
        return bool(self.affects_people and self.child_rights is not None and self.child_rights.concerns_children)

    def is_author(self, user) -> bool:
        return user.is_authenticated and any(author.id == user.id for author in self.authors)

    def answer_for(self, ground: Ground) -> Optional["GroundAnswer"]:
        return next((answer for answer in self.answers if answer.ground_id == ground.id), None)

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.case_number} {self.status.value}>"


class GroundAnswer(db.Model):
    __tablename__ = "ground_answers"
    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "ground_id"),
        # The list filtered on a ground and an impact finds its answers by index, not by scanning the ground's.
        sa.Index("ix_ground_answers_ground_impact", "ground_id", "impact", "assessment_id", "relevant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"))
    ground_id: Mapped[int] = mapped_column(sa.ForeignKey("grounds.id"), index=True)
    relevant: Mapped[Optional[bool]]
    not_relevant_reason: Mapped[str] = mapped_column(sa.Text, default="")
    impact: Mapped[Optional[Impact]] = mapped_column(enum_type(Impact, "impact"), index=True)
    missing_information: Mapped[str] = mapped_column(sa.Text, default="")
    affected_groups: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    evidence_links: Mapped[str] = mapped_column(sa.Text, default="")
    confidence: Mapped[Optional[Confidence]] = mapped_column(enum_type(Confidence, "confidence"))
    district_notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Why a negative impact is accepted without mitigation.
    acceptance_justification: Mapped[str] = mapped_column(sa.Text, default="")
    # The impact that remains once the mitigations are carried out, on the same scale; None when not given.
    remaining_impact: Mapped[Optional[Impact]] = mapped_column(enum_type(Impact, "remaining_impact"))
    # Recorded at follow-up: what actually happened against what was predicted.
    actual_outcome: Mapped[str] = mapped_column(sa.Text, default="")
    # The impact that actually came about, next to the predicted one, with a short comment and when it was recorded.
    actual_impact: Mapped[Optional[Impact]] = mapped_column(enum_type(Impact, "actual_impact"))
    actual_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    actual_recorded_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"))
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    ground: Mapped[Ground] = relationship()
    districts: Mapped[list[District]] = relationship(secondary=ground_answer_districts, order_by=District.name)
    areas: Mapped[list[Area]] = relationship(secondary=ground_answer_areas, order_by=Area.name)
    # The actions of the assessment's action plan that address this ground.
    mitigations: Mapped[list["Mitigation"]] = relationship(
        secondary=mitigation_grounds, back_populates="answers", order_by="Mitigation.id"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def score(self) -> int | None:
        return self.impact.score if self.impact is not None and self.relevant else None

    @property
    def impact_text(self) -> str:
        """The impact in words, with the one that remains after the actions when that is given ("Negative →
        neutral after actions"); empty while no impact is chosen."""
        if self.impact is None:
            return ""
        if self.remaining_impact is None:
            return str(self.impact.label)
        return _(
            "%(impact)s → %(remaining)s after actions",
            impact=self.impact.label,
            remaining=str(self.remaining_impact.label).lower(),
        )

    @property
    def predicted_impact(self) -> Impact | None:
        """What the assessment predicts remains: the remaining impact after the actions, else the impact itself."""
        return self.remaining_impact or self.impact

    @property
    def actual_text(self) -> str:
        """The actual impact against the predicted one ("Negative (predicted: neutral)"); empty until recorded."""
        if self.actual_impact is None:
            return ""
        if self.prediction_held:
            return _("%(actual)s, as predicted", actual=self.actual_impact.label)
        predicted = self.predicted_impact
        return _(
            "%(actual)s (predicted: %(predicted)s)",
            actual=self.actual_impact.label,
            predicted=str(predicted.label).lower() if predicted else "–",
        )

    @property
    def prediction_held(self) -> bool | None:
        """Whether the actual impact is the predicted one; None until an actual impact is recorded."""
        if self.actual_impact is None or not self.relevant:
            return None
        return self.actual_impact == self.predicted_impact


class Mitigation(db.Model):
    """An action of the assessment's action plan: what will be done, who is responsible (a user of any department,
    or a named external party such as a landlord), by when, at what cost, and the grounds it addresses. The table
    keeps the name it had when actions were typed per ground, so that the audit trail's references stay valid."""

    __tablename__ = "mitigations"
    __table_args__ = (
        sa.CheckConstraint("status <> 'dropped' OR dropped_reason <> ''", name="dropped_has_reason"),
        sa.Index("ix_mitigations_status_due", "status", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    # A named external party (or, for actions typed before owners were chosen, the name typed then).
    responsible: Mapped[str] = mapped_column(sa.String(200))
    owner_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("users.id"), index=True)
    due_date: Mapped[Optional[date]]
    status: Mapped[MitigationStatus] = mapped_column(
        enum_type(MitigationStatus, "mitigation_status"), default=MitigationStatus.planned
    )
    dropped_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    outcome: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Optional cost or resources the action needs, in the officer's words.
    cost: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Two people following up the same mitigation must not overwrite each other without knowing it.
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    assessment: Mapped[Assessment] = relationship(back_populates="actions")
    answers: Mapped[list[GroundAnswer]] = relationship(secondary=mitigation_grounds, back_populates="mitigations")
    owner: Mapped[Optional[User]] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def who(self) -> str:
        """Who is responsible, in words: the owner with their department, else the external party."""
        if self.owner is not None:
            department = self.owner.department
            return f"{self.owner.name} ({department.name})" if department is not None else self.owner.name
        return self.responsible

    @property
    def grounds(self) -> list[Ground]:
        """The grounds the action addresses, in the template's order."""
        return sorted((answer.ground for answer in self.answers), key=lambda ground: ground.position)

    @property
    def grounds_text(self) -> str:
        return ", ".join(ground.name for ground in self.grounds)


class Alternative(db.Model):
    """An alternative to the proposal that was considered, and why the proposal was preferred to it."""

    __tablename__ = "alternatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(sa.Text)
    # How the alternative would affect the grounds compared with the proposal.
    effects: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    why_not_chosen: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="alternatives")


class CommitteeDecision(db.Model):
    """The committee's decision on one version of an assessment: which meeting, which paragraph of the minutes,
    what was decided, and whether the analysis changed the proposal. Recorded and corrected by the decisions
    feature (``impact/decisions``)."""

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

    assessment: Mapped["Assessment"] = relationship(back_populates="committee_decision")
    recorded_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def minutes_link(self) -> str | None:
        """The reference when it is a web address (shown as a link), else None."""
        reference = self.minutes_reference.strip()
        return reference if reference.lower().startswith(("https://", "http://")) else None

    def __repr__(self) -> str:
        return f"<CommitteeDecision {self.id} assessment={self.assessment_id} {self.outcome.value}>"


class GroupKind(db.Model):
    """A kind of group or organisation that can be heard about a proposal (the youth council, residents of a
    district, ...): a list admins keep, offered on the involvement page. Never deleted: consultations point at it."""

    __tablename__ = "group_kinds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_sv: Mapped[str] = mapped_column(sa.String(200), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    @property
    def name(self) -> str:
        return localized(self.name_sv, self.name_en)

    def __repr__(self) -> str:
        return f"<GroupKind {self.name_sv}>"


class Consultation(db.Model):
    """One occasion when a group was heard about the proposal: who, how, when, roughly how many, what they said
    and what changed in the proposal because of it."""

    __tablename__ = "consultations"
    __table_args__ = (
        sa.CheckConstraint("participants IS NULL OR participants >= 0", name="participants_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    # A kind from the admins' list, or none when the group is only named in ``group_name``.
    group_kind_id: Mapped[Optional[int]] = mapped_column(sa.ForeignKey("group_kinds.id"), index=True)
    group_name: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    method: Mapped[Optional[ConsultationMethod]] = mapped_column(enum_type(ConsultationMethod, "consultation_method"))
    held_on: Mapped[Optional[date]]
    participants: Mapped[Optional[int]]
    views: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    changes_made: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="consultations")
    group_kind: Mapped[Optional[GroupKind]] = relationship()

    @property
    def who(self) -> str:
        """The group as people read it: its kind and its name, or either alone."""
        kind = self.group_kind.name if self.group_kind is not None else ""
        return ": ".join(part for part in (kind, self.group_name) if part)


# The involvement step's answers that are not rows, in the order of its page.
INVOLVEMENT_ANSWERS = (
    "no_consultation_reason",
    "national_minority",
    "minorities",
    "minority_consulted",
    "minority_not_consulted_reason",
)


class Involvement(db.Model):
    """The involvement step's answers that are not rows: why nobody was heard, and the national minorities."""

    __tablename__ = "involvements"

    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    # True for an assessment started with the step; False when it was filled in on one started before it existed.
    required: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    no_consultation_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    national_minority: Mapped[Optional[MinorityAnswer]] = mapped_column(enum_type(MinorityAnswer, "minority_answer"))
    # The NationalMinority values concerned, in the enum's order; kept only while the answer is "yes".
    minorities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    minority_consulted: Mapped[Optional[bool]]
    minority_not_consulted_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    assessment: Mapped[Assessment] = relationship(back_populates="involvement")

    @staticmethod
    def answers_of(involvement: Optional["Involvement"]) -> dict:
        """The step's answers as plain values (an enum by its value), or the empty ones when none is saved."""
        if involvement is None:
            return dict.fromkeys(INVOLVEMENT_ANSWERS, "") | {
                "national_minority": None,
                "minorities": [],
                "minority_consulted": None,
            }
        answer = involvement.national_minority
        return {
            "no_consultation_reason": involvement.no_consultation_reason or "",
            "national_minority": answer.value if answer else None,
            "minorities": list(involvement.minorities or []),
            "minority_consulted": involvement.minority_consulted,
            "minority_not_consulted_reason": involvement.minority_not_consulted_reason or "",
        }

    @property
    def minority_labels(self) -> list[str]:
        known = NationalMinority._value2member_map_
        return [str(known[value].label) for value in self.minorities if value in known]


# The child-rights step's models live in their own module; importing them here registers them with every use of
# Assessment (its ``child_rights`` relationship names them).
from impact.assessments.child_rights import ChildRightEffectRow, ChildRights  # noqa: E402, F401
