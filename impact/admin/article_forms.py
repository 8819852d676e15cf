"""The form for a template version's list of articles of the Convention on the Rights of the Child."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from impact.core.forms import ImpactForm, strip_filters
from impact.grounds.models import CONVENTION_ARTICLES


class ArticleRowForm(Form):
    """One article in the list (a sub-form: the outer form carries the CSRF token)."""

    number = IntegerField(widget=HiddenField.widget, validators=[NumberRange(min=1, max=CONVENTION_ARTICLES)])
    name_sv = StringField(_l("Short name in Swedish"), validators=[Length(max=200)], filters=strip_filters)
    name_en = StringField(_l("Short name in English"), validators=[Length(max=200)], filters=strip_filters)
    principle = BooleanField(_l("General principle"))
    remove = BooleanField(_l("Remove from the list"))

    def validate_name_sv(self, field) -> None:
        if not self.remove.data and not field.data:
            raise ValidationError(_l("Enter the article's short name in Swedish."))


class ArticlesForm(ImpactForm):
    articles = FieldList(FormField(ArticleRowForm), min_entries=0, max_entries=CONVENTION_ARTICLES)
    new_number = IntegerField(
        _l("Number of the article to add"),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=CONVENTION_ARTICLES,
                message=_l("The Convention has articles 1 to %(max)d.", max=CONVENTION_ARTICLES),
            ),
        ],
    )
    new_name_sv = StringField(_l("Short name in Swedish"), validators=[Length(max=200)], filters=strip_filters)
    new_name_en = StringField(_l("Short name in English"), validators=[Length(max=200)], filters=strip_filters)
    new_principle = BooleanField(_l("A general principle"))

    def validate_new_name_sv(self, field) -> None:
        if self.new_number.data and not field.data:
            raise ValidationError(_l("Enter the article's short name in Swedish."))

    def rows(self) -> list[tuple[int, str, str, bool]]:
        """The list as the form leaves it: the articles not removed, and the new one if a number is given."""
        rows = [
            (entry.form.number.data, entry.form.name_sv.data, entry.form.name_en.data or "", entry.form.principle.data)
            for entry in self.articles
            if not entry.form.remove.data
        ]
        if self.new_number.data:
            rows.append(
                (self.new_number.data, self.new_name_sv.data, self.new_name_en.data or "", self.new_principle.data)
            )
        return rows
