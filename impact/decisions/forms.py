"""The form that records (or corrects) the committee's decision."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from impact.assessments.enums import CommitteeOutcome
from impact.assessments.forms import Radio, YesNo
from impact.core.forms import ImpactForm


class DecisionForm(ImpactForm):
    lock_version = IntegerField(widget=HiddenField.widget, validators=[Optional(), NumberRange(min=0)])
    committee = SelectField(
        _l("Committee"), validators=[InputRequired(_l("Choose the committee that decided."))], validate_choice=False
    )
    meeting_date = DateField(
        _l("Date of the meeting"),
        validators=[DataRequired(_l("Enter the date of the meeting, for example 2026-12-15."))],
        format="%Y-%m-%d",
    )
    paragraph = StringField(
        _l("Paragraph in the minutes"),
        validators=[InputRequired(_l("Enter the paragraph (§) of the minutes.")), Length(max=40)],
    )
    outcome = Radio(
        _l("The committee's decision"),
        choices=CommitteeOutcome.choices(),
        validators=[InputRequired(_l("Choose what the committee decided."))],
    )
    analysis_changed = YesNo(
        _l("Did the analysis change the proposal?"),
        yes=_l("Yes"),
        no=_l("No"),
        validators=[InputRequired(_l("Say whether the analysis changed the proposal."))],
    )
    analysis_change = TextAreaField(_l("How did it change the proposal?"), validators=[Length(max=20_000)])
    minutes_reference = StringField(_l("The minutes (link or reference)"), validators=[Optional(), Length(max=500)])
    correction_reason = TextAreaField(_l("Why is the decision corrected?"), validators=[Length(max=2_000)])

    def validate_committee(self, field) -> None:
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Choose a committee from the list."))

    def validate_minutes_reference(self, field) -> None:
        # A reference ("KS 2026-12-15 § 123") or a web address; an address must be one a browser can open safely.
        text = field.data or ""
        if "://" in text or text.lower().startswith(("javascript:", "data:", "www.")):
            URL(require_tld=False, message=_l("Enter a web address starting with https://, or a reference."))(
                self, field
            )
            if not text.lower().startswith(("https://", "http://")):
                raise ValidationError(_l("Enter a web address starting with https://, or a reference."))
