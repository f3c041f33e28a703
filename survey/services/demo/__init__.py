"""Synthetic demo responses: drawn to land close to target shares, walked through the engine's navigation.

`generate()` is pure (no database): benchmarks and tests use it directly; `survey.services.demo.store.store()`
writes the same responses through the repository functions real journeys use.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from survey.engine import Question, Questionnaire, answer_in_order
from survey.services.demo.structure import add_structure
from survey.services.demo.targets import CHANNELS, TARGETS
from survey.services.demo.text import TextMaker

DECK = 200
DROP_OFF = 0.12  # share of journeys that stop before the end


@dataclass(frozen=True)
class DemoResponse:
    """One synthetic journey: its answers as stored, the pages visited and how it ended."""

    answers: dict[str, Any]
    visited: tuple[str, ...]
    complete: bool
    channel: str | None
    mode: str
    language: str
    started_on: date
    completed_on: date | None
    duration_seconds: int | None
    last_question: str | None

    def as_row(self, response_id: int, questionnaire_version: str) -> dict[str, Any]:
        """The response as analysis and reports read stored ones (the dicts of `responses_for_report`)."""
        return {
            "id": response_id,
            "questionnaire_version": questionnaire_version,
            "channel": self.channel,
            "mode": self.mode,
            "status": "complete" if self.complete else "in_progress",
            "started_on": self.started_on,
            "completed_on": self.completed_on,
            "duration_seconds": self.duration_seconds,
            "last_question": self.last_question,
            "answers": self.answers,
        }


class Decks:
    """Shuffled decks of answers per question: draws land within a deck's rounding of the target shares."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.decks: dict[str, list[Any]] = {}

    def draw(self, key: str, shares: Mapping[Any, float]) -> Any:
        """The next value of the deck for `key` (a fresh shuffled deck when it runs out)."""
        deck = self.decks.get(key)
        if not deck:
            deck = _deck(shares, DECK)
            self.rng.shuffle(deck)
            self.decks[key] = deck
        return deck.pop()


def _deck(shares: Mapping[Any, float], size: int) -> list[Any]:
    """`size` values in proportion to `shares` (largest remainder rounding)."""
    total = sum(shares.values())
    exact = {k: v / total * size for k, v in shares.items()}
    counts = {k: math.floor(v) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: counts[k] - exact[k])[: size - sum(counts.values())]:
        counts[k] += 1
    return [k for k, c in counts.items() for _ in range(c)]


def generate(
    q: Questionnaire, n: int, seed: int, start: date, *, days: int = 42, drop_off: float = DROP_OFF
) -> list[DemoResponse]:
    """`n` complete responses (plus drop-offs on top) spread over `days` days from `start`."""
    rng = random.Random(seed)
    targets = TARGETS.get(q.id, {})
    decks = Decks(rng)
    text = TextMaker(rng)
    incomplete = round(n * drop_off / (1 - drop_off))
    kinds = [True] * n + [False] * incomplete
    rng.shuffle(kinds)
    day_weights = [math.exp(-d / 12) + 0.25 for d in range(days)]
    out = []
    for complete in kinds:
        # drop-offs draw independently so that the complete responses keep the decks' shares
        source = decks if complete else Decks(rng)
        answers, visited = _walk(q, targets, source, text, rng)
        if not complete:
            stop = rng.randrange(1, max(2, len(visited)))
            visited = visited[:stop]
            answers = {k: v for k, v in answers.items() if k in visited[:-1]}
        out.append(_journey(answers, visited, complete, start, day_weights, rng))
    return add_structure(q, out, rng)  # answers depend on demographics; shares unchanged


def _walk(
    q: Questionnaire, targets: Mapping[str, Any], decks: Decks, text: TextMaker, rng: random.Random
) -> tuple[dict[str, Any], list[str]]:
    """Answer page after page as the engine shows them, so only visible questions get answers."""
    answers: dict[str, Any] = {}
    visited: list[str] = []
    for question in answer_in_order(q, answers):
        visited.append(question.id)
        value = _answer(question, targets.get(question.id), decks, text, rng)
        if value is not None:
            answers[question.id] = value
    return answers, visited


