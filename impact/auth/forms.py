"""Login and change-password forms."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from impact.auth.validators import AcceptablePassword
from impact.core.forms import ImpactForm


class LoginForm(ImpactForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(_l("Enter your email address")), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
        filters=[],
    )
    next = HiddenField()


class ChangePasswordForm(ImpactForm):
    """A user choosing a new password (forced after an admin reset or a 'change at first login' account)."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
        filters=[],
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Enter a new password")),
            Length(max=1024),
            AcceptablePassword(email=lambda: current_user.email, name=lambda: current_user.name),
        ],
        render_kw={"autocomplete": "new-password"},
        filters=[],
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the new password")),
            EqualTo("new_password", _l("The two new passwords are not the same")),
        ],
        render_kw={"autocomplete": "new-password"},
        filters=[],
    )
