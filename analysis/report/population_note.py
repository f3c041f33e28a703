"""Who is left out of the survey's population although the first question of its filter counts them in.

The population filter of a questionnaire is usually "all" of several conditions: a type of respondent
(Q1: "A resident") and then something else (Q2: not "I do not live in Milton Keynes"). Q1's table counts
everyone who chose "A resident"; the residents' tables count only those who meet every condition. This note
says who the difference is and why, so the two numbers do not puzzle a reader.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from analysis.estimates import question_options
from analysis.report.appendix import numbering
from analysis.report.words import words
from survey.engine import Questionnaire
from survey.engine.conditions import evaluate
from survey.engine.model import All, Compare, ConditionValue
from survey.engine.text import localise


def population_note(questionnaire: Questionnaire, complete: Sequence[Mapping[str, Any]]) -> str:
    """'Q1 counts 525 residents; 7 of them are left out of the population: 7 answered Q2 “I do not live
    in Milton Keynes”.' Empty when the filter is not "all" of conditions or nobody is left out this way."""
    rule = questionnaire.population_filter
    if not isinstance(rule, All) or len(rule.conditions) < 2:
        return ""
    first, *rest = rule.conditions
    lang = questionnaire.language
    numbers = numbering(questionnaire)
    answers = [r.get("answers") or {} for r in complete]
    counted = [a for a in answers if evaluate(first, a)]
    reasons: Counter[tuple[str, str]] = Counter()
    for a in counted:
        failed = next((c for c in rest if not evaluate(c, a)), None)
        if failed is not None:
            qid = failed.q if isinstance(failed, Compare) else ""
            reasons[(qid, str(a.get(qid, "")))] += 1
    if not reasons:
        return ""

    _ = words(lang).gettext

    def label(qid: str, code: str) -> str:
        shown = question_options(questionnaire.question(qid)) if questionnaire.has_question(qid) else ()
        options = {o.code: localise(o.label, lang) for o in shown}
        return options.get(code) or (code if code else _("no answer"))

    qid0, code0 = (first.q, _code(first.value)) if isinstance(first, Compare) else ("", "")
    chose = label(qid0, code0)
    why = "; ".join(
        _(
            "%(n)s answered %(number)s “%(answer)s”",
            n=n,
            number=numbers.get(qid, qid),
            answer=label(qid, code),
        )
        for (qid, code), n in reasons.most_common()
    )
    values = {
        "number": numbers.get(qid0, qid0),
        "counted": len(counted),
        "chose": chose,
        "left": sum(reasons.values()),
        "why": why,
    }
    who = localise(questionnaire.population_name, lang)
    if not who:
        return _(
            "%(number)s counts %(counted)s respondents who chose “%(chose)s”; %(left)s of them are left "
            "out of the survey's population (the population in the tables and the weighting) because they do "
            "not meet its other conditions: %(why)s.",
            **values,
        )
    return _(
        "%(number)s counts %(counted)s respondents who chose “%(chose)s”; %(left)s of them are left out of "
        "the survey's population (the %(who)s in the tables and the weighting) because they do not meet its "
        "other conditions: %(why)s.",
        who=who,
        **values,
    )


def _code(value: ConditionValue) -> str:
    """The first condition's value as the note has always shown it: a code, "" for none, a list as a list."""
    if value is None:
        return ""
    return str(list(value)) if isinstance(value, tuple) else str(value)