def _answer(question: Question, target: Any, decks: Decks, text: TextMaker, rng: random.Random) -> Any:
    """A value as the repository stores it, drawn towards the target (uniform over answers without one)."""
    if question.type == "info":
        return None
    target = dict(target or {})
    skip = float(target.pop("_skip", 0))
    if not question.required and skip and rng.random() * 100 < skip:
        return None
    match question.type:
        case "single":
            return decks.draw(question.id, target or _uniform(question.options))
        case "rating":
            return {
                item.id: decks.draw(
                    f"{question.id}.{item.id}", target.get(item.id) or _uniform(question.options)
                )
                for item in question.items
            }
        case "multiple":
            return _multiple(question, target, decks)
        case "number":
            return _number(question, target, decks, rng)
        case "text":
            if rng.random() * 100 >= float(target.get("_answer", 30)):
                return None
            return text.answer(str(target.get("kind", "concerns")))[: question.max_length]
    return None


def _uniform(options: Sequence[Any]) -> dict[str, float]:
    return {o.code: (1.0 if o.kind == "answer" else 0.2) for o in options}


def _multiple(question: Question, target: Mapping[str, Any], decks: Decks) -> list[str]:
    """Exclusive answers by their share; otherwise each option by its share among the non-exclusive."""
    exclusive = dict(target.get("exclusive") or {})
    include = dict(target.get("include") or {o.code: 30 for o in question.options if not o.exclusive})
    rest = 100 - sum(exclusive.values())
    picked = decks.draw(f"{question.id}:exclusive", {**exclusive, "": rest} if exclusive else {"": 1})
    if picked:
        return [picked]
    chosen = []
    for code, share in include.items():
        p = min(share / rest * 100, 100.0)
        if decks.draw(f"{question.id}.{code}", {True: p, False: 100.0 - p}):
            chosen.append(code)
    if not chosen:  # the least common option, so that the headline options keep their shares
        chosen = [min(include, key=lambda c: include[c])]
    return [o.code for o in question.options if o.code in chosen]


def _number(question: Question, target: Mapping[str, Any], decks: Decks, rng: random.Random) -> int | None:
    bands = target.get("bands") or [(question.min or 0, question.max or 100, 1)]
    skip = float(target.get("skip", 0))
    shares = {(lo, hi): share for lo, hi, share in bands}
    band = decks.draw(question.id, {**shares, None: skip} if skip else shares)
    if band is None:
        return None
    low = max(band[0], question.min if question.min is not None else band[0])
    high = min(band[1], question.max if question.max is not None else band[1])
    return rng.randint(low, high)


def _journey(
    answers: dict[str, Any],
    visited: list[str],
    complete: bool,
    start: date,
    day_weights: list[float],
    rng: random.Random,
) -> DemoResponse:
    """Channel, mode, language and dates for one journey."""
    channel = _channel(answers, rng)
    mode = (
        "assisted"
        if channel == "p3-outreach" and rng.random() < 0.4
        else rng.choices(("online", "paper", "phone"), (95, 4, 1))[0]
    )
    started = start + timedelta(days=rng.choices(range(len(day_weights)), day_weights)[0])
    finished = started + timedelta(days=1 if rng.random() < 0.04 else 0)
    answered = [p for p in visited if p in answers]
    return DemoResponse(
        answers=answers,
        visited=tuple(visited),
        complete=complete,
        channel=channel,
        mode=mode,
        language="pl" if rng.random() < 0.02 else "en",
        started_on=started,
        completed_on=finished if complete else None,
        duration_seconds=int(rng.lognormvariate(math.log(420), 0.4)) if complete else None,
        last_question=answered[-1] if answered else None,
    )


def _channel(answers: Mapping[str, Any], rng: random.Random) -> str | None:
    """Partners reach particular groups: renters through housing trusts, young people through outreach."""
    tenure = answers.get("tenure")
    age = answers.get("age")
    groups = {"anyone"}
    if tenure in ("rent_council", "rent_housing_association"):
        groups.add("social_renter")
    if tenure in ("rent_private", "rent_free", "rent_other") or (isinstance(age, int) and age < 31):
        groups.add("young_or_private_renter")
    if answers.get("respondent_type") == "business":
        groups.add("business")
    if isinstance(age, int) and age >= 65:
        groups.add("older")
    for channel, group, chance in CHANNELS:
        if group in groups and rng.random() < chance:
            return channel
    return None
