"""A WTForms validator for the password policy, for any form that sets a password."""

from wtforms.validators import StopValidation

from impact.auth.password_policy import password_problems


class AcceptablePassword:
    """Checks the password against the policy; ``email_field``/``name_field`` name the form fields to compare with.

    ``email``/``name`` callables give values when the form has no such field (a user changing their own password).
    """

    def __init__(self, email_field: str | None = None, name_field: str | None = None, email=None, name=None):
        self.email_field, self.name_field, self.email, self.name = email_field, name_field, email, name

    def _value(self, form, field_name, getter):
        if field_name and field_name in form:
            return form[field_name].data
        return getter() if getter else None

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        problems = password_problems(
            field.data,
            email=self._value(form, self.email_field, self.email),
            name=self._value(form, self.name_field, self.name),
        )
        if problems:
            field.errors[:] = []
            raise StopValidation(problems[0])
