# mypy: disable-error-code="misc"
# (wtforms and govuk-frontend-wtf ship no type information: their classes are Any to mypy)
"""Form fields the staff pages need beyond WTForms and govuk-frontend-wtf, drawn with GOV.UK macros.

`SplitDateField`: a GOV.UK date input whose boxes are named `<name>-day`, `<name>-month` and
`<name>-year` (govuk-frontend-wtf's date widget gives all three one name), read with the design system's
messages (survey.staff.dates.read_date). `YesBox`: one checkbox that posts `yes`. `GovPasswordBox`: a
password input without the Show button. `squashed`: a filter that trims text and turns runs of spaces and
line breaks into one space.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovRadioInput, GovTextInput
from wtforms import BooleanField, Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from survey.services.words import gettext
from survey.staff.dates import read_date

PARTS = (("day", 2), ("month", 2), ("year", 4))


def squashed(value: Any) -> Any:
    """Text trimmed, with each run of spaces and line breaks made one space (None stays None)."""
    return " ".join(value.split()) if isinstance(value, str) else value


def add_error(field: Any, message: str) -> None:
    """Give a field one more error message after validation (a rule the view checks, such as a taken code)."""
    field.errors = [*field.errors, message]


def _without_empty_hint(params: dict[str, Any]) -> dict[str, Any]:
    hint = params.get("hint")
    if isinstance(hint, dict) and not (hint.get("text") or hint.get("html")):
        params.pop("hint")
    return params


class GovRadios(GovRadioInput):
    """GOV.UK radios (govuk-frontend-wtf's), without an empty hint when the field has no description; the
    legend is the field's label even when the template gives only the legend's classes."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        params = _without_empty_hint(super().map_gov_params(field, **kwargs))
        legend = params.setdefault("fieldset", {}).setdefault("legend", {})
        if not (legend.get("text") or legend.get("html")):
            legend["text"] = field.label.text
        return params


class GovCheckbox(GovCheckboxInput):
    """One GOV.UK checkbox (govuk-frontend-wtf's), without an empty hint when the field has no description."""

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        return _without_empty_hint(super().map_gov_params(field, **kwargs))


class GovPasswordBox(GovTextInput):
    """A plain GOV.UK input of type password that never shows what was typed. (govuk-frontend-wtf's
    password widget adds a Show button, the first button of the form: pages and browser tests that submit
    with the form's first button would press it instead.)"""

    input_type = "password"

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs["value"] = ""
        return super().__call__(field, **kwargs)


class GovSplitDateInput(GovFormBase):
    """govukDateInput with boxes named `<name>-day`, `-month` and `-year`, refilled with what was typed."""

    template = "govuk_frontend_wtf/date.html"

    def __call__(self, field: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("id", field.id)
        return super().__call__(field, **kwargs)

    def map_gov_params(self, field: Any, **kwargs: Any) -> dict[str, Any]:
        error = " govuk-input--error" if field.errors else ""
        typed = field.typed()
        params: dict[str, Any] = {
            "id": kwargs.pop("id"),
            "namePrefix": field.name,
            "fieldset": {"legend": {"text": field.label.text}},
            "items": [
                {
                    "name": part,
                    "label": part.capitalize(),
                    "value": typed[part],
                    "classes": f"govuk-input--width-{width}{error}",
                }
                for part, width in PARTS
            ],
        }
        if field.description:
            params["hint"] = {"text": field.description}
        if "params" in kwargs:
            params = self.merge_params(params, kwargs.pop("params"))
        if field.errors:
            params["errorMessage"] = {"text": field.errors[0]}
        return params


class SplitDateField(Field):
    """A date typed into three boxes (`<name>-day`, `-month`, `-year`); the label names it in messages.

    A missing, partial or impossible date stops validation with read_date's message ("Enter the opening
    date", "Opening date must include a month", "... must be a real date"); `required=False` lets all
    three boxes be empty (data None). The boxes show what was typed, or else the field's date.
    """

    widget = GovSplitDateInput()

    def __init__(
        self, label: str | None = None, validators: Any = None, *, required: bool = True, **kwargs: Any
    ):
        super().__init__(label, validators, **kwargs)
        self.required = required
        self.problem: str | None = None

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.process_errors: list[str] = []
        if data is unset_value:
            try:
                data = self.default()
            except TypeError:
                data = self.default
        self.object_data = data
        self.data = data
        self.raw_data: list[str] | None = None
        self.problem = None
        if formdata is not None:
            self.raw_data = [formdata.get(f"{self.name}-{part}") or "" for part, _ in PARTS]
            self.data, self.problem = read_date(formdata, self.name, self.label.text, required=self.required)

    def pre_validate(self, form: Any) -> None:
        if self.problem:
            raise StopValidation(self.problem)
        if self.required and self.data is None:  # a post with no fields at all (Flask-WTF reads no formdata)
            raise StopValidation(gettext("Enter the %(label)s", label=str(self.label.text).lower()))

    def typed(self) -> dict[str, str]:
        """What each box shows: what was typed, or else the field's date, or else nothing."""
        if self.raw_data is not None:
            return {part: value for (part, _), value in zip(PARTS, self.raw_data, strict=True)}
        if isinstance(self.data, date):
            return {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        return {part: "" for part, _ in PARTS}

    def _value(self) -> str:
        return self.data.isoformat() if isinstance(self.data, date) else ""


class YesBox(BooleanField):
    """One GOV.UK checkbox that posts `yes` when ticked (a confirmation, or "also email the link")."""

    widget = GovCheckbox()

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = bool(valuelist) and valuelist[0] == "yes"

    def _value(self) -> str:
        return "yes"
