"""The questionnaire as asked: numbering, answers and show_if conditions in plain English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analysis.estimates import text_of
from analysis.report.model import AppendixQuestion, AppendixSection
from analysis.report.words import words
from survey.engine.catalogue import N_
from survey.engine.conditions import parse_condition
from survey.engine.model import All, AnyOf, Compare, Condition, ConditionValue, Not

OPS = {  # English msgids: a condition reads "%(subject)s is %(value)s" in the report's language
    "equals": N_("%(subject)s is %(value)s"),
    "not_equals": N_("%(subject)s is not %(value)s"),
    "in": N_("%(subject)s is one of %(value)s"),
    "not_in": N_("%(subject)s is none of %(value)s"),
    "contains": N_("%(subject)s includes %(value)s"),
    "gt": N_("%(subject)s is more than %(value)s"),
    "gte": N_("%(subject)s is at least %(value)s"),
    "lt": N_("%(subject)s is less than %(value)s"),
    "lte": N_("%(subject)s is at most %(value)s"),
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
    return _describe(parse_condition(condition), index, numbers, lang)


def _describe(
    condition: Condition,
    index: Mapping[str, Mapping[str, Any]],
    numbers: Mapping[str, str],
    lang: str,
    top: bool = True,
) -> str:
    _ = words(lang).gettext
    match condition:
        case All(conditions=subs):
            parts = [_describe(c, index, numbers, lang, False) for c in subs]
            return _joined(parts, N_("%(first)s and %(second)s"), lang, top)
        case AnyOf(conditions=subs):
            parts = [_describe(c, index, numbers, lang, False) for c in subs]
            return _joined(parts, N_("%(first)s or %(second)s"), lang, top)
        case Not(condition=sub):
            return _("not %(condition)s", condition=_describe(sub, index, numbers, lang, False))
        case Compare():
            return _comparison(condition, index, numbers, lang)
    return ""


def _comparison(
    leaf: Compare, index: Mapping[str, Mapping[str, Any]], numbers: Mapping[str, str], lang: str
) -> str:
    _ = words(lang).gettext
    question = index.get(leaf.q, {})
    number = numbers.get(leaf.q, leaf.q)
    if leaf.op == "answered":
        return _("%(number)s was answered", number=number)
    subject = _(
        "the answer to %(number)s ('%(text)s')", number=number, text=text_of(question.get("text"), lang)
    )
    if leaf.item:
        item_text = next(
            (text_of(i.get("text"), lang) for i in question.get("items", []) if i.get("id") == leaf.item),
            leaf.item,
        )
        subject = _("%(subject)s for '%(item)s'", subject=subject, item=item_text)
    value = _values(leaf.value, question, lang)
    return _(OPS[leaf.op], subject=subject, value=value) if leaf.op in OPS else f"{subject} {leaf.op} {value}"


def _joined(parts: list[str], glue: str, lang: str, top: bool) -> str:
    """The parts of an `all` ("and") or an `any` ("or"), in brackets when inside another condition."""
    joined = parts[0] if parts else ""
    for part in parts[1:]:
        joined = words(lang).gettext(glue, first=joined, second=part)
    return joined if top or len(parts) == 1 else f"({joined})"


def _values(value: ConditionValue, question: Mapping[str, Any], lang: str) -> str:
    options = {str(o.get("code")): text_of(o.get("label"), lang) for o in question.get("options", [])}
    options.update({str(o.get("code")): text_of(o.get("label"), lang) for o in question.get("scale", [])})
    values = list(value) if isinstance(value, tuple) else [value]
    shown = [str(v) if isinstance(v, int | float) else f"'{options.get(str(v), str(v))}'" for v in values]
    if not shown:  # `in []` (allowed by the schema; never true): a dash rather than an error
        return "–"
    if len(shown) == 1:
        return shown[0]
    return words(lang).gettext("%(first)s or %(second)s", first=", ".join(shown[:-1]), second=shown[-1])


_DESCRIBED = {  # English msgids, shown in the report's language
    "number": N_("A whole number from %(min)s to %(max)s"),
    "text": N_("Free text, up to %(length)s characters"),
    "decimal": N_("A number from %(min)s to %(max)s"),
    "money": N_("An amount in pounds from %(min)s to %(max)s"),
    "date": N_("A date"),
    "postcode": N_("A UK postcode (only the outward code, e.g. MK9, is kept)"),
    "consent": N_("A required tick"),
    "ranking": N_("The top %(n)s items ranked 1 to %(n)s"),
}


def appendix(questionnaire: Mapping[str, Any]) -> tuple[AppendixSection, ...]:
    """Every section and question with its answers and routing."""
    lang = str(questionnaire.get("language", "en"))
    _ = words(lang).gettext
    numbers = numbering(questionnaire)
    out = []
    for section in questionnaire.get("sections", []):
        questions = []
        for q in section.get("questions", []):
            qid = str(q.get("id"))
            options = q.get("scale") if q.get("type") == "rating" else q.get("options")
            answers = tuple(text_of(o.get("label"), lang) for o in options or [])
            if q.get("type") in _DESCRIBED:
                ranks = q.get("rank_count") or len(q.get("items", []))
                unbounded = _("any")
                answers = (
                    _(
                        _DESCRIBED[str(q.get("type"))],
                        min=q.get("min", unbounded),
                        max=q.get("max", unbounded),
                        n=ranks,
                        length=q.get("max_length", 2000),
                    ),
                )
            elif q.get("type") == "info":
                answers = (text_of(q.get("body"), lang),) if q.get("body") else ()
            questions.append(
                AppendixQuestion(
                    number=numbers.get(qid, _("Information page")),
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
