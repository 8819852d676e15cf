"""The form a visitor uses to report an accessibility problem."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from impact.core.forms import ImpactForm


class ReportProblemForm(ImpactForm):
    description = TextAreaField(
        _l("Describe the problem"),
        validators=[DataRequired(_l("Describe the problem you found")), Length(max=5000)],
        render_kw={"rows": 6},
    )
    page = StringField(_l("Page or part of the service (optional)"), validators=[Optional(), Length(max=500)])
    name = StringField(
        _l("Your name (optional)"), validators=[Optional(), Length(max=200)], render_kw={"autocomplete": "name"}
    )
    contact = EmailField(
        _l("Your email address (optional)"),
        validators=[
            Optional(),
            Length(max=254),
            Email(_l("Enter an email address in the right format, like name@example.com")),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
