"""The child-rights page's form: format only; whether the step is complete is decided in ``validation.py``."""

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, HiddenField, IntegerField, SelectMultipleField, TextAreaField
from wtforms.validators import Optional, ValidationError

from impact.assessments.child_rights import TEXT_FIELDS, version_articles
from impact.assessments.enums import ChildRightEffect
from impact.assessments.forms import LONG, Radio, YesNo, _Editable, _length, district_choices
from impact.core.forms import strip_filters
from impact.grounds.models import CONVENTION_ARTICLES


class _Articles(SelectMultipleField):
    """Checkboxes of articles of the Convention; an unknown number is refused with how to fix it."""

    def pre_validate(self, form) -> None:
        known = {value for value, _label in self.choices}
        if any(value not in known for value in self.data or []):
            raise ValidationError(_l("Choose one of the options."))


def _article(value):
    return int(value) if isinstance(value, str) and value.isdigit() else value


class RightEffectForm(Form):
    """What the proposal does to one chosen right (a sub-form: the outer form carries the CSRF token)."""

    article = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    effect = Radio(
        _l("What does the proposal do to this right?"), choices=ChildRightEffect.choices(), validators=[Optional()]
    )
    short_term = TextAreaField(_l("In the short term"), validators=[_length(LONG)], filters=strip_filters)
    long_term = TextAreaField(_l("In the long term"), validators=[_length(LONG)], filters=strip_filters)


class ChildRightsForm(_Editable):
    children = TextAreaField(_l("Which children does the proposal concern?"), validators=[_length(LONG)])
    districts = SelectMultipleField(_l("Districts where the children live"), coerce=int, validators=[Optional()])
    districts_note = TextAreaField(_l("More about where the children are"), validators=[_length(LONG)])
    principles = _Articles(_l("The general principles"), coerce=_article, validators=[Optional()])
    other_articles = _Articles(_l("Other rights in the Convention"), coerce=_article, validators=[Optional()])
    children_heard = YesNo(_l("Were children heard?"), yes=_l("Yes"), no=_l("No"), validators=[Optional()])
    heard_how = TextAreaField(_l("How were the children heard?"), validators=[_length(LONG)])
    not_heard_reason = TextAreaField(_l("Why were no children heard?"), validators=[_length(LONG)])
    children_views = TextAreaField(_l("What did the children say?"), validators=[_length(LONG)])
    knowledge = TextAreaField(_l("Other knowledge: statistics, research, experience"), validators=[_length(LONG)])
    effects = FieldList(FormField(RightEffectForm), min_entries=0, max_entries=CONVENTION_ARTICLES)
    conflicts = TextAreaField(
        _l("Conflicts between the child's best interests and other interests"), validators=[_length(LONG)]
    )
    child_alternatives = TextAreaField(_l("Alternatives considered for the children"), validators=[_length(LONG)])
    conclusion = TextAreaField(_l("Conclusion on the child's best interests"), validators=[_length(LONG)])
    against_reasons = TextAreaField(_l("Why go ahead although a right is weakened?"), validators=[_length(LONG)])
    compensating_measures = TextAreaField(_l("Compensating measures"), validators=[_length(LONG)])
    feedback = TextAreaField(_l("How will the children be told about the decision?"), validators=[_length(LONG)])

    def __init__(self, *args, version, **kwargs):
        """``version``: the assessment's template version, whose articles are offered."""
        super().__init__(*args, **kwargs)
        articles = version_articles(version)
        self.principles.choices = [(article.number, article.label) for article in articles if article.principle]
        self.other_articles.choices = [(article.number, article.label) for article in articles if not article.principle]
        self.districts.choices = district_choices()


def child_rights_data(assessment) -> dict:
    """What the child-rights page shows of a saved assessment: its answers and one row per chosen right."""
    record = assessment.child_rights
    articles = record.articles if record else []
    principles = {article.number for article in assessment.template_version.child_rights_articles if article.principle}
    data = {name: getattr(record, name) if record else "" for name in TEXT_FIELDS}
    data.update(
        lock_version=assessment.lock_version,
        children_heard=record.children_heard if record else None,
        districts=[district.id for district in record.districts] if record else [],
        principles=[number for number in articles if number in principles],
        other_articles=[number for number in articles if number not in principles],
        effects=[
            {
                "article": row.article,
                "effect": row.effect.value if row.effect else None,
                "short_term": row.short_term,
                "long_term": row.long_term,
            }
            for row in (record.effects if record else [])
        ],
    )
    return data
