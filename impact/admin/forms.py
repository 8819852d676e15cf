"""Forms of the admin pages: users, departments, districts, settings, the accessibility statement."""

import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from impact.auth.password_policy import MAX_LENGTH
from impact.auth.roles import Role
from impact.auth.validators import AcceptablePassword
from impact.core.db import db
from impact.core.forms import ImpactForm
from impact.org.committees import committee_names
from impact.org.models import Department


def committee_options(current: list[str] = ()) -> list[tuple[str, str]]:
    """The committees the departments decide in, and any a user keeps already."""
    return [(name, name) for name in committee_names(current)]


def department_choices(include_inactive_id: int | None = None) -> list[tuple[str, str]]:
    """Active departments, plus the one a user already belongs to even if it has been deactivated, after an empty
    first choice (HTML requires one in a required select, and nobody gets a department by not choosing)."""
    statement = sa.select(Department).order_by(Department.name)
    statement = statement.where(sa.or_(Department.active.is_(True), Department.id == (include_inactive_id or -1)))
    return [("", _l("Choose a department"))] + [(str(dept.id), dept.name) for dept in db.session.scalars(statement)]


class UserFilterForm(ImpactForm):
    """The user list's search and filters, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField(_l("Name or email"), validators=[Optional(), Length(max=200)])
    department = SelectField(_l("Department"), validators=[Optional()], validate_choice=True)
    role = SelectField(
        _l("Role"), choices=[("", _l("All roles")), *Role.choices()], validators=[Optional()], validate_choice=True
    )
    status = SelectField(
        _l("Status"),
        choices=[("", _l("Active and deactivated")), ("active", _l("Active")), ("inactive", _l("Deactivated"))],
        validators=[Optional()],
        validate_choice=True,
    )

    @classmethod
    def from_args(cls, args) -> "UserFilterForm":
        form = cls(formdata=args)
        form.department.choices = [("", _l("All departments"))] + [
            (str(dept.id), dept.name) for dept in db.session.scalars(sa.select(Department).order_by(Department.name))
        ]
        form.validate()
        return form

    def value(self, name: str):
        field = self[name]
        return field.data if field.data not in (None, "") and not field.errors else None

    def to_args(self) -> dict:
        return {name: self.value(name) for name in ("q", "department", "role", "status") if self.value(name)}


class UserForm(ImpactForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter the person's name")), Length(max=200)],
        render_kw={"autocomplete": "off"},
    )
    email = EmailField(
        _l("Email address"),
        validators=[
            DataRequired(_l("Enter the email address")),
            Length(max=254),
            Email(_l("Enter an email address in the right format, like name@boras.se")),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    department = SelectField(_l("Department"), validators=[InputRequired(_l("Choose a department"))])
    roles = SelectMultipleField(
        _l("Roles"), choices=Role.choices(), validators=[DataRequired(_l("Choose at least one role"))]
    )
    municipality_wide = BooleanField(_l("Reviews or audits for the whole municipality, not only the own department"))
    committees = SelectMultipleField(_l("Committees whose minutes the person keeps"))

    def validate_committees(self, field) -> None:
        if Role.committee_secretary.value in (self.roles.data or []) and not field.data:
            raise ValidationError(_l("Choose the committees whose decisions the committee secretary records."))


class NewUserForm(UserForm):
    password = PasswordField(
        _l("Initial password"),
        validators=[
            DataRequired(_l("Enter an initial password")),
            Length(max=MAX_LENGTH),
            AcceptablePassword(email_field="email", name_field="name"),
        ],
        render_kw={"autocomplete": "new-password"},
        filters=[],
    )
    must_change_password = BooleanField(_l("The person must choose a new password at first login"), default=True)


class DepartmentForm(ImpactForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the department's name")), Length(max=200)])
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(_l("Enter a short code for the department")),
            Length(max=40),
        ],
    )
    committee = StringField(_l("Committee (optional)"), validators=[Optional(), Length(max=200)])


class DistrictForm(ImpactForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the district's name")), Length(max=120)])


class AreaForm(ImpactForm):
    # Not DataRequired: its "required" attribute would ask for an empty first option; 0 is "Choose a district".
    district_id = SelectField(
        _l("District"), coerce=int, validators=[NumberRange(min=1, message=_l("Choose the district the area lies in"))]
    )
    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the area's code")), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the area's name")), Length(max=120)])


class GroupKindForm(ImpactForm):
    name_sv = StringField(
        _l("Name in Swedish"), validators=[DataRequired(_l("Enter the name in Swedish")), Length(max=200)]
    )
    name_en = StringField(_l("Name in English (optional)"), validators=[Optional(), Length(max=200)])


class SettingsForm(ImpactForm):
    municipality_name = StringField(
        _l("Municipality name"), validators=[DataRequired(_l("Enter the municipality's name")), Length(max=120)]
    )
    case_number_pattern = StringField(
        _l("Case number pattern"),
        validators=[DataRequired(_l("Enter a pattern for case numbers")), Length(max=300)],
        render_kw={"spellcheck": "false", "class": "input--code"},
    )
    case_number_example = StringField(
        _l("Example case number"),
        validators=[DataRequired(_l("Enter an example case number that matches the pattern")), Length(max=100)],
        render_kw={"spellcheck": "false"},
    )
    follow_up_reminder_days = IntegerField(
        _l("Follow-up reminder (days)"),
        validators=[
            InputRequired(_l("Enter a number of days")),
            NumberRange(min=1, max=365, message=_l("Enter a number of days between 1 and 365")),
        ],
    )
    public_register = BooleanField(_l("Publish approved assessments in a public register"))

    def validate_case_number_pattern(self, field) -> None:
        try:
            pattern = re.compile(field.data)
        except (re.error, OverflowError, RecursionError) as error:
            raise ValidationError(
                _l("The pattern is not a valid regular expression: %(error)s", error=str(error))
            ) from None
        if pattern.fullmatch(""):
            raise ValidationError(_l("The pattern must not accept an empty case number"))

    def validate_case_number_example(self, field) -> None:
        if self.case_number_pattern.errors or not self.case_number_pattern.data or not field.data:
            return
        if not re.fullmatch(self.case_number_pattern.data, field.data):
            raise ValidationError(_l("The example does not match the pattern; change one of them"))


class ChildRightsGuidanceForm(ImpactForm):
    guidance_sv = TextAreaField(
        _l("Guidance in Swedish"), validators=[Length(max=20000)], render_kw={"rows": 10, "lang": "sv"}
    )
    guidance_en = TextAreaField(
        _l("Guidance in English"), validators=[Length(max=20000)], render_kw={"rows": 10, "lang": "en"}
    )


class AccessibilityStatementForm(ImpactForm):
    statement_sv = TextAreaField(
        _l("Statement in Swedish"),
        validators=[DataRequired(_l("Enter the statement in Swedish")), Length(max=20000)],
        render_kw={"rows": 20, "lang": "sv"},
    )
    statement_en = TextAreaField(
        _l("Statement in English"),
        validators=[DataRequired(_l("Enter the statement in English")), Length(max=20000)],
        render_kw={"rows": 20, "lang": "en"},
    )


def group_rule_target_choices() -> list[tuple[str, str]]:
    """What a group can give, in one list: each role, each active department, the whole municipality as remit."""
    roles = [(f"role:{value}", _l("Role: %(role)s", role=label)) for value, label in Role.choices()]
    departments = [
        (f"department:{dept.id}", _l("Department: %(name)s", name=dept.name))
        for dept in db.session.scalars(
            sa.select(Department).where(Department.active.is_(True)).order_by(Department.name)
        )
    ]
    return [
        ("", _l("Choose what the group gives")),
        *roles,
        *departments,
        ("municipality_wide", _l("Remit: the whole municipality")),
    ]


class GroupRuleForm(ImpactForm):
    group = StringField(
        _l("Group"),
        description=_l("The group's name or id exactly as the sign-in service sends it (Entra ID sends object ids)."),
        validators=[DataRequired(_l("Enter the group's name or id")), Length(max=255)],
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    target = SelectField(
        _l("Gives"), validators=[DataRequired(_l("Choose what the group gives"))], validate_choice=True
    )
