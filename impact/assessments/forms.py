"""The forms of the guided assessment: proposal, screening, involvement, one ground, conclusion, co-authors.

Each form checks format only (lengths, choices, dates); whether a part is complete is decided in
``validation.py`` so that an unfinished draft can always be saved.
"""

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, ValidationError

from impact.assessments.enums import (
    Confidence,
    ConsultationMethod,
    Impact,
    MinorityAnswer,
    NationalMinority,
    Outcome,
)
from impact.assessments.models import GroupKind, Involvement
from impact.core.db import db
from impact.core.forms import ImpactForm, strip_filters
from impact.org.committees import committee_names
from impact.org.models import Area, District
from impact.settings.models import get_setting

SHORT = 300
LONG = 20_000
ACTIONS = ("continue", "later", "add_action", "add_alternative", "add_consultation", "show_rights")
MOST_PARTICIPANTS = 1_000_000


def _length(limit: int):
    return Length(max=limit, message=_l("Keep this to %(max)d characters or fewer.", max=limit))


def _date_message():
    return _l("Enter a real date, for example 2026-12-15.")


class Radio(RadioField):
    """Radio buttons whose refusal of an unknown value says how to fix it."""

    def pre_validate(self, form) -> None:
        if self.data is not None and self.data not in {value for value, *_rest in self.iter_choices()}:
            raise ValidationError(_l("Choose one of the options."))


class Choice(SelectField):
    """A drop-down whose refusal of an unknown value says how to fix it."""

    def pre_validate(self, form) -> None:
        values = {value for value, *_rest in self.iter_choices()}
        if self.data in (None, "") and "" in values:
            return  # the empty first choice: nothing chosen
        if self.data not in {self.coerce(value) for value in values}:
            raise ValidationError(_l("Choose one of the options."))


class ChoiceList(SelectMultipleField):
    """Checkboxes whose refusal of an unknown value says how to fix it."""

    def pre_validate(self, form) -> None:
        values = {self.coerce(value) for value, *_rest in self.iter_choices()}
        if any(item not in values for item in self.data or ()):
            raise ValidationError(_l("Choose among the options shown."))


def _answer(value):
    # "yes" and "no" as the page sends them ("" as nothing chosen); a bool or None as the model holds it; anything else
    # stays as sent.
    return {"yes": True, "no": False, "": None}.get(value, value) if isinstance(value, str) else value


class YesNo(Radio):
    """A yes/no question whose ``data`` is True, False or None (not answered); the page sends "yes" or "no"."""

    def __init__(self, label, yes, no, **kwargs) -> None:
        super().__init__(label, choices=[("yes", yes), ("no", no)], coerce=_answer, **kwargs)

    def pre_validate(self, form) -> None:
        if self.data not in (True, False, None):
            raise ValidationError(_l("Choose one of the options."))


class _Editable(ImpactForm):
    """Every page of the form: the version it was loaded at and which button was pressed."""

    lock_version = IntegerField(widget=HiddenField.widget, validators=[Optional(), NumberRange(min=0)])
    action = StringField(validators=[Optional(), AnyOf(ACTIONS)])

    @property
    def leaving(self) -> bool:
        """'Save and come back later' pressed."""
        return self.action.data == "later"


def district_choices() -> list[tuple[int, str]]:
    return [
        (district.id, district.name)
        for district in db.session.scalars(sa.select(District).where(District.active).order_by(District.name))
    ]


def area_choices() -> list[tuple[int, str]]:
    """The active areas of active districts, each named with its district: "Hässleholmen (Norrby)"."""
    statement = (
        sa.select(Area.id, Area.name, District.name)
        .join(Area.district)
        .where(Area.active, District.active)
        .order_by(District.name, Area.name)
    )
    return [(area_id, f"{name} ({district})") for area_id, name, district in db.session.execute(statement)]


def committee_choices(current: str | None) -> list[tuple[str, str]]:
    return [("", _l("Choose a committee")), *((name, name) for name in committee_names([current]))]


