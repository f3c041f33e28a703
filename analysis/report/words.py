"""The report's fixed words in the report's language: gettext over the service's own catalogues.

A report is written in its questionnaire's language (or the language asked for: `build_report(...,
language="cy")`). The questionnaire's text comes from the questionnaire file (the engine's `localise`); the
report's own words (headings, table headings, the methods and key findings sentences, the workbook's sheet and
column names) are English msgids looked up in `survey/translations/<lang>/LC_MESSAGES/messages.po`, the
catalogue the residents' pages use, through `survey.engine.catalogue` (plain `gettext`, no Flask: analysis may
import only `survey.engine` of the service). A language without a catalogue, or a msgid without a translation,
stays English.

Mark a report string with `_("...")` (or `ngettext`) on a `Words` object bound to that name, so `pybabel
extract` finds it (babel.cfg reads `analysis/report/**.py`); placeholders are `%(name)s`, as elsewhere.
Dates, numbers and percentages come from Babel's locale data for the language; English keeps the report's
own forms ("6 July 2016", "45%").
"""

from __future__ import annotations

import gettext as stdlib_gettext
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from survey.engine import catalogue

ENGLISH = "en"
# Languages whose catalogue translates every report word (tests/unit/test_i18n.py checks); a report in another
# language with a catalogue gets its dates and numbers but mostly English words.
REPORT_LANGUAGES = ("en", "cy")


@dataclass(frozen=True)
class Words:
    """gettext, ngettext and the number and date forms of one language."""

    lang: str
    translations: stdlib_gettext.NullTranslations = field(repr=False, compare=False)

    @property
    def english(self) -> bool:
        return self.lang.split("-")[0] == ENGLISH

    def gettext(self, message: str, **values: Any) -> str:
        """`message` in the language, %-formatted with `values` when any are given or when it has a '%%'
        (a msgid with a lone '%' before a letter, '95% interval', would be flagged python-format)."""
        text = self.translations.gettext(message)
        return text % values if values or "%%" in message else text

    def ngettext(self, singular: str, plural: str, n: int, **values: Any) -> str:
        """The plural form for `n`; `num` (n) and `values` are %-formatted in."""
        return self.translations.ngettext(singular, plural, n) % {"num": n, **values}

    def long_date(self, value: date | None) -> str:
        """'6 July 2016'; '6 Gorffennaf 2016' in Welsh."""
        if value is None:
            return ""
        if self.english:
            return f"{value.day} {value:%B %Y}"
        from babel.dates import format_date

        return format_date(value, "d MMMM y", locale=self.locale)

    def date_time(self, value: Any) -> str:
        """'14 June 2016 09:00' (the made-at stamp), in the language's month names."""
        if self.english:
            return str(value.strftime("%d %B %Y %H:%M"))
        return f"{value:%d} {self.long_date(value).split(' ', 1)[1]} {value:%H:%M}"

    def pct(self, value: float | None, digits: int = 0) -> str:
        """A share (fraction) as a percentage; '–' when missing or suppressed."""
        if value is None:
            return "–"
        if self.english:
            return f"{100 * value:.{digits}f}%"
        from babel.numbers import format_percent

        pattern = "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%"
        return format_percent(value, pattern, locale=self.locale)

    def number(self, value: float | None) -> str:
        """A count or a figure with the language's separators (English: as Python prints it)."""
        if value is None:
            return "–"
        if self.english:
            return str(value)
        from babel.numbers import format_decimal

        return format_decimal(value, locale=self.locale)

    @property
    def locale(self) -> str:
        return self.lang.replace("-", "_")


@lru_cache(maxsize=16)
def words(lang: str | None) -> Words:
    """The report words of `lang`: its catalogue (English words where it has none) and, when Babel knows
    the language, its dates and numbers (English forms otherwise)."""
    code = (lang or ENGLISH).strip() or ENGLISH
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(code.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Words(ENGLISH, catalogue.translations(code))
    return Words(code, catalogue.translations(code))
