"""Login and account forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from contest.accounts.roles import Role
from contest.accounts.service import MIN_PASSWORD_LENGTH
from contest.forms import CheckboxListField, Form

USERNAME_RULE = Regexp(
    r"^[A-Za-z0-9._-]+$",
    message=_l("Use only letters without accents, digits, dot, dash and underscore."),
)


def role_choices():
    return [(role.value, role.label) for role in Role]


class LoginForm(Form):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class NewPasswordMixin:
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)]
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class UserForm(Form):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    roles = CheckboxListField(_l("Roles"), choices=role_choices, validate_choice=True)
    submit = SubmitField(_l("Save"))


class UserCreateForm(NewPasswordMixin, UserForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(), Length(min=2, max=64), USERNAME_RULE]
    )


class PasswordResetForm(NewPasswordMixin, Form):
    submit = SubmitField(_l("Set the new password"))


class OwnPasswordForm(NewPasswordMixin, Form):
    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    submit = SubmitField(_l("Change my password"))
