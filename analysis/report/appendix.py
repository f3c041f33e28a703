"""The questionnaire as asked: numbering, answers and show_if conditions in plain English."""

from __future__ import annotations

from collections.abc import Mapping

from analysis.report.model import AppendixQuestion, AppendixSection
from analysis.report.words import words
from survey.engine import Question, Questionnaire
from survey.engine.catalogue import N_
from survey.engine.model import All, AnyOf, Compare, Condition, ConditionValue, Not
from survey.engine.text import localise

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


def numbering(questionnaire: Questionnaire) -> dict[str, str]:
    """Q1, Q2, ... for the questions that ask something (information pages are not numbered)."""
    out: dict[str, str] = {}
    for q in questionnaire.questions:
        if q.asks:
            out[q.id] = f"Q{len(out) + 1}"
    return out


def describe(
    condition: Condition | None, questionnaire: Questionnaire, numbers: Mapping[str, str] | None = None
) -> str:
    """A show_if condition in plain English ("" for none); `numbers`: the questionnaire's numbering, when
    the caller has it already (describing many conditions)."""
    if condition is None:
        return ""
    if numbers is None:
        numbers = numbering(questionnaire)
    return _describe(condition, questionnaire, numbers, questionnaire.language)


def _describe(
    condition: Condition,
    questionnaire: Questionnaire,
    numbers: Mapping[str, str],
    lang: str,
    top: bool = True,
) -> str:
    _ = words(lang).gettext
    match condition:
        case All(conditions=subs):
            parts = [_describe(c, questionnaire, numbers, lang, False) for c in subs]
            return _joined(parts, N_("%(first)s and %(second)s"), lang, top)
        case AnyOf(conditions=subs):
            parts = [_describe(c, questionnaire, numbers, lang, False) for c in subs]
            return _joined(parts, N_("%(first)s or %(second)s"), lang, top)
        case Not(condition=sub):
            return _("not %(condition)s", condition=_describe(sub, questionnaire, numbers, lang, False))
        case Compare():
            return _comparison(condition, questionnaire, numbers, lang)
    return ""


def _comparison(leaf: Compare, questionnaire: Questionnaire, numbers: Mapping[str, str], lang: str) -> str:
    _ = words(lang).gettext
    question = questionnaire.question(leaf.q) if questionnaire.has_question(leaf.q) else None
    number = numbers.get(leaf.q, leaf.q)
    if leaf.op == "answered":
        return _("%(number)s was answered", number=number)
    subject = _(
        "the answer to %(number)s ('%(text)s')",
        number=number,
        text=localise(question.text if question else None, lang),
    )
    if leaf.item:
        item = question.item(leaf.item) if question else None
        subject = _(
            "%(subject)s for '%(item)s'",
            subject=subject,
            item=localise(item.text, lang) if item else leaf.item,
        )
    value = _values(leaf.value, question, lang)
    return _(OPS[leaf.op], subject=subject, value=value) if leaf.op in OPS else f"{subject} {leaf.op} {value}"


def _joined(parts: list[str], glue: str, lang: str, top: bool) -> str:
    """The parts of an `all` ("and") or an `any` ("or"), in brackets when inside another condition."""
    joined = parts[0] if parts else ""
    for part in parts[1:]:
        joined = words(lang).gettext(glue, first=joined, second=part)
    return joined if top or len(parts) == 1 else f"({joined})"


def _values(value: ConditionValue, question: Question | None, lang: str) -> str:
    options = {o.code: localise(o.label, lang) for o in question.options} if question else {}
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


def appendix(questionnaire: Questionnaire) -> tuple[AppendixSection, ...]:
    """Every section and question with its answers and routing."""
    lang = questionnaire.language
    _ = words(lang).gettext
    numbers = numbering(questionnaire)
    out = []
    for section in questionnaire.sections:
        questions = []
        for q in section.questions:
            answers = tuple(localise(o.label, lang) for o in q.options)
            if q.type in _DESCRIBED:
                unbounded = _("any")
                answers = (
                    _(
                        _DESCRIBED[q.type],
                        min=unbounded if q.min is None else q.min,
                        max=unbounded if q.max is None else q.max,
                        n=q.rank_count or len(q.items),
                        length=q.max_length,
                    ),
                )
            elif q.type == "info":
                answers = (localise(q.body, lang),) if q.body else ()
            questions.append(
                AppendixQuestion(
                    number=numbers.get(q.id, _("Information page")),
                    id=q.id,
                    text=localise(q.text, lang),
                    type=q.type,
                    required=q.required_as_written and q.asks,
                    answers=answers,
                    items=tuple(localise(i.text, lang) for i in q.items),
                    shown_when=describe(q.show_if, questionnaire, numbers),
                )
            )
        out.append(
            AppendixSection(
                title=localise(section.title, lang),
                shown_when=describe(section.show_if, questionnaire, numbers),
                sensitive=section.sensitive,
                questions=tuple(questions),
            )
        )
    return tuple(out)