class ProposalForm(_Editable):
    title = StringField(_l("Title of the proposal"), validators=[InputRequired(_l("Enter a title.")), _length(SHORT)])
    case_number = StringField(
        _l("Case number"), validators=[InputRequired(_l("Enter the case number.")), Length(max=60)]
    )
    committee = SelectField(_l("Committee that decides"), validators=[Optional()], validate_choice=False)
    decision_date = DateField(_l("Planned decision date"), validators=[Optional()], format="%Y-%m-%d")
    description = TextAreaField(_l("Describe the proposal"), validators=[_length(LONG)])
    purpose = TextAreaField(_l("Purpose of the proposal"), validators=[_length(LONG)])
    concerns = TextAreaField(_l("Who the proposal concerns"), validators=[_length(LONG)])
    whole_municipality = BooleanField(_l("The whole municipality"))
    districts = SelectMultipleField(_l("Districts the proposal touches"), coerce=int, validators=[Optional()])
    areas = SelectMultipleField(_l("Areas within the districts"), coerce=int, validators=[Optional()])

    def validate_case_number(self, field) -> None:
        pattern = get_setting("case_number_pattern")
        try:
            matches = re.fullmatch(pattern, field.data or "") is not None
        except re.error:  # a broken pattern from the settings must not lock everyone out
            matches = True
        if not matches:
            raise ValidationError(_l("Enter the case number in the form your municipality uses, e.g. 2026-00123."))

    def validate_committee(self, field) -> None:
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a committee from the list."))
        if len(field.data or "") > 200:
            raise ValidationError(_l("Choose a committee from the list."))


class ScreeningForm(_Editable):
    affects_people = YesNo(
        _l("Does the proposal affect people, directly or indirectly?"),
        yes=_l("Yes"),
        no=_l("No, it clearly does not"),
        validators=[Optional()],
    )
    screening_reason = TextAreaField(_l("Why does it not affect people?"), validators=[_length(LONG)])
    concerns_children = YesNo(
        _l("Does the proposal concern children (under 18), directly or indirectly?"),
        yes=_l("Yes"),
        no=_l("No"),
        validators=[Optional()],
    )


class ActionForm(Form):
    """One action of the action plan (a sub-form: the outer form carries the CSRF token). Who is responsible is a
    user of any department or a named external party; the choices of owner and grounds are set per request."""

    id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    description = TextAreaField(_l("What will be done"), validators=[_length(LONG)], filters=strip_filters)
    owner_id = Choice(_l("Who is responsible"), coerce=int, validators=[Optional()])
    responsible = StringField(
        _l("Or a party outside the municipality"), validators=[_length(200)], filters=strip_filters
    )
    due_date = DateField(_l("By when"), validators=[Optional()], format="%Y-%m-%d")
    cost = TextAreaField(_l("Cost or resources (optional)"), validators=[_length(2000)], filters=strip_filters)
    grounds = ChoiceList(_l("Grounds the action addresses"), coerce=int, validators=[Optional()])
    remove = BooleanField(_l("Remove this action"))

    def validate_owner_id(self, field) -> None:
        if field.data and self.responsible.data:
            raise ValidationError(_l("Choose a person or name an outside party, not both."))


def remaining_field_name(ground) -> str:
    return f"remaining_{ground.key}"


# The impact scale once more, each option named for what it is here, so that no two radios on the page share a name.
REMAINING_CHOICES = [(member.value, _l("%(impact)s after the actions", impact=member.label)) for member in Impact]
NEEDS_MITIGATION = _l("A remaining impact better than the impact needs an action for this ground that brings it about.")


