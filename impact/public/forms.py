"""The public register's search and filters (a GET form), and the reviewer's reason for keeping one unpublished."""

from flask_babel import lazy_gettext as _l
from wtforms import SearchField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from impact.core.forms import ImpactForm
from impact.public.publication import REASON_MAX


class PublicFilterForm(ImpactForm):
    """Read from the query string; the choices are set from what is published (``views._filter_form``)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Title contains"), validators=[Optional(), Length(max=200)])
    department = SelectField(_l("Department"), validators=[Optional()], validate_choice=True)
    year = SelectField(_l("Year approved"), validators=[Optional()], validate_choice=True)
    committee = SelectField(_l("Committee"), validators=[Optional()], validate_choice=True)


class KeepUnpublishedForm(ImpactForm):
    reason = TextAreaField(
        _l("Why is it kept unpublished?"),
        validators=[
            DataRequired(_l("Say why the assessment is kept unpublished.")),
            Length(max=REASON_MAX, message=_l("Shorten the text.")),
        ],
        render_kw={"rows": 3},
    )
