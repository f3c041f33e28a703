# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and these classes subclass it)
"""Flask-WTF forms of partner channels (survey/staff/channels.py): create one, change one (GOV.UK widgets).

Text is trimmed and its runs of spaces made one; the questionnaire list is filled by the view with the
questionnaires now published, and a short code already taken is reported by the view.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from survey.staff.form_fields import GovRadios, squashed
from survey.store.models_channels import MEDIA
from survey.store.repository_channels import CODE_PATTERN

PICK_MEDIUM = lazy_gettext("Select how the partner will share the link")


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


# Made once, in the order of the page (the error summary lists them in this order), used by both forms.
QUESTIONNAIRE = SelectField(
    lazy_gettext("Questionnaire"),
    widget=GovSelect(),
    choices=[],
    filters=[squashed],
    invalid_choice_message=lazy_gettext("Select the questionnaire this link opens"),
    validators=[DataRequired(lazy_gettext("Select the questionnaire this link opens"))],
)
PARTNER_NAME = StringField(
    lazy_gettext("Partner"),
    widget=GovTextInput(),
    description=(
        lazy_gettext(
            "The organisation sharing the link, for example Housing trust A. Partner accounts with this "
            "name (capitals and spaces do not matter) see its counts."
        )
    ),
    filters=[squashed],
    validators=[
        DataRequired(lazy_gettext("Enter the partner's name")),
        Length(max=120, message=lazy_gettext("Partner name must be 120 characters or fewer")),
    ],
)
MEDIUM = RadioField(
    lazy_gettext("How will the partner share it?"),
    widget=GovRadios(),
    choices=[SelectChoice(code, text) for code, text in MEDIA],
    invalid_choice_message=PICK_MEDIUM,
    validators=[InputRequired(PICK_MEDIUM)],
)
LABEL = StringField(
    lazy_gettext("Label"),
    widget=GovTextInput(),
    description=lazy_gettext("What this link is for, for example Posters in community centres"),
    filters=[squashed],
    validators=[
        DataRequired(lazy_gettext("Enter a label, for example 'Posters in community centres'")),
        Length(max=200, message=lazy_gettext("Label must be 200 characters or fewer")),
    ],
)


class NewChannelForm(FlaskForm):
    """A new channel: its questionnaire (fixed afterwards), partner, medium, label and, if wanted, a short
    code of one's own. The view fills the questionnaire choices."""

    questionnaire_id = QUESTIONNAIRE
    partner_name = PARTNER_NAME
    medium = MEDIUM
    label = LABEL
    code = StringField(
        lazy_gettext("Short code (optional)"),
        widget=GovTextInput(),
        description=(
            lazy_gettext(
                "Leave blank for a random 6-character code. Or choose one people can type, for example "
                "mk-libraries: 3 to 32 letters, numbers or hyphens."
            )
        ),
        filters=[squashed, _lower],
        validators=[
            Optional(),
            Regexp(
                CODE_PATTERN,
                message=(
                    lazy_gettext(
                        "Short code must be 3 to 32 letters, numbers or hyphens, and start and end with "
                        "a letter or number"
                    )
                ),
            ),
        ],
    )


class EditChannelForm(FlaskForm):
    """What may change on a channel: partner, medium, label, and whether its link is in use."""

    partner_name = PARTNER_NAME
    medium = MEDIUM
    label = LABEL
    active = RadioField(
        lazy_gettext("Is the link in use?"),
        widget=GovRadios(),
        description=lazy_gettext(
            "A link that is switched off shows a page saying so, with a link to the open surveys."
        ),
        choices=[
            SelectChoice("yes", lazy_gettext("Yes")),
            SelectChoice("no", lazy_gettext("No, switch it off")),
        ],
        invalid_choice_message=lazy_gettext("Select whether the link is in use"),
        validators=[InputRequired(lazy_gettext("Select whether the link is in use"))],
    )
