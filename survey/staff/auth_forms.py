# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and these classes subclass it)
"""Flask-WTF forms of signing in and changing your password (survey/staff/auth.py), with GOV.UK widgets.

The checks that need the account (a wrong password, the lock-out, the password rules of
survey.services.passwords) are made by the views, which add their messages to the fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired

from survey.staff.form_fields import GovPasswordBox


def _stripped(value: str | None) -> str:
    return (value or "").strip()


class SignInForm(FlaskForm):
    """Email address and password; `next` is the staff page to go to afterwards (checked by the view)."""

    email = StringField(
        lazy_gettext("Email address"),
        widget=GovTextInput(),
        filters=[_stripped],
        validators=[DataRequired(lazy_gettext("Enter your email address"))],
    )
    password = PasswordField(
        lazy_gettext("Password"),
        widget=GovPasswordBox(),
        validators=[InputRequired(lazy_gettext("Enter your password"))],
    )
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    """The current password (or the one-time one), and the new one twice."""

    current_password = PasswordField(
        lazy_gettext("Current password"),
        widget=GovPasswordBox(),
        validators=[InputRequired(lazy_gettext("Enter your current password"))],
    )
    new_password = PasswordField(lazy_gettext("New password"), widget=GovPasswordBox())
    confirm_password = PasswordField(lazy_gettext("Confirm new password"), widget=GovPasswordBox())
