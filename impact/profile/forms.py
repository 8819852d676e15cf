"""The form for a new API token."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from impact.core.forms import ImpactForm


class TokenForm(ImpactForm):
    name = StringField(
        _l("What is the token for?"),
        validators=[
            DataRequired(_l("Enter what the token is for, for example the name of the system that uses it.")),
            Length(max=100, message=_l("Use at most 100 characters.")),
        ],
    )
