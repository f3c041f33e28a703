# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and the class made here subclasses it)
"""The Flask-WTF forms of keying paper forms: starting one (survey/staff/paper.py) and resolving a
double-keyed one (survey/staff/paper_verify.py).

The start form's channels and languages are the questionnaire's, so its choices are set per page
(`start_form`); the batch, form number, received date and entry are checked only for a paper form. The
database's rules (a form keyed already, a second entry by the person who keyed the first) the view adds.
The differences form's fields are the questions where the two entries differ, so its class is made for
each paper form: one GOV.UK radio field `choice-<question id>` per difference, "first" or "second", or
"entered" when neither is right and what the form says was entered for it (survey/staff/paper_enter.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea, GovTextInput
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from survey.config import today
from survey.services.paper_entry import Difference
from survey.services.words import gettext
from survey.staff.form_fields import GovRadios, SplitDateField

ENTRIES = (
    ("first", lazy_gettext("First entry of this form")),
    (
        "second",
        lazy_gettext("Second entry, to check a form already keyed (keyed blind: you do not see the first)"),
    ),
)
MODES = (
    ("paper", lazy_gettext("Paper form"), lazy_gettext("Typed in from a completed paper questionnaire")),
    (
        "phone",
        lazy_gettext("Phone"),
        lazy_gettext("Asked over the phone and typed in as the resident answered"),
    ),
    (
        "assisted",
        lazy_gettext("Assisted (in person)"),
        lazy_gettext("Filled in with a resident, for example at an outreach event"),
    ),
)
PAPER_ONLY = ("batch", "form_number", "received", "entry", "override_reason")


def _stripped(value: str | None) -> str:
    return (value or "").strip()


def _written_on_form(missing: Any, too_long: Any) -> Any:
    def check(_form: Any, field: Any) -> None:
        if not field.data:
            raise ValidationError(str(missing))
        if len(field.data) > 40:
            raise ValidationError(str(too_long))

    return check


class PaperStartForm(FlaskForm):
    """Start keying a response: how the answers were given, and for a paper form its batch, number,
    received date and entry (first, or the blind second); the channel and language are set per page."""

    mode = RadioField(
        lazy_gettext("How were the answers given?"),
        widget=GovRadios(),
        choices=[SelectChoice(code, name) for code, name, _ in MODES],
        invalid_choice_message=lazy_gettext("Select how the answers were given"),
    )
    batch = StringField(
        lazy_gettext("Batch number (paper forms)"),
        widget=GovTextInput(),
        filters=[_stripped],
        validators=[
            _written_on_form(
                lazy_gettext("Enter the batch number written on the form or its envelope"),
                lazy_gettext("The batch number must be 40 characters or fewer"),
            )
        ],
    )
    form_number = StringField(
        lazy_gettext("Form number (paper forms)"),
        widget=GovTextInput(),
        filters=[_stripped],
        validators=[
            _written_on_form(
                lazy_gettext("Enter the form number written on the form or its envelope"),
                lazy_gettext("The form number must be 40 characters or fewer"),
            )
        ],
    )
    received = SplitDateField(
        lazy_gettext("Date received"), required=False
    )  # its legend adds "(paper forms)"
    entry = RadioField(
        lazy_gettext("Entry (paper forms)"),
        widget=GovRadios(),
        choices=[SelectChoice(code, text) for code, text in ENTRIES],
        invalid_choice_message=lazy_gettext(
            "Select whether this is the first or the second entry of the form"
        ),
    )
    override_reason = StringField(
        lazy_gettext("Reason for keying the second entry of a form you keyed yourself (admins only)"),
        widget=GovTextInput(),
        description=lazy_gettext(
            "Leave empty unless nobody else can check it. The reason is recorded in the audit trail."
        ),
        filters=[_stripped],
    )
    channel = SelectField(
        lazy_gettext("Channel (optional)"),
        widget=GovSelect(),
        description=(
            lazy_gettext(
                "The partner that collected the form, if any, for example paper forms handed out by a "
                "housing trust."
            )
        ),
        invalid_choice_message=lazy_gettext("Select a channel from the list, or no channel"),
    )
    language = RadioField(
        lazy_gettext("Language of the form"),
        widget=GovRadios(),
        invalid_choice_message=lazy_gettext("Select the language the answers were given in"),
    )

    def validate_received(self, field: Any) -> None:
        if field.data is None:
            raise ValidationError(gettext("Enter the date received"))
        if field.data > today():
            raise ValidationError(gettext("Date received must be today or in the past"))

    def validate(self, extra_validators: Any = None) -> bool:
        """Every field checked, the paper form's own fields only when it is a paper form."""
        super().validate(extra_validators)
        if self.mode.data != "paper":
            for name in PAPER_ONLY:
                getattr(self, name).errors = []
        return not self.errors


def start_form(
    channels: Mapping[str, Any],
    languages: Mapping[str, str],
    defaults: dict[str, Any],
    *,
    sent: bool,
) -> PaperStartForm:
    """The start form with the questionnaire's channels (code -> channel) and languages (code -> name):
    read from the post when `sent` (`defaults` for what it leaves out), else showing `defaults`."""
    extra = {} if sent else {"formdata": None}
    form = PaperStartForm(data=defaults, **extra)
    form.channel.choices = [SelectChoice("", gettext("No channel"))] + [
        SelectChoice(code, f"{c.partner_name} – {c.label} ({code})") for code, c in channels.items()
    ]
    form.language.choices = [SelectChoice(code, name) for code, name in languages.items()]
    return form


def field_name(diff: Difference) -> str:
    """The form field of one difference."""
    return f"choice-{diff.question_id}"


REASON_LABEL = lazy_gettext("Why are you resolving a form you keyed yourself?")


def differences_form(
    diffs: Sequence[Difference], *, entered: Mapping[str, str] | None = None, with_reason: bool = False
) -> Any:
    """A form asking, for each difference, which entry the paper says (read from the request when sent);
    `entered`: {question id: what was entered for it, in words}, offered as a third choice;
    `with_reason`: an admin resolving a form they keyed first says why (survey.services.paper_entry)."""

    class DifferencesForm(FlaskForm):
        pass

    for diff in diffs:
        message = gettext(
            "Choose which entry is right for “%(question)s”, or enter what the form says",
            question=diff.question,
        )
        choices = [
            SelectChoice("first", gettext("First entry: %(answer)s", answer=diff.first)),
            SelectChoice("second", gettext("Second entry: %(answer)s", answer=diff.second)),
        ]
        if entered and diff.question_id in entered:
            choices.append(
                SelectChoice(
                    "entered",
                    gettext("What the form says (entered): %(answer)s", answer=entered[diff.question_id]),
                )
            )
        setattr(
            DifferencesForm,
            field_name(diff),
            RadioField(
                diff.question,
                widget=GovRadios(),
                choices=choices,
                invalid_choice_message=message,
                validators=[InputRequired(message)],
            ),
        )
    if with_reason:
        DifferencesForm.override_reason = TextAreaField(
            REASON_LABEL,
            widget=GovTextArea(),
            validators=[
                Optional(),
                Length(max=500, message=gettext("The reason must be 500 characters or fewer")),
            ],
        )
    return DifferencesForm()
