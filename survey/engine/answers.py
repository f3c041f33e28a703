"""Form data in, stored answer or GOV.UK error messages out (and back again to pre-fill a form).

Form fields: `answer` for single, multiple (one value per ticked box), text, number, decimal, money,
postcode and consent questions; `answer-day`, `answer-month`, `answer-year` for a date; `item-<item id>`
for each item of a rating, grid (one value per ticked box) or ranking (the rank) question; `other-<code>`
for the words of an "other, please specify" option; `dont-know` for "I don't know" on a number.
Info pages take no fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from typing import Any

from survey.engine import messages
from survey.engine.conditions import evaluate
from survey.engine.model import DONT_KNOW, OTHER_SUFFIX, Answer, Option, Question
from survey.engine.text import localise

FIELD = "answer"
ITEM_PREFIX = "item-"
OTHER_PREFIX = "other-"
DONT_KNOW_FIELD = "dont-know"
DATE_PARTS = ("day", "month", "year")
# C0 controls except tab, line feed and carriage return; DEL; C1 controls; the XML non-characters U+FFFE/F.
# They cannot be typed meaningfully, and XML (hence XLSX) cannot hold most of them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Bidirectional marks, embeddings, overrides and isolates (U+200E/F, U+202A-U+202E, U+2066-U+2069): invisible,
# they reorder the words around them (a "Trojan Source" reversal in what staff read in exports and on screen).
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class AnswerError(str):
    """An error message (a str) that also knows the form field it belongs to (`field`)."""

    field: str

    def __new__(cls, message: str, field: str = FIELD) -> AnswerError:
        """Create the message bound to `field`."""
        obj = super().__new__(cls, message)
        obj.field = field
        return obj


def item_field(item_id: str) -> str:
    """The form field name of a rating item."""
    return ITEM_PREFIX + item_id


def _values(raw: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(raw, "getlist", None)
    value = getlist(name) if callable(getlist) else raw.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def _first(raw: Mapping[str, Any], name: str) -> str:
    values = [v for v in _values(raw, name) if v.strip()]
    return values[0].strip() if values else ""


def other_field(code: str) -> str:
    """The form field name of the words typed for an "other, please specify" option."""
    return OTHER_PREFIX + code


def shown_options(q: Question, answers: Mapping[str, Any] | None) -> tuple[Option, ...]:
    """The options offered with these answers (an option's `show_if`); every option when answers is None."""
    if answers is None:
        return q.options
    return tuple(o for o in q.options if o.show_if is None or evaluate(o.show_if, answers))


def is_required(q: Question, answers: Mapping[str, Any] | None) -> bool:
    """True when the question needs an answer: `required`, or its `required_if` holds for these answers."""
    if q.required:
        return True
    return q.required_if is not None and answers is not None and evaluate(q.required_if, answers)


class _Context:
    """What a check needs besides the form: the language, the answers so far and today's date."""

    def __init__(self, lang: str | None, answers: Mapping[str, Any] | None, today: date | None):
        self.lang = lang
        self.answers = answers
        self.today = today or date.today()
        self.extra: dict[str, Any] = {}  # further stored values, e.g. the words of an "other" option


def _own(q: Question, key: str, lang: str | None, fallback: str) -> str:
    text = q.error_text(key)
    return localise(text, lang) if text else fallback


def _missing(q: Question, ctx: _Context, message: str) -> tuple[Any, list[AnswerError]]:
    if not is_required(q, ctx.answers):
        return None, []
    return None, [AnswerError(_own(q, "required", ctx.lang, message))]


def _other_words(q: Question, chosen: set[str], raw: Mapping[str, Any], ctx: _Context) -> list[AnswerError]:
    for code in q.other_codes:
        if code not in chosen:
            continue
        words = clean_text(_first(raw, other_field(code)))
        if not words:
            label = localise(q.option(code).label if q.option(code) else "", ctx.lang)  # type: ignore[union-attr]
            return [
                AnswerError(
                    _own(q, "other", ctx.lang, messages._t(ctx.lang, "other", label=label)), other_field(code)
                )
            ]
        if len(words) > q.max_length:
            return [AnswerError(messages.length_message(q, ctx.lang), other_field(code))]
        ctx.extra[q.id + OTHER_SUFFIX] = words
    return []


def _check_single(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    values = {v.strip() for v in _values(raw, FIELD) if v.strip()}
    if not values:
        return _missing(q, ctx, messages.select_message(q, ctx.lang))
    offered = {o.code for o in shown_options(q, ctx.answers)}
    if len(values) > 1 or next(iter(values)) not in offered:
        return None, [AnswerError(_own(q, "invalid", ctx.lang, messages.select_message(q, ctx.lang)))]
    errors = _other_words(q, values, raw, ctx)
    return (None, errors) if errors else (next(iter(values)), [])


def _check_multiple(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    lang = ctx.lang
    chosen = {v.strip() for v in _values(raw, FIELD) if v.strip()}
    if not chosen:
        return _missing(q, ctx, messages.select_message(q, lang))
    if chosen - {o.code for o in shown_options(q, ctx.answers)}:
        return None, [AnswerError(_own(q, "invalid", lang, messages.select_message(q, lang)))]
    exclusive = {o.code for o in q.exclusive_options}
    if len(chosen) > 1 and chosen & exclusive:
        return None, [AnswerError(messages.exclusive_message(q, chosen, lang))]
    errors = _other_words(q, chosen, raw, ctx)
    return (None, errors) if errors else ([code for code in q.codes if code in chosen], [])


def _check_rating(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    lang = ctx.lang
    value: dict[str, str] = {}
    errors: list[AnswerError] = []
    required = is_required(q, ctx.answers)
    for item in q.items:
        name = item_field(item.id)
        code = _first(raw, name)
        if code in q.codes:
            value[item.id] = code
        elif code or required:
            message = messages.item_message(q, localise(item.text, lang), lang)
            errors.append(AnswerError(_own(q, "required" if not code else "invalid", lang, message), name))
    if errors:
        return None, errors
    return (value or None), []


def clean_text(text: str) -> str:
    """Free text as stored: NFC, new lines as \\n, control and bidirectional control characters removed,
    surrounding spaces stripped."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return BIDI_CONTROLS.sub("", CONTROL_CHARACTERS.sub("", text)).strip()


def _check_text(q: Question, raw: Mapping[str, Any], ctx: _Context) -> tuple[Any, list[AnswerError]]:
    values = [clean_text(v) for v in _values(raw, FIELD)]
    text = next((v for v in values if v), "")
    if not text:
        return _missing(q, ctx, messages.enter_message(q, ctx.lang))
    if len(text) > q.max_length:
        return None, [AnswerError(messages.length_message(q, ctx.lang))]
    return formats_text(q, text, ctx.lang)


_CHECKS = {
    "single": _check_single,
    "multiple": _check_multiple,
    "rating": _check_rating,
    "text": _check_text,
}


def check_page(
    question: Question,
    raw: Mapping[str, Any],
    lang: str | None = None,
    *,
    answers: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> tuple[dict[str, Any], list[AnswerError]]:
    """Everything a page stores: {question id: value} plus the words of an "other" option
    (`question id + '.other'`), or the errors. The value is None for a skipped optional question.

    `answers`: the answers so far (conditional options, `required_if` and checks across questions read
    them; without them every option is offered and `required_if` never holds). `today` bounds dates.
    """
    from survey.engine.answers_more import MORE_CHECKS, cross_checks

    ctx = _Context(lang, answers, today)
    check = _CHECKS.get(question.type) or MORE_CHECKS.get(question.type)
    if check is None:
        return {question.id: None}, []
    value, errors = check(question, raw, ctx)
    if errors:
        return {}, errors
    if value is not None and answers is not None:
        errors = cross_checks(question, value, answers, lang)
        if errors:
            return {}, errors
    return {question.id: value, **ctx.extra}, []


def check_answer(
    question: Question,
    raw: Mapping[str, Any],
    lang: str | None = None,
    *,
    answers: Mapping[str, Any] | None = None,
    today: date | None = None,
) -> tuple[Answer | None, list[AnswerError]]:
    """Turn submitted form values into the stored value, or return GOV.UK error messages.

    Returns (value, []) on success, (None, []) for a skipped optional question or an info page,
    and (None, errors) when the answer must be corrected. `raw` may be a dict of str or list[str]
    values or a werkzeug MultiDict. `check_page` also returns the words of an "other" option.
    """
    entries, errors = check_page(question, raw, lang, answers=answers, today=today)
    return (None, errors) if errors else (entries.get(question.id), [])


def formats_text(q: Question, text: str, lang: str | None) -> tuple[Any, list[AnswerError]]:
    """A text answer checked against its `format` (email, phone or the definition's `pattern`)."""
    from survey.engine.formats import is_email, normal_phone

    if q.format == "email":
        if not is_email(text):
            return None, [AnswerError(_own(q, "format", lang, messages._t(lang, "email")))]
        return text, []
    if q.format == "phone":
        phone = normal_phone(text)
        if phone is None:
            return None, [AnswerError(_own(q, "format", lang, messages._t(lang, "phone")))]
        return phone, []
    if q.format == "pattern" and q.pattern and not re.fullmatch(q.pattern, text):
        return None, [AnswerError(_own(q, "format", lang, messages._t(lang, "format")))]
    return text, []


def form_data_for(
    question: Question, value: Any, answers: Mapping[str, Any] | None = None
) -> dict[str, list[str]]:
    """The form data that `check_answer` turns into `value` (to pre-fill a form when going back).

    `answers` (optional) supplies the words of an "other, please specify" option.
    """
    if value is None or question.type == "info":
        return {}
    if question.type in ("rating", "ranking"):
        items = value if isinstance(value, Mapping) else {}
        return {item_field(k): [str(v)] for k, v in items.items()}
    if question.type == "grid":
        rows = value if isinstance(value, Mapping) else {}
        return {item_field(k): [str(c) for c in v] for k, v in rows.items() if isinstance(v, list)}
    if question.type == "date" and isinstance(value, str) and len(value) == 10:
        year, month, day = value.split("-")
        return {f"{FIELD}-day": [str(int(day))], f"{FIELD}-month": [str(int(month))], f"{FIELD}-year": [year]}
    if question.type in ("number", "decimal", "money") and value == DONT_KNOW:
        return {DONT_KNOW_FIELD: ["yes"]}
    data: dict[str, list[str]] = {}
    if question.type == "multiple":
        data[FIELD] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    else:
        data[FIELD] = [str(value)]
    words = (answers or {}).get(question.id + OTHER_SUFFIX)
    chosen = set(data[FIELD])
    for code in question.other_codes:
        if code in chosen:
            data[other_field(code)] = [str(words or "")]
    return data


def check_stored(question: Question, value: Any, *, today: date | None = None) -> list[AnswerError]:
    """Errors of an already stored value (e.g. a resumed response checked against a newer definition).

    `today` bounds dates as on the page (the caller's today: the service's, not the machine's)."""
    from survey.engine.formats import is_outward_code

    if value is None:
        if not question.required or not question.asks:
            return []
        return check_answer(question, {}, today=today)[1]
    if question.type == "postcode":  # only the outward code (or the ward) is kept: it cannot be re-entered
        return (
            []
            if isinstance(value, str) and (is_outward_code(value) or question.keep == "ward")
            else [AnswerError(messages._t(None, "postcode"))]
        )
    data = form_data_for(question, value)
    for code in question.other_codes:  # the words are stored beside the answer, not re-checked here
        data.setdefault(other_field(code), ["-"])
        data[other_field(code)] = [data[other_field(code)][0] or "-"]
    return check_answer(question, data, today=today)[1]
