"""The vocabularies of an assessment: its states, the impact scale, confidence, mitigation states."""

from flask_babel import lazy_gettext as _l

from impact.core.enums import LabelledEnum


class AssessmentStatus(LabelledEnum):
    draft = "draft", _l("Draft")
    submitted = "submitted", _l("Submitted")
    returned = "returned", _l("Returned")
    approved = "approved", _l("Approved")
    # The committee has dealt with it and its decision is recorded (impact/decisions).
    decided = "decided", _l("Decided")
    withdrawn = "withdrawn", _l("Withdrawn")
    archived = "archived", _l("Archived")


# Approved, and perhaps decided by the committee: the assessment in force, amendable, followed up, counted.
IN_FORCE = (AssessmentStatus.approved, AssessmentStatus.decided)


class Impact(LabelledEnum):
    significantly_negative = "significantly_negative", _l("Significantly negative")
    negative = "negative", _l("Negative")
    neutral = "neutral", _l("Neutral")
    positive = "positive", _l("Positive")
    significantly_positive = "significantly_positive", _l("Significantly positive")
    cannot_assess = "cannot_assess", _l("Cannot yet be assessed")

    @property
    def score(self) -> int | None:
        """-2..2 on the five-step scale; None when the impact cannot yet be assessed."""
        return IMPACT_SCORES.get(self)

    @property
    def is_negative(self) -> bool:
        return self in (Impact.significantly_negative, Impact.negative)


IMPACT_SCORES = {
    Impact.significantly_negative: -2,
    Impact.negative: -1,
    Impact.neutral: 0,
    Impact.positive: 1,
    Impact.significantly_positive: 2,
}


def remaining_better_than_impact(impact: Impact | None, remaining: Impact | None) -> bool:
    """A negative impact is said to become better after the mitigations (which only a mitigation can bring about)."""
    if impact is None or remaining is None or not impact.is_negative or remaining.score is None:
        return False
    return remaining.score > impact.score


class Confidence(LabelledEnum):
    low = "low", _l("Low")
    medium = "medium", _l("Medium")
    high = "high", _l("High")


class MitigationStatus(LabelledEnum):
    planned = "planned", _l("Planned")
    in_progress = "in_progress", _l("In progress")
    done = "done", _l("Done")
    dropped = "dropped", _l("Dropped")


class Outcome(LabelledEnum):
    """The outcome of the analysis, as the UK equality regulator describes the four possible ones."""

    no_major_change = "no_major_change", _l("No major change needed")
    adjust = "adjust", _l("Adjust the proposal")
    continue_despite = "continue_despite", _l("Continue despite adverse impacts")
    stop = "stop", _l("Stop and rethink the proposal")


class CommitteeOutcome(LabelledEnum):
    """What the committee decided on the proposal (the words of Swedish minutes)."""

    approved = "approved", _l("Approved as proposed")
    approved_with_changes = "approved_with_changes", _l("Approved with changes")
    rejected = "rejected", _l("Rejected")
    referred_back = "referred_back", _l("Referred back")
    postponed = "postponed", _l("Postponed")


class ConsultationMethod(LabelledEnum):
    """How a group was heard (dialogue, consultation) about the proposal."""

    meeting = "meeting", _l("Dialogue meeting")
    survey = "survey", _l("Survey")
    walk_through = "walk_through", _l("Walk-through")
    focus_group = "focus_group", _l("Focus group")
    digital = "digital", _l("Digital consultation")
    other = "other", _l("Other")


class MinorityAnswer(LabelledEnum):
    """Whether the proposal concerns a national minority."""

    yes = "yes", _l("Yes")
    no = "no", _l("No")
    unknown = "unknown", _l("Don't know")


class NationalMinority(LabelledEnum):
    """Sweden's five national minorities (law 2009:724 on national minorities and minority languages)."""

    sweden_finns = "sweden_finns", _l("Sweden Finns")
    jews = "jews", _l("Jews")
    roma = "roma", _l("Roma")
    sami = "sami", _l("Sami")
    tornedalians = "tornedalians", _l("Tornedalians")


class ChildRightEffect(LabelledEnum):
    """What the proposal does to one right of the child (the Children's Ombudsman's method support)."""

    strengthened = "strengthened", _l("Strengthened")
    unaffected = "unaffected", _l("Unaffected")
    weakened = "weakened", _l("Weakened")
