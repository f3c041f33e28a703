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

from analysis.estimates import question_options, text_of
from analysis.report.appendix import numbering, question_index
from analysis.report.words import words
from survey.engine.conditions import evaluate, parse_condition


def population_note(questionnaire: Mapping[str, Any], complete: Sequence[Mapping[str, Any]]) -> str:
    """'Q1 counts 525 residents; 7 of them are left out of the population: 7 answered Q2 “I do not live
    in Milton Keynes”.' Empty when the filter is not "all" of conditions or nobody is left out this way."""
    rule = questionnaire.get("population_filter")
    conditions = rule.get("all") if isinstance(rule, Mapping) else None
    if not isinstance(conditions, list) or len(conditions) < 2 or not isinstance(conditions[0], Mapping):
        return ""
    first, rest = conditions[0], conditions[1:]
    lang = str(questionnaire.get("language", "en"))
    index, numbers = question_index(questionnaire), numbering(questionnaire)
    answers = [r.get("answers") or {} for r in complete]
    first_rule = parse_condition(first)  # each condition parsed once, not once per response
    rest_rules = [parse_condition(c) if isinstance(c, Mapping) else c for c in rest]
    counted = [a for a in answers if evaluate(first_rule, a)]
    reasons: Counter[tuple[str, str]] = Counter()
    for a in counted:
        failed = next((c for c, rule in zip(rest, rest_rules, strict=True) if not evaluate(rule, a)), None)
        if failed is not None:
            qid = str(failed.get("q", "")) if isinstance(failed, Mapping) else ""
            reasons[(qid, str(a.get(qid, "")))] += 1
    if not reasons:
        return ""

    _ = words(lang).gettext

    def label(qid: str, code: str) -> str:
        options = {
            str(o.get("code")): text_of(o.get("label"), lang) for o in question_options(index.get(qid, {}))
        }
        return options.get(code) or (code if code else _("no answer"))

    qid0 = str(first.get("q", ""))
    chose = label(qid0, str(first.get("value", "")))
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
    who = text_of(questionnaire.get("population_name"), lang)
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
