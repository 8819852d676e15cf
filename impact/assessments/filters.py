"""The one set of filters shared by the assessment list, the dashboard, the exports and the API.

Everything that counts or lists assessments applies ``AssessmentFilterForm.apply`` to its query, so the same
filters always select the same assessments and figures agree across pages.
"""

from collections.abc import Callable
from functools import lru_cache
from urllib.parse import quote_plus

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SearchField, SelectField, SelectMultipleField
from wtforms.validators import Length, Optional, ValidationError

from impact.assessments import due
from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
from impact.assessments.enums import (
    AssessmentStatus,
    ChildRightEffect,
    CommitteeOutcome,
    Confidence,
    Impact,
    MitigationStatus,
    Outcome,
)
from impact.assessments.models import (
    Assessment,
    CommitteeDecision,
    Consultation,
    GroundAnswer,
    GroupKind,
    Mitigation,
    assessment_areas,
    assessment_districts,
    mitigation_grounds,
)
from impact.assessments.search.query import Search
from impact.audit.models import AuditEvent
from impact.auth.models import User
from impact.core.db import db
from impact.core.forms import ImpactForm
from impact.core.params import on_or_after, on_or_before
from impact.core.timefmt import local_today
from impact.grounds.models import Ground, reportable_ground_names
from impact.org.committees import committee_names
from impact.org.models import Area, Department, District

# Impact classes used by summaries: the five-step scale folded into three, plus "cannot yet be assessed".
IMPACT_CLASSES = {
    "negative": (Impact.significantly_negative, Impact.negative),
    "neutral": (Impact.neutral,),
    "positive": (Impact.positive, Impact.significantly_positive),
    "not_assessed": (Impact.cannot_assess,),
}
IMPACT_CLASS_LABELS = {
    "negative": _l("Negative"),
    "neutral": _l("Neutral"),
    "positive": _l("Positive"),
    "not_assessed": _l("Cannot yet be assessed"),
}
# Things an auditor follows up; each selects the assessments behind one dashboard figure.
CONCERN_LABELS = {
    "unmitigated": _l("Negative impact without mitigation or justification"),
    "overdue_mitigation": _l("Overdue mitigation"),
    "overdue_follow_up": _l("Overdue follow-up"),
    "open_mitigation": _l("Mitigation not yet done"),
    "adverse_remains": _l("Adverse impact accepted: continuing despite it, or negative after the actions"),
}
# The committee's decision: one outcome, either kind of approval, or none recorded yet.
DECISION_LABELS = {
    **dict(CommitteeOutcome.choices()),
    "adopted": _l("Approved, with or without changes"),
    "none": _l("No decision recorded yet"),
}
ADOPTED = (CommitteeOutcome.approved, CommitteeOutcome.approved_with_changes)
# What an auditor checks of an assessment's quality; each selects the assessments behind one quality figure.
QUALITY_LABELS = {
    "screened_out": _l("Screened out (does not affect people)"),
    "low_confidence": _l("Low confidence on a relevant ground"),
    "no_evidence_link": _l("No evidence link on any relevant ground"),
    "returned_once": _l("Returned for changes at least once"),
}
# The child-rights assessment: the proposal concerns children; and a right of the child is weakened.
CHILDREN_LABELS = {
    "concerns": _l("Concerns children"),
    "heard": _l("Concerns children, and children were heard"),
    "weakened": _l("A right of the child is weakened"),
}
# How the actual impact recorded at follow-up compares with the predicted one (the remaining impact, else the impact).
PREDICTION_LABELS = {
    "recorded": _l("Actual impact recorded at follow-up"),
    "held": _l("The prediction held"),
    "missed": _l("The prediction did not hold"),
}
# The owner's department of a mitigation when no owner is chosen.
NO_OWNER = "none"
# Characters url_for leaves unescaped in a query string (Werkzeug's), so both ways give the same links.
URL_SAFE = "!$'()*,/:;?@"


