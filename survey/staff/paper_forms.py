# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and the class made here subclasses it)
"""The Flask-WTF form of resolving a double-keyed paper form (survey/staff/paper_verify.py).

Its fields are the questions where the two entries differ, so the form class is made for each paper
form: one GOV.UK radio field `choice-<question id>` per difference, "first" or "second", or "entered" when
neither is right and what the form says was entered for it (survey/staff/paper_enter.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from survey.services.paper_entry import Difference
from survey.staff.form_fields import GovRadios


def field_name(diff: Difference) -> str:
    """The form field of one difference."""
    return f"choice-{diff.question_id}"


REASON_LABEL = "Why are you resolving a form you keyed yourself?"


def differences_form(
    diffs: Sequence[Difference], *, entered: Mapping[str, str] | None = None, with_reason: bool = False
) -> Any:
    """A form asking, for each difference, which entry the paper says (read from the request when sent);
    `entered`: {question id: what was entered for it, in words}, offered as a third choice;
    `with_reason`: an admin resolving a form they keyed first says why (survey.services.paper_entry)."""

    class DifferencesForm(FlaskForm):
        pass

    for diff in diffs:
        message = f"Choose which entry is right for “{diff.question}”, or enter what the form says"
        choices = [
            SelectChoice("first", f"First entry: {diff.first}"),
            SelectChoice("second", f"Second entry: {diff.second}"),
        ]
        if entered and diff.question_id in entered:
            choices.append(
                SelectChoice("entered", f"What the form says (entered): {entered[diff.question_id]}")
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
            validators=[Optional(), Length(max=500, message="The reason must be 500 characters or fewer")],
        )
    return DifferencesForm()