class GroundForm(_Editable):
    relevant = YesNo(
        _l("Is this ground relevant to the proposal?"),
        yes=_l("Yes, relevant"),
        no=_l("No, not relevant"),
        validators=[Optional()],
    )
    not_relevant_reason = TextAreaField(_l("Why is it not relevant?"), validators=[_length(LONG)])
    impact = Radio(_l("Impact"), choices=Impact.choices(), validators=[Optional()])
    missing_information = TextAreaField(_l("What is missing to assess the impact?"), validators=[_length(LONG)])
    affected_groups = TextAreaField(_l("Which groups are affected, and how?"), validators=[_length(LONG)])
    evidence = TextAreaField(_l("What is the assessment based on?"), validators=[_length(LONG)])
    evidence_links = TextAreaField(_l("Links to sources (optional)"), validators=[_length(5000)])
    confidence = Radio(_l("How confident are you?"), choices=Confidence.choices(), validators=[Optional()])
    districts = SelectMultipleField(_l("Districts affected differently"), coerce=int, validators=[Optional()])
    areas = SelectMultipleField(_l("Areas affected differently"), coerce=int, validators=[Optional()])
    district_notes = TextAreaField(_l("How are these districts affected differently?"), validators=[_length(LONG)])
    acceptance_justification = TextAreaField(
        _l("If no action is planned: why is the negative impact accepted?"), validators=[_length(LONG)]
    )

    def validate_evidence_links(self, field) -> None:
        for line in (field.data or "").splitlines():
            if line.strip() and not re.match(r"^https?://\S+$", line.strip()):
                raise ValidationError(_l("Write one web address per line, starting with https://."))


# The first row offered on the conclusion page while no alternative is saved; unchanged, it is not saved.
DO_NOTHING = _l("Do nothing: keep things as they are")


class AlternativeForm(Form):
    """One row of the alternatives considered (a sub-form: the outer form carries the CSRF token)."""

    id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    description = TextAreaField(_l("The alternative"), validators=[_length(LONG)], filters=strip_filters)
    effects = TextAreaField(
        _l("How would it affect the grounds, compared with the proposal?"),
        validators=[_length(LONG)],
        filters=strip_filters,
    )
    why_not_chosen = TextAreaField(
        _l("Why was the proposal preferred?"), validators=[_length(LONG)], filters=strip_filters
    )
    remove = BooleanField(_l("Remove this alternative"))


class ConclusionForm(_Editable):
    overall_assessment = TextAreaField(_l("Overall assessment"), validators=[_length(LONG)])
    combined_effects = TextAreaField(_l("Combined effects"), validators=[_length(LONG)])
    alternatives = FieldList(FormField(AlternativeForm), min_entries=0, max_entries=30)
    analysis_outcome = Radio(_l("Outcome of the assessment"), choices=Outcome.choices(), validators=[Optional()])
    adjustments = TextAreaField(_l("What was adjusted in the proposal?"), validators=[_length(LONG)])
    outcome_justification = TextAreaField(
        _l("Why is the adverse impact proportionate, and what was weighed?"), validators=[_length(LONG)]
    )
    recommendation = TextAreaField(_l("Recommendation"), validators=[_length(LONG)])
    follow_up_date = DateField(_l("Follow-up date"), validators=[Optional()], format="%Y-%m-%d")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What is wrong with the alternatives as a whole (none given though a ground is significantly negative).
        self.alternatives_problem: list[str] = []


