# mypy: disable-error-code="misc"
# (flask_wtf ships no type information: FlaskForm is Any to mypy, and these classes subclass it)
"""Flask-WTF forms of the reports page (survey/staff/reports.py): make a report, export the responses.

The choices and the "count up to" date are checked here; what needs the database (no complete responses
up to the date, too few for a partner or public report, the reference population) the view adds with
`add_error`. The page's defaults (an interim PDF for internal use, the ZIP export) are given when the page
is drawn (`report_form()`, `export_form()`), not as field defaults: a post without a kind or format is
refused rather than read as the default.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import ValidationError

from survey.config import today
from survey.services.words import gettext
from survey.staff.form_fields import GovRadios, YesBox

KIND_NAMES = {"interim": lazy_gettext("Interim report"), "final": lazy_gettext("Final report")}
FORMAT_NAMES = {
    "html": lazy_gettext("Web page (HTML)"),
    "pdf": lazy_gettext("PDF (A4, for printing)"),
    "xlsx": lazy_gettext("Spreadsheet (XLSX)"),
    "json": lazy_gettext("Numbers only (JSON)"),
}
AUDIENCE_NAMES = {
    "internal": lazy_gettext("Internal: for analysts and admins only, not for publication"),
    "partner": lazy_gettext(
        "Partner organisations: small counts hidden (audited), sensitive sections left out"
    ),
    "public": lazy_gettext(
        "Public: for publication and the public results page; small counts hidden (audited), "
        "sensitive sections left out, counts rounded if the questionnaire says so"
    ),
}
EXPORT_FORMATS = {
    "csv": lazy_gettext("CSV (one row per response)"),
    "zip": lazy_gettext("CSV with its data dictionary (ZIP)"),
    "sav": lazy_gettext("SPSS (.sav, with variable and value labels)"),
    "dictionary": lazy_gettext("Data dictionary only (CSV)"),
}
EXPORT_OPTIONS = ("no_free_text", "no_sensitive", "labels", "include_incomplete")


def _radios(label: Any, names: dict[str, Any], message: Any) -> Any:
    return RadioField(
        label,
        widget=GovRadios(),
        choices=[SelectChoice(value, text) for value, text in names.items()],
        invalid_choice_message=message,
    )


def _stripped(value: str | None) -> str:
    return (value or "").strip()


class KeepBox(YesBox):
    """ "Keep a copy": the page posts a hidden `no` before the box, so ticked is `yes` among the values; a
    post without the field at all keeps the copy (as the report job's default)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = "yes" in valuelist or not valuelist


class AsOfMixin:
    """`as_of`: the day to count responses up to, typed as 2026-05-31; empty for today (`day()`)."""

    def validate_as_of(self, field: Any) -> None:
        if not field.data:
            return
        try:
            day = date.fromisoformat(field.data)
        except ValueError:
            raise ValidationError(gettext("Enter the date in the format 2026-05-31")) from None
        if day > today():
            raise ValidationError(gettext("The date must be today or in the past"))

    def day(self) -> date | None:
        """The checked date, or None when left empty."""
        typed = self.as_of.data  # type: ignore[attr-defined]
        return date.fromisoformat(typed) if typed else None


class ReportForm(AsOfMixin, FlaskForm):
    """Make a report: its kind, audience (internal when the post has none), format and date, and whether
    to keep a copy."""

    kind = _radios(
        lazy_gettext("Kind of report"), KIND_NAMES, lazy_gettext("Select an interim or a final report")
    )
    audience = RadioField(
        lazy_gettext("Who the report is for"),
        widget=GovRadios(),
        choices=[SelectChoice(value, text) for value, text in AUDIENCE_NAMES.items()],
        default="internal",
        invalid_choice_message=lazy_gettext(
            "Select who the report is for: internal, partner organisations or the public"
        ),
    )
    format = _radios(lazy_gettext("Format"), FORMAT_NAMES, lazy_gettext("Select the format of the report"))
    as_of = StringField(
        lazy_gettext("Count responses up to the end of"), widget=GovTextInput(), filters=[_stripped]
    )
    keep = KeepBox(
        lazy_gettext(
            "Keep a copy in the list of stored reports (the final report compares with the latest stored "
            "interim one)"
        ),
        default=True,
    )


class ExportForm(AsOfMixin, FlaskForm):
    """Export the responses: the format and what to leave out or add (`as_of`: an optional date)."""

    export_format = _radios(
        lazy_gettext("Format"), EXPORT_FORMATS, lazy_gettext("Select the format of the export")
    )
    no_free_text = YesBox(
        lazy_gettext("Leave out free-text answers"),
        description=lazy_gettext("What residents wrote in their own words may name people or places."),
    )
    no_sensitive = YesBox(
        lazy_gettext("Leave out the sensitive sections"),
        description=lazy_gettext(
            "Questions in sections marked sensitive, such as experience of crime or abuse."
        ),
    )
    labels = YesBox(lazy_gettext("Answer labels instead of codes (CSV only)"))
    include_incomplete = YesBox(lazy_gettext("Include journeys that were not finished"))
    as_of = StringField(
        lazy_gettext("Count responses up to the end of"), widget=GovTextInput(), filters=[_stripped]
    )

    def options(self) -> dict[str, bool]:
        """The ticked options, by name."""
        return {name: bool(getattr(self, name).data) for name in EXPORT_OPTIONS}


def report_form() -> ReportForm:
    """The report form as the page first shows it: an interim PDF for internal use, kept."""
    return ReportForm(formdata=None, data={"kind": "interim", "format": "pdf"})


def export_form() -> ExportForm:
    """The export form as the page first shows it: CSV with its data dictionary."""
    return ExportForm(formdata=None, data={"export_format": "zip"})
