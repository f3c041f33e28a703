"""Form data in, stored answer or GOV.UK error messages out (and back again to pre-fill a form).

Form fields: `answer` for single, multiple (one value per ticked box), text and number questions;
`item-<item id>` for each item of a rating question. Info pages take no fields.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from survey.engine import messages
from survey.engine.model import Answer, Question
from survey.engine.text import localise

FIELD = "answer"
ITEM_PREFIX = "item-"
# C0 controls except tab, line feed and carriage return; DEL; C1 controls; the XML non-characters U+FFFE/F.
# They cannot be typed meaningfully, and XML (hence XLSX) cannot hold most of them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


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


def _check_single(q: Question, raw: Mapping[str, Any], lang: str | None) -> tuple[Any, list[AnswerError]]:
    values = {v.strip() for v in _values(raw, FIELD) if v.strip()}
    if not values:
        return None, [] if not q.required else [AnswerError(messages.select_message(q, lang))]
    if len(values) > 1 or next(iter(values)) not in q.codes:
        return None, [AnswerError(messages.select_message(q, lang))]
    return next(iter(values)), []


def _check_multiple(q: Question, raw: Mapping[str, Any], lang: str | None) -> tuple[Any, list[AnswerError]]:
    chosen = {v.strip() for v in _values(raw, FIELD) if v.strip()}
    if not chosen:
        return None, [] if not q.required else [AnswerError(messages.select_message(q, lang))]
    if chosen - set(q.codes):
        return None, [AnswerError(messages.select_message(q, lang))]
    exclusive = {o.code for o in q.exclusive_options}
    if len(chosen) > 1 and chosen & exclusive:
        return None, [AnswerError(messages.exclusive_message(q, chosen, lang))]
    return [code for code in q.codes if code in chosen], []


def _check_rating(q: Question, raw: Mapping[str, Any], lang: str | None) -> tuple[Any, list[AnswerError]]:
    value: dict[str, str] = {}
    errors: list[AnswerError] = []
    for item in q.items:
        name = item_field(item.id)
        code = _first(raw, name)
        if code in q.codes:
            value[item.id] = code
        elif code or q.required:
            errors.append(AnswerError(messages.item_message(q, localise(item.text, lang), lang), name))
    if errors:
        return None, errors
    return (value or None), []


def clean_text(text: str) -> str:
    """Free text as stored: NFC, new lines as \\n, control characters removed, surrounding spaces stripped."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", text).strip()


def _check_text(q: Question, raw: Mapping[str, Any], lang: str | None) -> tuple[Any, list[AnswerError]]:
    values = [clean_text(v) for v in _values(raw, FIELD)]
    text = next((v for v in values if v), "")
    if not text:
        return None, [] if not q.required else [AnswerError(messages.enter_message(q, lang))]
    if len(text) > q.max_length:
        return None, [AnswerError(messages.length_message(q, lang))]
    return text, []


def _check_number(q: Question, raw: Mapping[str, Any], lang: str | None) -> tuple[Any, list[AnswerError]]:
    text = _first(raw, FIELD).replace(",", "").replace(" ", "")
    if not text:
        return None, [] if not q.required else [AnswerError(messages.enter_message(q, lang))]
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None, [AnswerError(messages.number_message(q, lang))]
    number = int(text)
    if (q.min is not None and number < q.min) or (q.max is not None and number > q.max):
        return None, [AnswerError(messages.number_message(q, lang))]
    return number, []


_CHECKS = {
    "single": _check_single, "multiple": _check_multiple, "rating": _check_rating,
    "text": _check_text, "number": _check_number,
}


def check_answer(question: Question, raw: Mapping[str, Any],
                 lang: str | None = None) -> tuple[Answer | None, list[AnswerError]]:
    """Turn submitted form values into the stored value, or return GOV.UK error messages.

    Returns (value, []) on success, (None, []) for a skipped optional question or an info page,
    and (None, errors) when the answer must be corrected. `raw` may be a dict of str or list[str]
    values or a werkzeug MultiDict.
    """
    check = _CHECKS.get(question.type)
    if check is None:
        return None, []
    value, errors = check(question, raw, lang)
    return (None, errors) if errors else (value, [])


def form_data_for(question: Question, value: Any) -> dict[str, list[str]]:
    """The form data that `check_answer` turns into `value` (to pre-fill a form when going back)."""
    if value is None or question.type == "info":
        return {}
    if question.type == "rating":
        items = value if isinstance(value, Mapping) else {}
        return {item_field(k): [str(v)] for k, v in items.items()}
    if question.type == "multiple":
        return {FIELD: [str(v) for v in value] if isinstance(value, list) else [str(value)]}
    return {FIELD: [str(value)]}


def check_stored(question: Question, value: Any) -> list[AnswerError]:
    """Errors of an already stored value (e.g. a resumed response checked against a newer definition)."""
    if value is None:
        return [] if not question.required or not question.asks else check_answer(question, {})[1]
    return check_answer(question, form_data_for(question, value))[1]
