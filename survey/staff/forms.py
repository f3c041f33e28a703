"""Flask-WTF form classes of the newer staff pages, drawn with govuk-frontend-wtf's GOV.UK widgets.

A form is drawn in a template with `{{ form.field() }}` (the widget renders the GOV.UK macro, with the
error message of the field) and its error summary with `form_error_list(form)`.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from survey.services.words import gettext
from survey.staff import bp
from survey.staff.form_fields import GovSplitDateInput, YesBox
from survey.store.models_moderation import EXCLUSION_REASONS

ROLE_CHOICES = [
    SelectChoice("analyst", lazy_gettext("Analyst: dashboards, reports, paper keying, moderation")),
    SelectChoice("partner", lazy_gettext("Partner: their own links and how they are doing")),
    SelectChoice("admin", lazy_gettext("Admin: everything, including accounts and the audit trail")),
]


class GovDateField(DateField):  # type: ignore[misc]
    """A date typed into day, month and year boxes of one name (GovDateInput); any of them may be missing."""

    def process(self, formdata: Any, data: Any = None, extra_filters: Any = None) -> None:
        super().process(formdata, data=data, extra_filters=extra_filters)
        raw: list[str] | None = getattr(self, "raw_data", None)
        if raw is not None and len(raw) != 3:
            padded = [*raw, "", "", ""][:3]
            setattr(self, "raw_data", padded)  # noqa: B010  (the widget unpacks three boxes)
            if not any(padded):
                self.data = None


def _partner_needs_name(form: Any, field: Any) -> None:
    if form.role.data == "partner" and not (field.data or "").strip():
        raise ValidationError(gettext("Enter the partner name (the name their links carry)"))
    if form.role.data != "partner" and (field.data or "").strip():
        raise ValidationError(gettext("Only partner accounts have a partner name: leave it empty"))


class InviteForm(FlaskForm):  # type: ignore[misc]
    """Invite a member of staff: email, role and, for a partner, their partner name."""

    email = StringField(
        lazy_gettext("Email address"),
        widget=GovTextInput(),
        validators=[
            DataRequired(lazy_gettext("Enter their email address")),
            Regexp(
                r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$",
                message=lazy_gettext(
                    "Enter an email address in the correct format, like name@example.gov.uk"
                ),
            ),
            Length(max=254, message=lazy_gettext("Email address must be 254 characters or fewer")),
        ],
    )
    role = RadioField(
        lazy_gettext("Role"),
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(lazy_gettext("Select a role"))],
    )
    partner_name = StringField(
        lazy_gettext("Partner name (partners only)"),
        widget=GovTextInput(),
        validators=[Length(max=120), _partner_needs_name],
    )
    new_partner = YesBox(lazy_gettext("This is a new partner: no link carries this name yet"))
    send_email = YesBox(lazy_gettext("Also email the link to them"))
    submit = SubmitField(lazy_gettext("Create invitation link"), widget=GovSubmitInput())


class RoleForm(FlaskForm):  # type: ignore[misc]
    """Change an account's role and partner name."""

    role = RadioField(
        lazy_gettext("Role"),
        choices=ROLE_CHOICES,
        widget=GovRadioInput(),
        validators=[InputRequired(lazy_gettext("Select a role"))],
    )
    partner_name = StringField(
        lazy_gettext("Partner name (partners only)"),
        widget=GovTextInput(),
        validators=[Length(max=120), _partner_needs_name],
    )
    new_partner = YesBox(lazy_gettext("This is a new partner: no link carries this name yet"))
    submit = SubmitField(lazy_gettext("Save role"), widget=GovSubmitInput())


class ResetForm(FlaskForm):  # type: ignore[misc]
    """Reset an account's password: a new one-time link, also emailed to them when asked."""

    send_email = YesBox(lazy_gettext("Also email the link to them"))


class ChoosePasswordForm(FlaskForm):  # type: ignore[misc]
    """Choose a password from a one-time link (the rules are in survey.services.passwords)."""

    new_password = PasswordField(
        lazy_gettext("New password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(lazy_gettext("Enter a new password"))],
    )
    confirm_password = PasswordField(
        lazy_gettext("Confirm new password"),
        widget=GovPasswordInput(),
        validators=[DataRequired(lazy_gettext("Enter the new password again"))],
    )
    submit = SubmitField(lazy_gettext("Save password"), widget=GovSubmitInput())


class CodeForm(FlaskForm):  # type: ignore[misc]
    """A six-digit code from an authenticator app, or a recovery code."""

    code = StringField(
        lazy_gettext("Code"), widget=GovTextInput(), validators=[DataRequired(lazy_gettext("Enter the code"))]
    )
    submit = SubmitField(lazy_gettext("Continue"), widget=GovSubmitInput())


class ExcludeForm(FlaskForm):  # type: ignore[misc]
    """Why a response is left out of reports and exports."""

    reason = RadioField(
        lazy_gettext("Why leave this response out?"),
        choices=[SelectChoice(code, lazy_gettext(label)) for code, label in EXCLUSION_REASONS.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(lazy_gettext("Select why it is left out"))],
    )
    note = TextAreaField(
        lazy_gettext("Note (optional)"),
        widget=GovTextArea(),
        validators=[
            Optional(),
            Length(max=500, message=lazy_gettext("Note must be 500 characters or fewer")),
        ],
    )
    submit = SubmitField(lazy_gettext("Leave out of reports"), widget=GovSubmitInput())


class WeDidForm(FlaskForm):  # type: ignore[misc]
    """A dated "we did" update for the public results page."""

    on = GovDateField(
        lazy_gettext("Date"),
        format="%d %m %Y",
        widget=GovDateInput(),
        validators=[InputRequired(lazy_gettext("Enter the date, for example 27 3 2027"))],
    )
    title = StringField(
        lazy_gettext("Title"),
        widget=GovTextInput(),
        validators=[
            DataRequired(lazy_gettext("Enter a title")),
            Length(max=200, message=lazy_gettext("Title must be 200 characters or fewer")),
        ],
    )
    body = TextAreaField(
        lazy_gettext("What was done"),
        widget=GovTextArea(),
        validators=[
            DataRequired(lazy_gettext("Say what was done")),
            Length(max=5000, message=lazy_gettext("Must be 5000 characters or fewer")),
        ],
    )
    submit = SubmitField(lazy_gettext("Publish update"), widget=GovSubmitInput())


@bp.app_template_global("form_error_list")
def form_error_list(form: Any) -> list[dict[str, str]]:
    """The GOV.UK error summary's list for a WTForms form: each field's first message, linking to it.

    A message shown for two fields (a failed sign-in) is listed once; a date links to its day box; an
    error of the whole form (`form.form_errors`) links to the form's `anchor` (else the page's main part).
    """
    items: dict[str, str] = {}
    for name, messages in form.errors.items():
        field = getattr(form, name, None) if name else None
        if field is None:
            target = getattr(form, "anchor", "main-content")
        elif isinstance(field.widget, GovDateInput | GovSplitDateInput):
            target = f"{field.name}-day"
        else:
            target = field.id
        items.setdefault(str(messages[0]), f"#{target}")
    return [{"text": text, "href": href} for text, href in items.items()]
