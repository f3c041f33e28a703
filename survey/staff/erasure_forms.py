# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and these classes subclass it)
"""Flask-WTF forms that delete residents' answers: erase one response, apply retention (GOV.UK widgets)."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired

from survey.staff.form_fields import YesBox


def _first_40(value: str | None) -> str:
    return (value or "")[:40]


class EraseForm(FlaskForm):
    """The response number (checked by the view: a whole number of a stored response); `confirm` is yes
    when it comes from the "are you sure" page."""

    response_id = StringField(lazy_gettext("Response number"), widget=GovTextInput(), filters=[_first_40])
    confirm = HiddenField()


class RetentionApplyForm(FlaskForm):
    """Apply retention: only with the box ticked to say the dry run was read."""

    confirm = YesBox(
        lazy_gettext("I have read the dry run and want to delete what it lists"),
        validators=[DataRequired(lazy_gettext("Tick to confirm you have read what will be deleted"))],
    )
