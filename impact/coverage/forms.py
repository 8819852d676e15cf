"""Uploading a committee's list of cases; choosing which missing cases to show."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from impact.core.forms import ImpactForm


class CaseListForm(ImpactForm):
    file = FileField(_l("The list of cases (CSV)"), validators=[FileRequired(_l("Choose a CSV file to import."))])


class MissingFilterForm(ImpactForm):
    """Read from the query string (GET, no CSRF)."""

    class Meta:
        csrf = False

    committee = SelectField(_l("Committee"), validators=[Optional()], validate_choice=True)
    year = IntegerField(_l("Year of the meeting"), validators=[Optional(), NumberRange(min=1900, max=2200)])
