# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and these classes subclass it)
"""Flask-WTF forms of the codebook page (survey/staff/themes_codebook.py), drawn with GOV.UK widgets.

Each form carries `base_version`, the codebook version it was shown with, so that a change made
meanwhile by someone else is refused rather than overwritten. The codebook's own rules (each theme needs
a keyword or phrase; no term without letters) are checked by the view with analysis.text's validator.
"""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovTextArea, GovTextInput
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Regexp

from survey.staff.form_fields import squashed

MAX_UPLOAD = 1_000_000  # bytes: the shipped codebook is about 20 kB
THEME_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"  # as the codebook schema


def _stripped(value: str | None) -> str:
    return (value or "").strip()


class NewThemeForm(FlaskForm):
    """A theme: its id (new themes only), name, description, and its terms one per line."""

    base_version = HiddenField()
    theme_id = StringField(
        lazy_gettext("Theme id"),
        widget=GovTextInput(),
        description=(
            lazy_gettext(
                "Reports refer to the theme by this id: letters, digits, _ and -, for example dog_fouling. "
                "It cannot be changed later."
            )
        ),
        filters=[_stripped],
        validators=[
            DataRequired(lazy_gettext("Enter a theme id, for example dog_fouling")),
            Regexp(
                THEME_ID,
                message=lazy_gettext(
                    "Theme id must start with a letter or digit and use only letters, digits, _ and -"
                ),
            ),
        ],
    )
    label = StringField(
        lazy_gettext("Name"),
        widget=GovTextInput(),
        filters=[squashed],
        validators=[DataRequired(lazy_gettext("Enter the theme's name"))],
    )
    description = TextAreaField(
        lazy_gettext("Description"),
        widget=GovTextArea(),
        description=lazy_gettext("What the theme covers, for analysts and readers of the report."),
        filters=[_stripped],
    )
    keywords = TextAreaField(
        lazy_gettext("Keywords"),
        widget=GovTextArea(),
        description=lazy_gettext(
            'One word per line. Any form of the word matches ("burglary" also matches "burglaries").'
        ),
    )
    exact_keywords = TextAreaField(
        lazy_gettext("Exact keywords"),
        widget=GovTextArea(),
        description=lazy_gettext(
            'One word per line, matched only as written ("parking" must not match "park").'
        ),
    )
    phrases = TextAreaField(
        lazy_gettext("Phrases"),
        widget=GovTextArea(),
        description=lazy_gettext('Several words per line, matched in that order ("double yellow lines").'),
    )


class EditThemeForm(NewThemeForm):
    """A theme already in the codebook: its id stays."""

    theme_id = None


class CodebookUploadForm(FlaskForm):
    """A codebook JSON file to replace the one in use (checked by the view; problems listed by path)."""

    codebook = FileField(
        lazy_gettext("Codebook file (JSON, up to %(size)s kB)", size=MAX_UPLOAD // 1000),
        widget=GovFileInput(),
    )


class RemoveThemeForm(FlaskForm):
    """Remove a theme (the Remove button of its row). A refusal concerns the whole list of themes."""

    anchor = "themes"
    base_version = HiddenField()
