"""Answers as words: an earlier answer piped into later text ("{{ward}}"), answers shown back to residents."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from survey.engine.formats import show_date, show_number
from survey.engine.model import DONT_KNOW, OTHER_SUFFIX, Question, Questionnaire
from survey.engine.text import Text, localise

# {{question_id}} or {{question_id|words shown when it was not answered}}
PIPE = re.compile(r"\{\{\s*(?P<q>[a-z][a-z0-9_]*)\s*(?:\|(?P<fallback>[^{}]*))?\}\}")


def piped_ids(text: Text | str | None) -> Iterator[str]:
    """The question ids piped into a text, in every language it is written in."""
    if text is None:
        return
    values = [text] if isinstance(text, str) else [v for _, v in text.values]
    for value in values:
        for match in PIPE.finditer(value):
            yield match["q"]


def _label(question: Question, code: Any, lang: str | None, answers: Mapping[str, Any]) -> str:
    option = question.option(str(code))
    if option is None:
        return str(code)
    words = answers.get(question.id + OTHER_SUFFIX) if option.other else None
    label = localise(option.label, lang)
    return f"{label}: {words}" if words else label


def answer_words(
    question: Question, value: Any, lang: str | None, answers: Mapping[str, Any] | None = None
) -> list[str]:
    """A stored answer as lines of words in `lang` (option labels, numbers and dates as the language writes
    them, 'I don't know'); [] when unanswered. `answers` supplies the words of an "other" option."""
    answers = answers or {}
    if value is None or value == "" or value == [] or value == {}:
        return []
    kind = question.type
    if kind in ("number", "decimal", "money"):
        if value == DONT_KNOW:
            return [localise(question.dont_know, lang) or str(value)]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return [show_number(value, lang, money=kind == "money")]
    if kind == "single":
        return [_label(question, value, lang, answers)]
    if kind == "multiple" and isinstance(value, list):
        return [_label(question, v, lang, answers) for v in value]
    if kind == "date" and isinstance(value, str):
        try:
            return [show_date(date.fromisoformat(value), lang)]
        except ValueError:
            return [value]
    if kind == "consent":
        return [localise(question.label or question.text, lang)]
    if isinstance(value, Mapping):
        return _item_words(question, value, lang, answers)
    return [str(value)]


def _item_words(
    question: Question, value: Mapping[str, Any], lang: str | None, answers: Mapping[str, Any]
) -> list[str]:
    """Rating, grid and ranking answers: one line per item."""
    if question.type == "ranking":
        ranked = sorted((r, i) for i in question.items if isinstance(r := value.get(i.id), int))
        return [f"{rank}. {localise(item.text, lang)}" for rank, item in ranked]
    lines = []
    for item in question.items:
        chosen = value.get(item.id)
        codes = chosen if isinstance(chosen, list) else [chosen] if chosen is not None else []
        if codes:
            words = ", ".join(_label(question, c, lang, answers) for c in codes)
            lines.append(f"{localise(item.text, lang)}: {words}")
    return lines


def pipe(q: Questionnaire, text: str, answers: Mapping[str, Any], lang: str | None) -> str:
    """`text` with each {{question_id}} replaced by that answer in words (or the fallback after '|')."""
    if "{{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        qid = match["q"]
        words = answer_words(q.question(qid), answers.get(qid), lang, answers) if q.has_question(qid) else []
        return ", ".join(words) if words else (match["fallback"] or "").strip()

    return PIPE.sub(replace, text)
