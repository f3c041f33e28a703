"""Checks of the question types beyond choices and text: numbers in the page's language (whole, decimal,
money, with "I don't know"), dates, postcodes, consent, checkbox grids and rankings, and checks across
questions. Form data in, stored value or GOV.UK error messages out (see `survey.engine.answers`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from survey.engine import messages
from survey.engine.answers import (
    DATE_PARTS,
    DONT_KNOW_FIELD,
    FIELD,
    AnswerError,
    _Context,
    _first,
    _missing,
    _own,
    _values,
    item_field,
)
from survey.engine.conditions import evaluate
from survey.engine.formats import (
    date_bound,
    decimal_places,
    parse_number,
    postcode_parts,
    show_date,
    show_number,
)
from survey.engine.model import DONT_KNOW, Question
from survey.engine.text import localise

Check = Callable[[Question, Mapping[str, Any], _Context], tuple[Any, list[AnswerError]]]


def _bounds_message(q: Question, lang: str | None) -> str:
    if q.type == "number":
        return messages.number_message(q, lang)
    money = q.type == "money"

    def show(v: float | int) -> str:
        return show_number(v, lang, money=money)

    prefix = "money" if money else "num"
    if q.min is not None and q.max is not None:
        return messages._t(lang, f"{prefix}_between", min=show(q.min), max=show(q.max))
    if q.min is not None:
        return messages._t(lang, f"{prefix}_at_least", min=show(q.min))
    if q.max is not None:
        return messages._t(lang, f"{prefix}_at_most", max=show(q.max))
    return messages._t(lang, "money_any" if money else "number_any")


def _check_number(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    lang = ctx.lang
    text = _first(raw, FIELD)
    if q.type == "money":
        text = text.replace("£", "").strip()
    dont_know = q.dont_know is not None and _first(raw, DONT_KNOW_FIELD) != ""
    if dont_know and text:
        label = localise(q.dont_know, lang)
        return None, [AnswerError(messages._t(lang, "dont_know_both", label=label))]
    if dont_know:
        return DONT_KNOW, []
    if not text:
        return _missing(q, ctx, messages.enter_message(q, lang))
    parsed = parse_number(text, lang)
    if parsed.value is None:
        # a whole-number question is not told to use a full stop for decimals it would then refuse
        separator = "separator_whole" if q.type == "number" else "separator"
        fallback = messages._t(lang, separator) if parsed.problem == "separator" else _bounds_message(q, lang)
        return None, [AnswerError(_own(q, "invalid", lang, fallback))]
    number = parsed.value
    places = 0 if q.type == "number" else (2 if q.type == "money" else q.places)
    if decimal_places(number.normalize() if number == number.to_integral_value() else number) > places:
        fallback = (
            messages.number_message(q, lang)
            if q.type == "number"
            else messages._t(lang, "places", places=places)
        )
        return None, [AnswerError(_own(q, "invalid", lang, fallback))]
    if (q.min is not None and number < Decimal(str(q.min))) or (
        q.max is not None and number > Decimal(str(q.max))
    ):
        return None, [AnswerError(_own(q, "bounds", lang, _bounds_message(q, lang)))]
    if q.type == "number" or number == number.to_integral_value():
        return int(number), []
    return float(number), []


def _check_date(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    lang = ctx.lang
    parts = {part: _first(raw, f"{FIELD}-{part}") for part in DATE_PARTS}
    if not any(parts.values()):
        return _missing(q, ctx, messages.enter_message(q, lang))
    blank = next((p for p in DATE_PARTS if not parts[p]), None)
    if blank is not None:
        return None, [
            AnswerError(_own(q, "invalid", lang, messages._t(lang, "date_incomplete")), f"{FIELD}-{blank}")
        ]
    try:
        if not all(v.isascii() and v.isdigit() for v in parts.values()) or len(parts["year"]) != 4:
            raise ValueError
        value = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        return None, [AnswerError(_own(q, "invalid", lang, messages._t(lang, "date_real")), f"{FIELD}-day")]
    low, high = date_bound(q.min_date, ctx.today), date_bound(q.max_date, ctx.today)
    if low is not None and value < low:
        fallback = messages._t(lang, "date_after", date=show_date(low, lang))
        return None, [AnswerError(_own(q, "bounds", lang, fallback), f"{FIELD}-day")]
    if high is not None and value > high:
        fallback = messages._t(lang, "date_before", date=show_date(high, lang))
        return None, [AnswerError(_own(q, "bounds", lang, fallback), f"{FIELD}-day")]
    return value.isoformat(), []


def _check_postcode(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    text = _first(raw, FIELD)
    if not text:
        return _missing(q, ctx, messages.enter_message(q, ctx.lang))
    parts = postcode_parts(text)
    if parts is None:
        return None, [AnswerError(_own(q, "invalid", ctx.lang, messages._t(ctx.lang, "postcode")))]
    return parts[0], []  # only the outward code is kept, never the full postcode


def _check_consent(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    if _first(raw, FIELD) == "yes":
        return "yes", []
    return None, [AnswerError(_own(q, "required", ctx.lang, messages._t(ctx.lang, "consent")))]


def _check_grid(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    lang = ctx.lang
    value: dict[str, list[str]] = {}
    exclusive = {o.code for o in q.exclusive_options}
    for item in q.items:
        name = item_field(item.id)
        chosen = {v.strip() for v in _values(raw, name) if v.strip()}
        if chosen - set(q.codes):
            message = messages.item_message(q, localise(item.text, lang), lang)
            return None, [AnswerError(_own(q, "invalid", lang, message), name)]
        if len(chosen) > 1 and chosen & exclusive:
            return None, [AnswerError(messages.exclusive_message(q, chosen, lang), name)]
        if chosen:
            value[item.id] = [c for c in q.codes if c in chosen]
    if not value:
        return _on_first_item(q, _missing(q, ctx, messages.select_message(q, lang)))
    return value, []


def _on_first_item(q: Question, result: tuple[Any, list[AnswerError]]) -> tuple[Any, list[AnswerError]]:
    """A whole-page error of a grid or ranking, linked from the error summary to its first item."""
    value, errors = result
    return value, [AnswerError(str(e), item_field(q.items[0].id)) if q.items else e for e in errors]


def rank_limit(q: Question) -> int:
    """How many items a ranking question ranks (its `rank_count`, else all of them)."""
    return min(q.rank_count or len(q.items), len(q.items))


def _check_ranking(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    lang = ctx.lang
    limit = rank_limit(q)
    value: dict[str, int] = {}
    for item in q.items:
        name = item_field(item.id)
        text = _first(raw, name)
        if not text:
            continue
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= limit):
            message = messages._t(lang, "rank_item", item=localise(item.text, lang))
            return None, [AnswerError(_own(q, "invalid", lang, message), name)]
        value[item.id] = int(text)
    if not value:
        return _on_first_item(q, _missing(q, ctx, messages._t(lang, "rank_count", n=limit)))
    if len(set(value.values())) != len(value):
        first = next(i.id for i in q.items if i.id in value)
        return None, [
            AnswerError(_own(q, "unique", lang, messages._t(lang, "rank_unique")), item_field(first))
        ]
    if len(value) != limit:
        missing = next(i.id for i in q.items if i.id not in value)
        return None, [
            AnswerError(
                _own(q, "required", lang, messages._t(lang, "rank_count", n=limit)), item_field(missing)
            )
        ]
    return value, []


MORE_CHECKS: dict[str, Check] = {
    "number": _check_number,
    "decimal": _check_number,
    "money": _check_number,
    "date": _check_date,
    "postcode": _check_postcode,
    "consent": _check_consent,
    "grid": _check_grid,
    "ranking": _check_ranking,
}


def cross_checks(q: Question, value: Any, answers: Mapping[str, Any], lang: str | None) -> list[AnswerError]:
    """The message of the first of the question's `checks` whose condition holds with this answer."""
    merged = {**answers, q.id: value}
    field = f"{FIELD}-day" if q.type == "date" else item_field(q.items[0].id) if q.items else FIELD
    for check in q.checks:
        if evaluate(check.when, merged):
            return [AnswerError(localise(check.message, lang), field)]
    return []
