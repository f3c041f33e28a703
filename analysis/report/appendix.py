"""The questionnaire as asked: numbering, answers and show_if conditions in plain English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.estimates import text_of
from analysis.report.model import AppendixQuestion, AppendixSection

OPS = {
    "equals": "is",
    "not_equals": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "contains": "includes",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
}


def question_index(questionnaire: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Every question by id."""
    return {str(q.get("id")): q for s in questionnaire.get("sections", []) for q in s.get("questions", [])}


def numbering(questionnaire: Mapping[str, Any]) -> dict[str, str]:
    """Q1, Q2, ... for the questions that ask something (information pages are not numbered)."""
    out: dict[str, str] = {}
    for section in questionnaire.get("sections", []):
        for q in section.get("questions", []):
            if q.get("type") != "info":
                out[str(q.get("id"))] = f"Q{len(out) + 1}"
    return out


def describe(condition: Mapping[str, Any] | None, questionnaire: Mapping[str, Any]) -> str:
    """A show_if condition in plain English ("" for none)."""
    if not condition:
        return ""
    lang = str(questionnaire.get("language", "en"))
    index = question_index(questionnaire)
    numbers = numbering(questionnaire)
    return _describe(condition, index, numbers, lang)


def _describe(
    condition: Mapping[str, Any],
    index: Mapping[str, Mapping[str, Any]],
    numbers: Mapping[str, str],
    lang: str,
    top: bool = True,
) -> str:
    for key, glue in (("all", " and "), ("any", " or ")):
        if key in condition:
            parts = [_describe(c, index, numbers, lang, False) for c in condition[key]]
            joined = glue.join(parts)
            return joined if top or len(parts) == 1 else f"({joined})"
    if "not" in condition:
        return "not " + _describe(condition["not"], index, numbers, lang, False)
    qid = str(condition.get("q"))
    question = index.get(qid, {})
    subject = f"the answer to {numbers.get(qid, qid)} ('{text_of(question.get('text'), lang)}')"
    item = condition.get("item")
    if item:
        item_text = next(
            (text_of(i.get("text"), lang) for i in question.get("items", []) if i.get("id") == item), item
        )
        subject += f" for '{item_text}'"
    op = str(condition.get("op"))
    if op == "answered":
        return f"{numbers.get(qid, qid)} was answered"
    return f"{subject} {OPS.get(op, op)} {_values(condition.get('value'), question, lang)}"


def _values(value: Any, question: Mapping[str, Any], lang: str) -> str:
    options = {str(o.get("code")): text_of(o.get("label"), lang) for o in question.get("options", [])}
    options.update({str(o.get("code")): text_of(o.get("label"), lang) for o in question.get("scale", [])})
    values = value if isinstance(value, list) else [value]
    shown = [str(v) if isinstance(v, int | float) else f"'{options.get(str(v), str(v))}'" for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


_DESCRIBED = {
    "decimal": "A number from {min} to {max}",
    "money": "An amount in pounds from {min} to {max}",
    "date": "A date",
    "postcode": "A UK postcode (only the outward code, e.g. MK9, is kept)",
    "consent": "A required tick",
    "ranking": "The top {n} items ranked 1 to {n}",
}


def appendix(questionnaire: Mapping[str, Any]) -> tuple[AppendixSection, ...]:
    """Every section and question with its answers and routing."""
    lang = str(questionnaire.get("language", "en"))
    numbers = numbering(questionnaire)
    out = []
    for section in questionnaire.get("sections", []):
        questions = []
        for q in section.get("questions", []):
            qid = str(q.get("id"))
            options = q.get("scale") if q.get("type") == "rating" else q.get("options")
            answers = tuple(text_of(o.get("label"), lang) for o in options or [])
            if q.get("type") == "number":
                answers = (f"A whole number from {q.get('min', 'any')} to {q.get('max', 'any')}",)
            elif q.get("type") == "text":
                answers = (f"Free text, up to {q.get('max_length', 2000)} characters",)
            elif q.get("type") in _DESCRIBED:
                described = _DESCRIBED[str(q.get("type"))]
                ranks = q.get("rank_count") or len(q.get("items", []))
                answers = (described.format(min=q.get("min", "any"), max=q.get("max", "any"), n=ranks),)
            elif q.get("type") == "info":
                answers = (text_of(q.get("body"), lang),) if q.get("body") else ()
            questions.append(
                AppendixQuestion(
                    number=numbers.get(qid, "Information page"),
                    id=qid,
                    text=text_of(q.get("text"), lang),
                    type=str(q.get("type")),
                    required=bool(q.get("required", True)) and q.get("type") != "info",
                    answers=answers,
                    items=tuple(text_of(i.get("text"), lang) for i in q.get("items", [])),
                    shown_when=describe(q.get("show_if"), questionnaire),
                )
            )
        out.append(
            AppendixSection(
                title=text_of(section.get("title"), lang),
                shown_when=describe(section.get("show_if"), questionnaire),
                sensitive=bool(section.get("sensitive")),
                questions=tuple(questions),
            )
        )
    return tuple(out)
