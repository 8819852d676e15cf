"""Forms for template versions and their grounds: names, guidance and guiding questions in both languages."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from impact.core.forms import ImpactForm


def question_lines(text: str | None) -> list[str]:
    """One guiding question per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class GroundForm(ImpactForm):
    name_sv = StringField(
        _l("Name in Swedish"), validators=[DataRequired(_l("Enter the ground's name in Swedish")), Length(max=200)]
    )
    name_en = StringField(
        _l("Name in English"), validators=[DataRequired(_l("Enter the ground's name in English")), Length(max=200)]
    )
    guidance_sv = TextAreaField(
        _l("Guidance in Swedish"), validators=[Optional(), Length(max=10000)], render_kw={"rows": 6, "lang": "sv"}
    )
    guidance_en = TextAreaField(
        _l("Guidance in English"), validators=[Optional(), Length(max=10000)], render_kw={"rows": 6, "lang": "en"}
    )
    questions_sv = TextAreaField(
        _l("Guiding questions in Swedish"),
        validators=[Optional(), Length(max=10000)],
        render_kw={"rows": 6, "lang": "sv"},
    )
    questions_en = TextAreaField(
        _l("Guiding questions in English"),
        # No Optional(): it would stop the chain before validate_questions_en when only Swedish questions are sent.
        validators=[Length(max=10000)],
        render_kw={"rows": 6, "lang": "en"},
    )

    def validate_questions_en(self, field) -> None:
        if len(question_lines(field.data)) != len(question_lines(self.questions_sv.data)):
            raise ValidationError(
                _l("Write as many questions in English as in Swedish, one per line, in the same order")
            )

    def question_pairs(self) -> list[tuple[str, str]]:
        return list(zip(question_lines(self.questions_sv.data), question_lines(self.questions_en.data), strict=True))

    def ground_texts(self) -> dict:
        """The names, guidance and questions as the ground operations take them."""
        return {
            "name_sv": self.name_sv.data,
            "name_en": self.name_en.data,
            "guidance_sv": self.guidance_sv.data or "",
            "guidance_en": self.guidance_en.data or "",
            "questions": self.question_pairs(),
        }


class NewGroundForm(GroundForm):
    key = StringField(
        _l("Key"),
        validators=[DataRequired(_l("Enter a key, for example childrens_best_interests")), Length(max=60)],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )


class DraftForm(ImpactForm):
    note = StringField(_l("What changes in this version (optional)"), validators=[Optional(), Length(max=500)])
