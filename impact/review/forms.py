"""Forms of the review feature: the decision with its comment boxes, version comparison, follow-up."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from impact.assessments.enums import Impact, MitigationStatus
from impact.assessments.forms import Radio
from impact.assessments.models import Assessment, GroundAnswer
from impact.core.forms import ImpactForm
from impact.grounds.models import Ground
from impact.review.models import Section

COMMENT_MAX = 10_000
REVIEWED_SECTIONS = (
    Section.proposal,
    Section.screening,
    Section.involvement,
    Section.child_rights,
    Section.actions,
    Section.conclusion,
)


class DecisionForm(ImpactForm):
    decision = RadioField(
        _l("Your decision"),
        choices=[("approve", _l("Approve")), ("return", _l("Return to the authors for changes"))],
        validators=[InputRequired(message=_l("Choose whether to approve or return the assessment."))],
    )
    comment = TextAreaField(
        _l("Comment on the decision"),
        validators=[Length(max=COMMENT_MAX, message=_l("The comment can be at most %(max)d characters."))],
    )
    # The version of the assessment the reviewer read; a decision on an older one is refused.
    lock_version = HiddenField()

    def validate_comment(self, field) -> None:
        if self.decision.data == "return" and not field.data:
            raise ValidationError(_l("Write a comment that tells the authors what to change."))


def section_field_name(section: Section) -> str:
    return f"section_{section.value}"


def ground_field_name(ground: Ground) -> str:
    return f"ground_{ground.key}"


def actual_field_name(ground: Ground) -> str:
    return f"actual_{ground.key}"


def actual_comment_field_name(ground: Ground) -> str:
    return f"actual_comment_{ground.key}"


def reviewed_grounds(assessment: Assessment) -> list[Ground]:
    """The grounds shown for review: the template's active ones plus any other that was answered."""
    answered = {answer.ground_id for answer in assessment.answers}
    return [g for g in assessment.template_version.grounds if g.active or g.id in answered]


def build_review_form(assessment: Assessment, formdata=None) -> DecisionForm:
    """A DecisionForm with one comment box per section and per ground (built per request, never mutated)."""
    length = Length(max=COMMENT_MAX, message=_l("The comment can be at most %(max)d characters."))
    fields = {
        section_field_name(section): TextAreaField(
            _("Comment on %(part)s", part=str(section.label).lower()), validators=[Optional(), length]
        )
        for section in REVIEWED_SECTIONS
    }
    for ground in reviewed_grounds(assessment):
        fields[ground_field_name(ground)] = TextAreaField(
            _("Comment on %(part)s", part=ground.name), validators=[Optional(), length]
        )
    form_class = type("ReviewForm", (DecisionForm,), fields)
    form = form_class(formdata=formdata)
    if formdata is None:
        form.lock_version.data = str(assessment.lock_version)
    return form


def comments_from(form: DecisionForm, assessment: Assessment) -> list:
    comments = [(section, form[section_field_name(section)].data) for section in REVIEWED_SECTIONS]
    comments += [(ground, form[ground_field_name(ground)].data) for ground in reviewed_grounds(assessment)]
    return [(target, body) for target, body in comments if body]


class CompareForm(ImpactForm):
    class Meta:
        csrf = False

    a = SelectField(_l("Compare version"), coerce=int, validators=[InputRequired()])
    b = SelectField(_l("with version"), coerce=int, validators=[InputRequired()])


class MitigationFollowUpForm(ImpactForm):
    # The version the page showed: a save over someone else's newer one is refused and shown as a conflict.
    lock_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    owner_id = SelectField(_l("Owner"), coerce=int, validators=[Optional()])
    due_date = DateField(
        _l("Due date"),
        validators=[Optional()],
        render_kw={"class": "input--narrow"},
    )
    status = SelectField(_l("Status"), choices=MitigationStatus.choices())
    dropped_reason = TextAreaField(
        _l("Why was it dropped?"), validators=[Length(max=COMMENT_MAX, message=_l("Shorten the text."))]
    )
    outcome = TextAreaField(
        _l("What has been done"), validators=[Length(max=COMMENT_MAX, message=_l("Shorten the text."))]
    )

    def validate_dropped_reason(self, field) -> None:
        if self.status.data == MitigationStatus.dropped.value and not field.data:
            raise ValidationError(_l("Say why the mitigation was dropped."))


def answer_versions(assessment: Assessment) -> str:
    """The versions of the relevant answers as the follow-up page shows them ("id:version id:version")."""
    return " ".join(f"{answer.id}:{answer.lock_version}" for answer in assessment.answers if answer.relevant)


ACTUAL_COMMENT_MAX = 1000


def build_outcome_form(assessment: Assessment, formdata=None) -> ImpactForm:
    """Per relevant ground: the actual impact on the impact scale with a short comment, and a text box for what
    actually happened against what was predicted; ``versions`` holds the answers' versions the page showed, so a
    save over someone else's newer follow-up is refused."""
    length = Length(max=COMMENT_MAX, message=_l("Shorten the text."))
    short = Length(max=ACTUAL_COMMENT_MAX, message=_l("Shorten the text."))
    fields = {}
    for answer in relevant_answers(assessment):
        fields[actual_field_name(answer.ground)] = Radio(
            _("Actual impact: %(ground)s", ground=answer.ground.name),
            choices=Impact.choices(),
            validators=[Optional()],
            default=answer.actual_impact.value if answer.actual_impact else None,
        )
        fields[actual_comment_field_name(answer.ground)] = TextAreaField(
            _("Comment on the actual impact (optional): %(ground)s", ground=answer.ground.name),
            validators=[Optional(), short],
            default=answer.actual_comment,
        )
        fields[ground_field_name(answer.ground)] = TextAreaField(
            _("What actually happened: %(ground)s", ground=answer.ground.name),
            validators=[Optional(), length],
            default=answer.actual_outcome,
        )
    fields["versions"] = HiddenField(default=answer_versions(assessment))
    return type("OutcomeForm", (ImpactForm,), fields)(formdata=formdata)


def relevant_answers(assessment: Assessment) -> list[GroundAnswer]:
    return [answer for answer in assessment.answers if answer.relevant]