class ActionPlanForm(_Editable):
    """The action plan: its actions, and per ground asked about the impact that remains after them (one radio group
    per ground, added by ``build_action_plan_form``)."""

    actions = FieldList(FormField(ActionForm), min_entries=0, max_entries=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actions_problem: list[str] = []


def remaining_grounds(assessment) -> list:
    """The grounds whose remaining impact the action plan asks for: the relevant ones judged negative, and any
    other relevant one an action addresses, in the template's order."""
    addressed = {answer.ground_id for action in assessment.actions for answer in action.answers}
    return [
        answer.ground
        for answer in sorted(assessment.answers, key=lambda answer: answer.ground.position)
        if answer.relevant
        and answer.impact is not None
        and (answer.impact.is_negative or answer.ground_id in addressed)
    ]


def build_action_plan_form(assessment, owners, source: dict, extra_rows: int = 0) -> ActionPlanForm:
    """The action plan page's form for ``assessment``: the saved actions (and ``extra_rows`` empty ones, one while
    there is none), owners to choose from (by department), the relevant grounds to link, and a remaining impact per
    ground asked. ``source`` names the input (Flask-WTF's ``formdata``), or is empty for the request's."""
    grounds = remaining_grounds(assessment)
    fields = {
        remaining_field_name(ground): Radio(
            _l("Impact that remains after the actions: %(ground)s", ground=ground.name),
            choices=REMAINING_CHOICES,
            validators=[Optional()],
        )
        for ground in grounds
    }
    form_class = type("ActionPlanPageForm", (ActionPlanForm,), fields)
    data = {
        "lock_version": assessment.lock_version,
        "actions": [
            {
                "id": action.id,
                "description": action.description,
                "owner_id": action.owner_id or 0,
                "responsible": action.responsible,
                "due_date": action.due_date,
                "cost": action.cost,
                "grounds": [answer.ground_id for answer in action.answers],
            }
            for action in assessment.actions
        ],
    }
    for ground in grounds:
        answer = assessment.answer_for(ground)
        data[remaining_field_name(ground)] = answer.remaining_impact.value if answer.remaining_impact else None
    data["actions"].extend({} for _index in range(max(extra_rows, 0 if data["actions"] else 1)))
    form = form_class(**source, data=data)
    relevant = [
        (answer.ground_id, answer.ground.name)
        for answer in sorted(assessment.answers, key=lambda answer: answer.ground.position)
        if answer.relevant
    ]
    for entry in form.actions:
        entry.form.owner_id.choices = {
            str(_l("Outside the municipality")): [(0, _l("Nobody chosen: a party outside the municipality"))],
            **owners,
        }
        entry.form.grounds.choices = relevant
    form.remaining_grounds = grounds
    return form


def conclusion_data(assessment, extra_rows: int = 0) -> dict:
    """What the conclusion page shows of a saved assessment: its fields and one row per alternative.

    While no alternative is saved, the first row suggests doing nothing; ``extra_rows`` adds empty rows.
    """
    data = {
        "lock_version": assessment.lock_version,
        "overall_assessment": assessment.overall_assessment,
        "combined_effects": assessment.combined_effects,
        "analysis_outcome": assessment.analysis_outcome.value if assessment.analysis_outcome else None,
        "adjustments": assessment.adjustments,
        "outcome_justification": assessment.outcome_justification,
        "recommendation": assessment.recommendation,
        "follow_up_date": assessment.follow_up_date,
        "alternatives": [
            {"id": a.id, "description": a.description, "effects": a.effects, "why_not_chosen": a.why_not_chosen}
            for a in assessment.alternatives
        ],
    }
    rows = data["alternatives"]
    if not rows:
        rows.append({"description": str(DO_NOTHING)})
    rows.extend({} for _index in range(extra_rows))
    return data


def _kind_id(value):
    """A group kind's id as sent; None for the empty first choice; anything else as sent, for Choice to refuse."""
    if value in ("", None):
        return None
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else value


class Count(IntegerField):
    """A whole number of people, or nothing. Text that is not a number becomes None for its NumberRange to refuse,
    so the one message says how to fix it (IntegerField would add a second, "Not a valid integer value")."""

    def process_formdata(self, valuelist) -> None:
        text = valuelist[0].strip() if valuelist else ""
        try:
            self.data = int(text) if text else None
        except ValueError:
            self.data = None


class ConsultationForm(Form):
    """One consultation (a sub-form: the outer form carries the CSRF token)."""

    id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    group_kind = Choice(_l("Who was heard"), coerce=_kind_id, validators=[Optional()])
    group_name = StringField(
        _l("Name the group or organisation (optional if the kind says it all)"),
        validators=[_length(SHORT)],
        filters=strip_filters,
    )
    method = Choice(
        _l("How were they heard?"),
        choices=[("", _l("Choose how")), *ConsultationMethod.choices()],
        validators=[Optional()],
    )
    held_on = DateField(_l("When"), validators=[Optional()], format="%Y-%m-%d")
    participants = Count(
        _l("About how many took part (optional)"),
        validators=[
            Optional(),
            NumberRange(
                min=0, max=MOST_PARTICIPANTS, message=_l("Enter a whole number, for example 12, or leave it empty.")
            ),
        ],
    )
    views = TextAreaField(_l("What did they say?"), validators=[_length(LONG)], filters=strip_filters)
    changes_made = TextAreaField(
        _l("What changed in the proposal because of it?"), validators=[_length(LONG)], filters=strip_filters
    )
    remove = BooleanField(_l("Remove this consultation"))


class InvolvementForm(_Editable):
    consultations = FieldList(FormField(ConsultationForm), min_entries=0, max_entries=30)
    no_consultation_reason = TextAreaField(_l("If nobody was heard: why not?"), validators=[_length(LONG)])
    national_minority = Radio(
        _l("Does the proposal concern a national minority?"), choices=MinorityAnswer.choices(), validators=[Optional()]
    )
    minorities = SelectMultipleField(
        _l("Which national minorities?"), choices=NationalMinority.choices(), validators=[Optional()]
    )
    minority_consulted = YesNo(
        _l("Was the minority consulted (samråd)?"), yes=_l("Yes"), no=_l("No"), validators=[Optional()]
    )
    minority_not_consulted_reason = TextAreaField(_l("Why was the minority not consulted?"), validators=[_length(LONG)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What is wrong with the consultations as a whole: each form its own list.
        self.consultations_problem: list[str] = []

    def set_group_kinds(self, choices: list[tuple[object, str]]) -> None:
        for entry in self.consultations:
            entry.form.group_kind.choices = choices

    def validate_minorities(self, field) -> None:
        known = {minority.value for minority in NationalMinority}
        if any(value not in known for value in field.data or []):
            raise ValidationError(_l("Choose one of the options."))


def group_kind_choices(assessment) -> list[tuple[object, str]]:
    """The active kinds of group, and any inactive one a consultation of ``assessment`` already names."""
    used = {consultation.group_kind_id for consultation in assessment.consultations}
    kinds = db.session.scalars(
        sa.select(GroupKind).where(sa.or_(GroupKind.active.is_(True), GroupKind.id.in_(used - {None})))
    ).all()
    ordered = sorted(kinds, key=lambda kind: kind.name.lower())
    return [("", _l("Choose a kind of group, or name it below")), *((kind.id, kind.name) for kind in ordered)]


def involvement_data(assessment, extra_rows: int = 0) -> dict:
    """What the involvement page shows of a saved assessment: its answers and one row per consultation.

    While no consultation is saved, one empty row is offered; ``extra_rows`` adds more.
    """
    data = {
        "lock_version": assessment.lock_version,
        **Involvement.answers_of(assessment.involvement),
        "consultations": [
            {
                "id": c.id,
                "group_kind": c.group_kind_id,
                "group_name": c.group_name,
                "method": c.method.value if c.method else "",
                "held_on": c.held_on,
                "participants": c.participants,
                "views": c.views,
                "changes_made": c.changes_made,
            }
            for c in assessment.consultations
        ],
    }
    rows = data["consultations"]
    rows.extend({} for _index in range(max(extra_rows, 0 if rows else 1)))
    return data


def _int_or_none(value) -> int | None:
    """A select's value as an int; None for its empty first choice."""
    return None if value in ("", None) else int(value)


class AuthorForm(ImpactForm):
    user_id = SelectField(
        _l("Case officer"), coerce=_int_or_none, validators=[InputRequired(_l("Choose a case officer."))]
    )


def fix_date_messages(form) -> None:
    """WTForms says 'Not a valid date value'; say how to fix it instead."""
    for field in _all_fields(form):
        if isinstance(field, DateField) and field.errors:
            field.errors[:] = [_date_message()]


def _all_fields(form):
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                yield from _all_fields(entry.form)
        else:
            yield field
