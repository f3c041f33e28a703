"""Reading typed values the way residents write them: numbers in the page's language, dates, postcodes,
e-mail addresses and telephone numbers (Babel's locale data says which separators a language uses)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

MAX_DIGITS = 12  # before the decimal separator: larger numbers are typing mistakes in a resident survey
MAX_TYPED = 100  # characters: digits, separators and spaces of any number a resident means
_NUMBER_CHARACTERS = re.compile(r"^[+-]?[0-9][0-9.,\u00a0\u202f ]*$")
# A full UK postcode (outward code, inward code); GIR 0AA is Girobank's.
_POSTCODE = re.compile(r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)(?P<inward>[0-9][A-Z]{2})$")
_OUTWARD = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?|GIR)$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 ()\-]+$")


LOCALES = ("en", "cy", "pl")  # the languages the service's messages are written in


def babel_locale(lang: str | None) -> str:
    """The Babel locale of a page language (English for a language the service's messages lack)."""
    base = (lang or "en").split("-")[0]
    return "en_GB" if base not in LOCALES or base == "en" else base  # British dates: 3 May 2016


@dataclass(frozen=True)
class ParsedNumber:
    """A number as typed: `value` (None when unreadable) and why it was refused (`problem`)."""

    value: Decimal | None
    problem: str | None = None  # "separator": commas or full stops where the language does not put them


def parse_number(text: str, lang: str | None) -> ParsedNumber:
    """Read a number written with the separators of `lang` ('4,5' is 4.5 in Polish, refused in English).

    Spaces between thousands are accepted. A comma or full stop in a place the language does not put it is
    refused (problem 'separator') rather than guessed: '4,5' on an English page is neither 45 nor 4.5.
    """
    typed = text.strip().replace("\u202f", " ")
    if not typed:
        return ParsedNumber(None)
    if len(typed) > MAX_TYPED:  # Python refuses to print an integer of more than 4,300 digits
        return ParsedNumber(None, "invalid")
    if not _NUMBER_CHARACTERS.match(typed):
        return ParsedNumber(None, "invalid")
    from babel.numbers import NumberFormatError, parse_decimal  # Babel loads on first use, not at start-up

    locale = babel_locale(lang)
    if locale == "pl":
        # Polish groups thousands with a (non-breaking) space; a full stop before three digits may be a
        # German-style thousands separator: refuse rather than read 1.500 as one and a half.
        if re.search(r"\.[0-9]{3}(?![0-9])", typed):
            return ParsedNumber(None, "separator")
        typed = typed.replace(" ", "\u00a0")
    else:
        typed = typed.replace(" ", "").replace("\u00a0", "")
    try:
        value = parse_decimal(typed, locale=locale, strict=True)
    except NumberFormatError:
        return ParsedNumber(None, "separator")
    except (InvalidOperation, ValueError):
        return ParsedNumber(None, "invalid")
    if not value.is_finite() or value.adjusted() >= MAX_DIGITS:  # more than MAX_DIGITS before the separator
        return ParsedNumber(None, "invalid")
    return ParsedNumber(value)


def decimal_places(value: Decimal) -> int:
    """How many decimal places a typed number has ('4.50' has 2)."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def show_number(value: float | int | Decimal, lang: str | None, *, money: bool = False) -> str:
    """A number as the page's language writes it (money in pounds)."""
    from babel.numbers import format_currency, format_decimal

    locale = babel_locale(lang)
    if money:
        return format_currency(value, "GBP", locale=locale)
    return format_decimal(value, locale=locale)


def postcode_parts(text: str) -> tuple[str, str] | None:
    """(outward, inward) of a full UK postcode typed in any case and spacing, or None."""
    match = _POSTCODE.match(re.sub(r"\s+", "", text).upper())
    return (match["outward"], match["inward"]) if match else None


def is_outward_code(text: str) -> bool:
    """True for the first half of a UK postcode ('MK9'): what the service keeps."""
    return bool(_OUTWARD.match(text))


def is_email(text: str) -> bool:
    """A plausible e-mail address (one @, a dot in the domain, no spaces)."""
    return bool(_EMAIL.match(text)) and len(text) <= 254


def normal_phone(text: str) -> str | None:
    """A UK or international telephone number with its spacing kept, or None when it cannot be one."""
    if not _PHONE_CHARACTERS.match(text):
        return None
    digits = re.sub(r"\D", "", text)
    return text.strip() if 10 <= len(digits) <= 15 else None


def date_bound(bound: str | None, today: date) -> date | None:
    """A definition's date bound ('today' or YYYY-MM-DD) as a date."""
    if bound is None:
        return None
    if bound == "today":
        return today
    try:
        return date.fromisoformat(bound)
    except ValueError:
        return None


def show_date(value: date, lang: str | None) -> str:
    """A date as the page's language writes it ('3 May 2016', '3 Mai 2016', '3 maja 2016')."""
    from babel.dates import format_date

    return format_date(value, format="long", locale=babel_locale(lang))