class AssessmentFilterForm(ImpactForm):
    """Read from the query string (GET, no CSRF). Build with ``AssessmentFilterForm.from_args(request.args)``."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)])
    status = SelectMultipleField(_l("Status"), choices=AssessmentStatus.choices(), validators=[Optional()])
    department = SelectField(_l("Department"), validators=[Optional()], validate_choice=True)
    ground = SelectField(_l("Ground"), validators=[Optional()], validate_choice=True)
    impact = SelectField(
        _l("Impact"), choices=[("", _l("Any impact")), *IMPACT_CLASS_LABELS.items()], validators=[Optional()]
    )
    district = SelectField(_l("District"), validators=[Optional()], validate_choice=True)
    area = SelectField(_l("Area within a district"), validators=[Optional()], validate_choice=True)
    date_from = DateField(_l("Created from"), validators=[Optional()])
    date_to = DateField(_l("Created to"), validators=[Optional()])
    concern = SelectField(
        _l("Needs attention"), choices=[("", _l("Anything")), *CONCERN_LABELS.items()], validators=[Optional()]
    )
    outcome = SelectField(
        _l("Outcome of the assessment"), choices=[("", _l("Any outcome")), *Outcome.choices()], validators=[Optional()]
    )
    committee = SelectField(_l("Committee"), validators=[Optional()], validate_choice=True)
    decision = SelectField(
        _l("The committee's decision"),
        choices=[("", _l("Any decision")), *DECISION_LABELS.items()],
        validators=[Optional()],
    )
    analysis_changed = SelectField(
        _l("The analysis changed the proposal"),
        choices=[("", _l("Either")), ("yes", _l("Yes")), ("no", _l("No"))],
        validators=[Optional()],
    )
    involvement = SelectField(_l("Who was heard"), validators=[Optional()], validate_choice=True)
    children = SelectField(
        _l("Children"),
        choices=[("", _l("Any")), *CHILDREN_LABELS.items()],
        validators=[Optional()],
    )
    quality = SelectField(_l("Quality"), choices=[("", _l("Any")), *QUALITY_LABELS.items()], validators=[Optional()])
    prediction = SelectField(
        _l("Predicted and actual impact"),
        choices=[("", _l("Any")), *PREDICTION_LABELS.items()],
        validators=[Optional()],
    )
    owner_department = SelectField(_l("Department of a mitigation's owner"), validators=[Optional()])
    meeting_from = DateField(_l("Committee meeting from"), validators=[Optional()])
    meeting_to = DateField(_l("Committee meeting to"), validators=[Optional()])
    # The reviewer's approval (decided_at): which year's approved assessments a figure counts.
    decided_from = DateField(_l("Approved from"), validators=[Optional()])
    decided_to = DateField(_l("Approved to"), validators=[Optional()])

    @classmethod
    def from_args(cls, args) -> "AssessmentFilterForm":
        form = cls(formdata=args)
        departments = db.session.scalars(sa.select(Department).order_by(Department.name)).all()
        form.department.choices = [("", _l("All departments"))] + [(dept.code, dept.name) for dept in departments]
        form.owner_department.choices = [
            ("", _l("All departments")),
            *((dept.code, dept.name) for dept in departments),
            (NO_OWNER, _l("No owner chosen")),
        ]
        form.ground.choices = [("", _l("All grounds")), *reportable_ground_names()]
        # The districts and their areas in one query (a list page's queries are counted).
        places = db.session.execute(
            sa.select(District.name, Area.code, Area.name)
            .outerjoin(Area, Area.district_id == District.id)
            .order_by(District.name, Area.name)
        ).all()
        form.district.choices = [("", _l("All districts"))] + [
            (district, district) for district in dict.fromkeys(district for district, _code, _area in places)
        ]
        form.area.choices = [("", _l("All areas"))] + [
            (code, f"{area} ({district})") for district, code, area in places if code is not None
        ]
        # The committees the departments name (those a proposal can be sent to) and, so that a link made before a
        # committee was renamed still works, the one asked for.
        names = committee_names([args.get("committee")])
        form.committee.choices = [("", _l("All committees"))] + [(name, name) for name in names]
        kinds = sorted(db.session.scalars(sa.select(GroupKind)), key=lambda kind: kind.name.lower())
        form.involvement.choices = [
            ("", _l("Anyone or nobody")),
            ("none", _l("Nobody heard (no consultation recorded)")),
            *((f"kind-{kind.id}", _l("Heard: %(kind)s", kind=kind.name)) for kind in kinds),
        ]
        form.validate()
        return form

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def validate_meeting_to(self, field) -> None:
        if field.data and self.meeting_from.data and field.data < self.meeting_from.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def validate_decided_to(self, field) -> None:
        if field.data and self.decided_from.data and field.data < self.decided_from.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def _value(self, field):
        """A field's value, or None if it is empty or did not validate (a bad filter is ignored, and shown)."""
        return field.data if field.data not in (None, "", []) and not field.errors else None

    def value(self, name: str, overrides: dict | None = None):
        """The filter ``name``'s value, unless ``overrides`` (as given to ``apply``) replaces it."""
        if overrides and name in overrides:
            return overrides[name] or None
        return self._value(self[name])

    def answer_conditions(self, **overrides) -> list[sa.ColumnElement[bool]]:
        """Conditions on one GroundAnswer: ground, impact and answer-level concerns hold for the same answer."""
        ground_key = self.value("ground", overrides)
        impact_class = self.value("impact", overrides)
        concern = self.value("concern", overrides)
        prediction = self.value("prediction", overrides)
        owner = self.value("owner_department", overrides)
        if not (ground_key or impact_class or prediction or owner or concern in ("unmitigated", "overdue_mitigation")):
            return []
        condition = [GroundAnswer.relevant.is_(True)]
        if ground_key:
            condition.append(GroundAnswer.ground_id.in_(sa.select(Ground.id).where(Ground.key == ground_key)))
        if impact_class:
            condition.append(GroundAnswer.impact.in_(IMPACT_CLASSES[impact_class]))
        if prediction in PREDICTION:
            condition.append(PREDICTION[prediction]())
        if concern == "unmitigated":
            condition.append(unmitigated_answer())
        # One mitigation both overdue and owned in the department, when both are asked for.
        mitigation = [due.overdue_mitigation(local_today())] if concern == "overdue_mitigation" else []
        if owner:
            mitigation.append(owned_in(owner))
        if mitigation:
            condition.append(
                sa.exists()
                .where(
                    mitigation_grounds.c.ground_answer_id == GroundAnswer.id,
                    Mitigation.id == mitigation_grounds.c.mitigation_id,
                    *mitigation,
                )
                .correlate(GroundAnswer)
            )
        return condition

    def apply(self, statement: sa.Select, **overrides) -> sa.Select:
        """Add this form's conditions to a SELECT that includes the assessments table.

        ``overrides`` replace single filters (as ``to_args(**overrides)`` does for links), so a figure and the
        link to the list behind it always select the same assessments.
        """
        if text := self.value("q", overrides):
            # The full-text index: title, case number, the proposal's texts and the grounds' groups and evidence.
            statement = statement.where(Assessment.id.in_(Search.of(text).ids()))
        # Optional() clears choice errors when the first value is empty, so unknown values can still arrive here.
        known = {status.value for status in AssessmentStatus}
        if statuses := [AssessmentStatus(value) for value in self.value("status", overrides) or [] if value in known]:
            statement = statement.where(Assessment.status.in_(statuses))
        if code := self.value("department", overrides):
            statement = statement.where(
                Assessment.department_id == sa.select(Department.id).where(Department.code == code).scalar_subquery()
            )
        if name := self.value("district", overrides):
            statement = statement.where(touches_district(name))
        if code := self.value("area", overrides):
            statement = statement.where(
                sa.exists()
                .where(
                    assessment_areas.c.assessment_id == Assessment.id,
                    assessment_areas.c.area_id == sa.select(Area.id).where(Area.code == code).scalar_subquery(),
                )
                .correlate(Assessment)
            )
        if start := self.value("date_from", overrides):
            statement = statement.where(on_or_after(Assessment.created_at, start))
        if end := self.value("date_to", overrides):
            statement = statement.where(on_or_before(Assessment.created_at, end))
        if start := self.value("decided_from", overrides):
            statement = statement.where(on_or_after(Assessment.decided_at, start))
        if end := self.value("decided_to", overrides):
            statement = statement.where(on_or_before(Assessment.decided_at, end))
        if outcome := self.value("outcome", overrides):
            statement = statement.where(outcome_is(Outcome(outcome)))
        if self.value("concern", overrides) == "overdue_follow_up":
            statement = statement.where(due.overdue_follow_up(local_today()))
        if self.value("concern", overrides) == "open_mitigation":
            statement = statement.where(has_open_mitigation())
        if self.value("concern", overrides) == "adverse_remains":
            statement = statement.where(adverse_remains())
        statement = self._decision_conditions(statement, overrides)
        if heard := self.value("involvement", overrides):
            statement = statement.where(involvement_is(heard))
        if children := self.value("children", overrides):
            statement = statement.where(children_is(children))
        if quality := self.value("quality", overrides):
            statement = statement.where(QUALITY[quality]())
        if answer_condition := self.answer_conditions(**overrides):
            statement = statement.where(
                sa.exists()
                .where(GroundAnswer.assessment_id == Assessment.id, *answer_condition)
                .correlate(Assessment)  # a query that joins ground answers itself still gets its own here
            )
        return statement

    def _decision_conditions(self, statement: sa.Select, overrides: dict) -> sa.Select:
        """The committee (the one that decided, else the one the proposal goes to) and the decision's filters."""
        if name := self.value("committee", overrides):
            statement = statement.where(committee_is(name))
        decision = self.value("decision", overrides)
        if decision == "none":
            statement = statement.where(~_decided_where())
        conditions = []
        if decision == "adopted":
            conditions.append(CommitteeDecision.outcome.in_(ADOPTED))
        elif decision in DECISION_LABELS and decision != "none":
            conditions.append(CommitteeDecision.outcome == CommitteeOutcome(decision))
        if changed := self.value("analysis_changed", overrides):
            conditions.append(CommitteeDecision.analysis_changed.is_(changed == "yes"))
        if start := self.value("meeting_from", overrides):
            conditions.append(CommitteeDecision.meeting_date >= start)
        if end := self.value("meeting_to", overrides):
            conditions.append(CommitteeDecision.meeting_date <= end)
        if conditions:
            statement = statement.where(_decided_where(*conditions))
        return statement

    def to_args(self, **changes) -> dict:
        """The valid filters as query-string arguments (for links, exports and pagination), with ``changes``."""
        args = {}
        for field in self:
            value = self._value(field)
            if value is not None:
                args[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
        args.update(changes)
        return {key: value for key, value in args.items() if value not in (None, "", [])}

    def link_maker(self, endpoint: str) -> Callable[[dict], str]:
        """A function giving ``endpoint``'s URL with these filters and the changes it is called with, as
        ``url_for(endpoint, **to_args(**changes))`` does; the route and the filters are resolved and encoded only
        once, which counts on a page linking hundreds of figures."""
        base, args = url_for(endpoint), self.to_args()
        encoded = {key: _query_pair(key, value) for key, value in args.items()}

        def url(changes: dict) -> str:
            parts = []
            for key in (*args, *(key for key in changes if key not in args)):
                if key not in changes:
                    parts.append(encoded[key])
                elif changes[key] not in (None, "", []):
                    parts.append(_query_pair(key, changes[key]))
            return f"{base}?{'&'.join(parts)}" if parts else base

        return url


def _query_pair(key: str, value) -> str:
    """``key=value`` for a query string (repeated for a list), encoded as url_for encodes it."""
    values = value if isinstance(value, list | tuple) else (value,)
    return "&".join(f"{_quoted(key)}={_quoted(str(item))}" for item in values)


@lru_cache(maxsize=4096)
def _quoted(text: str) -> str:
    # The same few keys and values (codes, classes, dates) come back hundreds of times on one page.
    return quote_plus(text, safe=URL_SAFE)


def touches_district(name: str) -> sa.ColumnElement[bool]:
    """The assessment names the district ``name``, or an area within it: areas roll up to their district. (Saving
    an area also saves its district; the second test keeps the rule when an admin has since moved the area.)"""
    district_id = sa.select(District.id).where(District.name == name).scalar_subquery()
    named = (
        sa.exists()
        .where(assessment_districts.c.assessment_id == Assessment.id, assessment_districts.c.district_id == district_id)
        .correlate(Assessment)
    )
    via_area = (
        sa.exists()
        .where(
            assessment_areas.c.assessment_id == Assessment.id,
            Area.id == assessment_areas.c.area_id,
            Area.district_id == district_id,
        )
        .correlate(Assessment)
    )
    return sa.or_(named, via_area)


def outcome_is(outcome: Outcome) -> sa.ColumnElement[bool]:
    """The assessment's outcome as reported is ``outcome``; a screening-only one counts as no major change."""
    screening_only = Assessment.affects_people.is_(False)
    if outcome == Outcome.no_major_change:
        return sa.or_(screening_only, Assessment.analysis_outcome == outcome)
    return sa.and_(~screening_only, Assessment.analysis_outcome == outcome)


def children_is(value: str) -> sa.ColumnElement[bool]:
    """ "concerns": the proposal affects people and concerns children; "heard": and children were heard; "weakened":
    and a right of the child is weakened. Anything else selects nothing."""
    concerns = (
        sa.exists()
        .where(ChildRights.assessment_id == Assessment.id, ChildRights.concerns_children.is_(True))
        .correlate(Assessment)
    )
    if value == "concerns":
        return sa.and_(Assessment.affects_people.is_(True), concerns)
    if value == "heard":
        heard = (
            sa.exists()
            .where(
                ChildRights.assessment_id == Assessment.id,
                ChildRights.concerns_children.is_(True),
                ChildRights.children_heard.is_(True),
            )
            .correlate(Assessment)
        )
        return sa.and_(Assessment.affects_people.is_(True), heard)
    if value == "weakened":
        weakened = (
            sa.exists()
            .where(
                ChildRightEffectRow.assessment_id == Assessment.id,
                ChildRightEffectRow.effect == ChildRightEffect.weakened,
            )
            .correlate(Assessment)
        )
        return sa.and_(Assessment.affects_people.is_(True), concerns, weakened)
    return sa.false()


def involvement_is(value: str) -> sa.ColumnElement[bool]:
    """ "none": it affects people (or is not yet screened) and no consultation is recorded; "kind-<id>": a
    consultation heard a group of that kind. Anything else selects nothing."""
    if value == "none":
        nobody = ~sa.exists().where(Consultation.assessment_id == Assessment.id).correlate(Assessment)
        return sa.and_(Assessment.affects_people.is_not(False), nobody)
    kind = value.removeprefix("kind-")
    if not kind.isdigit():
        return sa.false()
    return (
        sa.exists()
        .where(Consultation.assessment_id == Assessment.id, Consultation.group_kind_id == int(kind))
        .correlate(Assessment)
    )


def unmitigated_answer() -> sa.ColumnElement[bool]:
    """A relevant answer's negative impact has neither a mitigation (other than a dropped one) nor a justification."""
    return sa.and_(
        GroundAnswer.impact.in_(IMPACT_CLASSES["negative"]),
        GroundAnswer.acceptance_justification == "",
        ~sa.exists()
        .where(
            mitigation_grounds.c.ground_answer_id == GroundAnswer.id,
            Mitigation.id == mitigation_grounds.c.mitigation_id,
            Mitigation.status != MitigationStatus.dropped,
        )
        .correlate(GroundAnswer),
    )


def predicted_impact() -> sa.ColumnElement:
    """The impact an answer predicts: the one that remains after the actions, else the impact itself."""
    return sa.func.coalesce(GroundAnswer.remaining_impact, GroundAnswer.impact)


def actual_recorded() -> sa.ColumnElement[bool]:
    return GroundAnswer.actual_impact.is_not(None)


def prediction_held() -> sa.ColumnElement[bool]:
    return sa.and_(actual_recorded(), GroundAnswer.actual_impact == predicted_impact())


def prediction_missed() -> sa.ColumnElement[bool]:
    return sa.and_(actual_recorded(), GroundAnswer.actual_impact != predicted_impact())


PREDICTION = {"recorded": actual_recorded, "held": prediction_held, "missed": prediction_missed}


def owned_in(code: str) -> sa.ColumnElement[bool]:
    """A mitigation whose owner belongs to the department ``code``, or that has no owner (``NO_OWNER``)."""
    if code == NO_OWNER:
        return Mitigation.owner_id.is_(None)
    department = sa.select(Department.id).where(Department.code == code).scalar_subquery()
    return Mitigation.owner_id.in_(sa.select(User.id).where(User.department_id == department))


def _decided_where(*conditions: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    return sa.exists().where(CommitteeDecision.assessment_id == Assessment.id, *conditions).correlate(Assessment)


def committee_is(name: str) -> sa.ColumnElement[bool]:
    """The committee that decided the assessment is ``name``, or, while none has, the one it goes to is."""
    return sa.or_(
        _decided_where(CommitteeDecision.committee == name),
        sa.and_(~_decided_where(), Assessment.committee == name),
    )


def screened_out() -> sa.ColumnElement[bool]:
    return Assessment.affects_people.is_(False)


def _relevant_answer(*conditions: sa.ColumnElement[bool]) -> sa.ColumnElement[bool]:
    return (
        sa.exists()
        .where(GroundAnswer.assessment_id == Assessment.id, GroundAnswer.relevant.is_(True), *conditions)
        .correlate(Assessment)
    )


def low_confidence() -> sa.ColumnElement[bool]:
    return _relevant_answer(GroundAnswer.confidence == Confidence.low)


def no_evidence_link() -> sa.ColumnElement[bool]:
    """It affects people, yet no relevant ground names a source by its link."""
    return sa.and_(Assessment.affects_people.is_(True), ~_relevant_answer(GroundAnswer.evidence_links != ""))


def returned_once() -> sa.ColumnElement[bool]:
    """A reviewer returned it for changes at least once (the audit trail keeps every return)."""
    return (
        sa.exists()
        .where(AuditEvent.assessment_id == Assessment.id, AuditEvent.action == "assessment.return_for_changes")
        .correlate(Assessment)
    )


QUALITY = {
    "screened_out": screened_out,
    "low_confidence": low_confidence,
    "no_evidence_link": no_evidence_link,
    "returned_once": returned_once,
}


def adverse_remains() -> sa.ColumnElement[bool]:
    """The proposal goes ahead with an adverse impact it does not remove: the outcome is to continue despite adverse
    impacts, or a relevant ground stays negative after the actions (its remaining impact)."""
    remains_negative = (
        sa.exists()
        .where(
            GroundAnswer.assessment_id == Assessment.id,
            GroundAnswer.relevant.is_(True),
            GroundAnswer.remaining_impact.in_(IMPACT_CLASSES["negative"]),
        )
        .correlate(Assessment)
    )
    return sa.or_(outcome_is(Outcome.continue_despite), remains_negative)


def has_open_mitigation() -> sa.ColumnElement[bool]:
    """The assessment has an action not yet done (planned or in progress) that addresses a relevant ground."""
    return sa.exists().where(Mitigation.assessment_id == Assessment.id, due.open_mitigation()).correlate(Assessment)
