"""Make demo answers depend on demographics while keeping every question's overall shares.

The decks give each question its target shares but draw independently of who answers, so weighting
moves nothing and breakdowns show no differences. This pass re-deals answers among the complete
responses: for each rule below, every respondent who answered gets a score (a plausible demographic
tilt plus standard normal noise), and the answers (ranked, "worst" first) go to respondents in order of
score. Only who holds which answer changes, so each question's counts are exactly those the decks
drew. A routing question moves together with the questions it opens (domestic abuse ever with its
follow-ups, victim with its follow-ups), so every response stays a valid walk of the questionnaire.
docs/reports.md ("Demo data") lists the tilts.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from survey.engine import Questionnaire, visible_questions

if TYPE_CHECKING:
    from survey.services.demo import DemoResponse

Answers = Mapping[str, Any]


def _age(a: Answers) -> float:
    age = a.get("age")
    return float(age) if isinstance(age, int) else 50.0


def _female(a: Answers) -> float:
    return 1.0 if a.get("sex") == "female" else 0.0


def _renter(a: Answers) -> float:
    return 1.0 if str(a.get("tenure", "")).startswith("rent") else 0.0


def _social(a: Answers) -> float:
    return 1.0 if a.get("tenure") in ("rent_council", "rent_housing_association") else 0.0


def _private(a: Answers) -> float:
    return 1.0 if a.get("tenure") in ("rent_private", "rent_other", "rent_free") else 0.0


def _disabled(a: Answers) -> float:
    return 1.0 if a.get("disability") in ("limited_a_lot", "limited_a_little") else 0.0


@dataclass(frozen=True)
class Rule:
    """Re-deal `moves` (question ids moved together) by `score`; `rank` orders the lead question's answer."""

    lead: str
    item: str | None
    moves: tuple[str, ...]
    score: Callable[[Answers], float]
    rank: Callable[[Any], float]


def _ranked(*codes: str) -> Callable[[Any], float]:
    """Answers listed first rank highest (go to the highest scores); others rank in the middle."""
    order = {c: len(codes) - i for i, c in enumerate(codes)}

    def rank(value: Any) -> float:
        if isinstance(value, list):
            return float(max((order.get(str(v), 0) for v in value), default=0))
        return float(order.get(str(value), len(codes) / 2))

    return rank


_CONCERN = _ranked("very_concerned", "fairly_concerned", "not_very_concerned", "not_at_all_concerned")
_UNSAFE = _ranked("very_unsafe", "fairly_unsafe", "neither", "fairly_safe", "very_safe")


def _concern(item: str) -> Callable[[Answers], float]:
    def score(a: Answers) -> float:
        base = 0.4 * _female(a) + 0.025 * (_age(a) - 50) + 0.4 * _disabled(a)
        if item == "anti_social_behaviour":
            base += 0.9 * _social(a) - 0.01 * (_age(a) - 50)
        if item == "cyber_crime":
            base += 0.015 * (_age(a) - 50)
        return base

    return score


SAFERMK_RULES: tuple[Rule, ...] = (
    *(
        Rule("concern", item, ("concern",), _concern(item), _CONCERN)
        for item in (
            "burglary",
            "cyber_crime",
            "violent_crime",
            "vehicle_crime",
            "anti_social_behaviour",
            "dangerous_driving",
        )
    ),
    Rule(
        "feel_safe",
        "after_dark",
        ("feel_safe",),
        lambda a: 0.9 * _female(a) + 0.02 * max(0.0, _age(a) - 60) * 3 + 0.6 * _disabled(a),
        _UNSAFE,
    ),
    Rule(
        "agencies_dealing",
        None,
        ("agencies_dealing",),
        lambda a: 0.02 * (_age(a) - 50) - 0.6 * _renter(a),
        _ranked("strongly_agree", "tend_to_agree", "neither", "tend_to_disagree", "strongly_disagree"),
    ),
    Rule(
        "victim_any",
        None,
        ("victim_any", "victim_types", "reported"),
        lambda a: 0.9 * (_age(a) < 35) + 0.5 * _renter(a),
        _ranked("yes", "prefer_not_to_say", "dont_know", "no"),
    ),
    Rule(
        "da_ever",
        None,
        ("da_ever", "da_recent", "da_support"),
        lambda a: 1.1 * _female(a) + 0.5 * (_age(a) < 45) + 0.4 * _social(a),
        _ranked("yes", "prefer_not_to_say", "no"),
    ),
    Rule(
        "substances",
        None,
        ("substances",),
        lambda a: 0.025 * (_age(a) - 50),
        _ranked("alcohol"),
    ),
    Rule(
        "fire_plan_home",
        None,
        ("fire_plan_home",),
        lambda a: 1.0 * _renter(a) + 0.7 * (_age(a) < 35),
        _ranked("no", "dont_know", "yes"),
    ),
    Rule(
        "smoke_alarms",
        None,
        ("smoke_alarms",),
        lambda a: 1.3 * _private(a) + 0.4 * (_age(a) < 35) + 0.3 * (_age(a) >= 75),
        _ranked("none", "some_levels", "dont_know", "every_level"),
    ),
)

RULES: dict[str, tuple[Rule, ...]] = {"safermk-2016": SAFERMK_RULES}


def add_structure(q: Questionnaire, demo: Sequence[DemoResponse], rng: random.Random) -> list[DemoResponse]:
    """Re-deal answers of complete responses by the questionnaire's rules (none: unchanged)."""
    rules = RULES.get(q.id, ())
    if not rules:
        return list(demo)
    answers = [dict(d.answers) for d in demo]
    for rule in rules:
        holders = [i for i, d in enumerate(demo) if d.complete and _value(answers[i], rule) is not None]
        if len(holders) < 2:
            continue
        bundles = [(_value(answers[i], rule), {k: answers[i].get(k) for k in rule.moves}) for i in holders]
        bundles.sort(key=lambda b: (rule.rank(b[0]), rng.random()), reverse=True)
        order = sorted(holders, key=lambda i: rule.score(answers[i]) + rng.gauss(0.0, 1.0), reverse=True)
        for i, (value, bundle) in zip(order, bundles, strict=True):
            if rule.item is not None:
                current = dict(answers[i][rule.lead])
                current[rule.item] = value
                answers[i][rule.lead] = current
                continue
            for key in rule.moves:
                if bundle.get(key) is None:
                    answers[i].pop(key, None)
                else:
                    answers[i][key] = bundle[key]
    out = []
    for d, new in zip(demo, answers, strict=True):
        if not d.complete or new == d.answers:
            out.append(d)
            continue
        visited = tuple(p.id for p in visible_questions(q, new))
        answered = [p for p in visited if p in new]
        out.append(replace(d, answers=new, visited=visited, last_question=answered[-1] if answered else None))
    return out


def _value(answers: Mapping[str, Any], rule: Rule) -> Any:
    value = answers.get(rule.lead)
    if rule.item is not None:
        return value.get(rule.item) if isinstance(value, Mapping) else None
    return value
