# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and these classes subclass it)
"""Flask-WTF forms of managing a questionnaire (survey/staff/manage.py, spreadsheets.py), GOV.UK widgets.

Dates, closing early, reopening and retention sit on one page as four forms: each posts its own fields,
and the view draws the other three from what is stored. Rules that need the questionnaire (a closing
date after the opening date, a retention date after closing, a file that can be published) are checked
by the views, which add their messages to the fields.
"""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextInput
from wtforms import HiddenField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, InputRequired

from survey.staff.form_fields import GovRadios, SplitDateField, YesBox
from survey.store.models_staff import RETENTION_POLICIES

POLICY_TEXT = {  # one line for each of RETENTION_POLICIES
    "free_text_and_sensitive": lazy_gettext(
        "Delete free-text answers and answers to sensitive questions; keep the rest"
    ),
    "whole_responses": lazy_gettext("Delete whole responses"),
}
PICK_POLICY = lazy_gettext("Select what is deleted on the retention date")


def _stripped(value: str | None) -> str:
    return (value or "").strip()


class DatesForm(FlaskForm):
    """Opening date (required) and closing date (empty: the policy's weeks after opening)."""

    opens = SplitDateField(lazy_gettext("Opening date"), description=lazy_gettext("For example, 3 5 2027"))
    closes = SplitDateField(lazy_gettext("Closing date"), required=False)


class CloseForm(FlaskForm):
    """Close now, once the box is ticked. A questionnaire that is not open is refused as a whole: the
    error summary then links to the Reopen part of the page, shown instead of this form."""

    anchor = "reopen"
    confirm = YesBox(
        lazy_gettext("Yes, close it now"),
        validators=[DataRequired(lazy_gettext("Select ‘Yes, close it now’ to confirm"))],
    )


class ReopenForm(FlaskForm):
    """The new closing date of a closed questionnaire."""

    reopen_closes = SplitDateField(lazy_gettext("New closing date"))


class RetentionForm(FlaskForm):
    """The retention date and what is deleted on it."""

    retention = SplitDateField(
        lazy_gettext("Retention date"),
        description=lazy_gettext("After the closing date, for example 31 3 2028"),
    )
    policy = RadioField(
        lazy_gettext("What is deleted on that date"),
        widget=GovRadios(),
        choices=[SelectChoice(policy, POLICY_TEXT[policy]) for policy in RETENTION_POLICIES],
        invalid_choice_message=PICK_POLICY,
        validators=[InputRequired(PICK_POLICY)],
    )


class PublishForm(FlaskForm):
    """A questionnaire definition file (JSON) to check and publish."""

    definition = FileField(
        lazy_gettext("Questionnaire file"),
        widget=GovFileInput(),
        validators=[FileRequired(lazy_gettext("Select a questionnaire file"))],
    )


class SpreadsheetUploadForm(FlaskForm):
    """A questionnaire workbook (.xlsx) to check."""

    workbook = FileField(
        lazy_gettext("Questionnaire spreadsheet"),
        widget=GovFileInput(),
        validators=[FileRequired(lazy_gettext("Select a spreadsheet (.xlsx)"))],
    )


class SpreadsheetCheckForm(FlaskForm):
    """A checked workbook's definition (JSON) and file name, carried from page to page in hidden fields."""

    definition = HiddenField()
    filename = HiddenField()


class SpreadsheetPublishForm(SpreadsheetCheckForm):
    """Publish the checked definition under a version number."""

    version = StringField(
        lazy_gettext("Version number"),
        widget=GovTextInput(),
        description=(
            lazy_gettext(
                "New responses record this version; a number already published cannot be used for other "
                "content."
            )
        ),
        filters=[_stripped],
        validators=[DataRequired(lazy_gettext("Enter a version number"))],
    )
