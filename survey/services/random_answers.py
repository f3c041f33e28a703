"""Random valid answers for a questionnaire's journey (the preview's "fill with random answers")."""

from __future__ import annotations

import random
from typing import Any

from survey.engine import Question, Questionnaire, screened_out, shown_options, visible_questions
from survey.engine.model import OTHER_SUFFIX
from survey.engine.navigation import prune_answers


def random_answer(question: Question, rng: random.Random) -> Any:
    """One valid stored answer to a question (None for an information page)."""
    codes = list(question.codes)
    match question.type:
        case "single":
            return rng.choice(codes) if codes else None
        case "multiple":
            exclusive = {o.code for o in question.exclusive_options}
            plain = [c for c in codes if c not in exclusive]
            if exclusive and (not plain or rng.random() < 0.2):
                return [rng.choice(sorted(exclusive))]
            chosen = set(rng.sample(plain, rng.randint(1, min(3, len(plain))))) if plain else set()
            return [c for c in codes if c in chosen] or None
        case "rating":
            return {item.id: rng.choice(codes) for item in question.items} if codes else None
        case "number":
            low = int(question.min) if question.min is not None else 0
            high = int(question.max) if question.max is not None else max(low, 0) + 100
            return rng.randint(low, high)
        case "text":
            examples = {"email": "preview@example.com", "phone": "01632 960 001"}
            if question.format in examples:
                return examples[question.format]
            if question.format == "pattern":
                return None  # no general way to make text match a pattern: left blank (optional) or asked
            return "Preview answer"[: question.max_length]
    return _newer_type_answer(question, rng)


def _newer_type_answer(question: Question, rng: random.Random) -> Any:
    """Random stored answers of the newer types (decimal, money, date, postcode, consent, grid, ranking)."""
    match question.type:
        case "decimal" | "money":
            low = float(question.min) if question.min is not None else 0.0
            high = float(question.max) if question.max is not None else low + 100
            places = 2 if question.type == "money" else question.places
            value = round(rng.uniform(low, high), places)
            return int(value) if value == int(value) else value
        case "date":
            return f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        case "postcode":
            return rng.choice(["MK9", "MK10", "CF10"])  # only the outward code is ever stored
        case "consent":
            return "yes"
        case "grid" if question.items and question.options:
            plain = [o.code for o in question.options if not o.exclusive] or list(question.codes)
            return {question.items[0].id: [rng.choice(plain)]}
        case "ranking" if question.items:
            count = min(question.rank_count or len(question.items), len(question.items))
            chosen = rng.sample([i.id for i in question.items], count)
            return {item: rank for rank, item in enumerate(chosen, start=1)}
    return None


def _shown_choice(
    q: Questionnaire, question: Question, filled: dict[str, Any], value: Any, rng: random.Random
) -> Any:
    """`value`, or another shown option when it names a hidden one or leads to a screen-out ending."""
    shown = [o.code for o in shown_options(question, filled)]
    candidates = [value] + [c if question.type == "single" else [c] for c in rng.sample(shown, len(shown))]
    for candidate in candidates:
        picked = candidate if isinstance(candidate, list) else [candidate]
        if any(c not in shown for c in picked):
            continue
        if screened_out(q, {**filled, question.id: candidate}) is None:
            return candidate
    return value


def fill_random(q: Questionnaire, answers: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The answers with every visible, unanswered question answered at random, in page order.

    Options shown on a condition are chosen only when shown; an answer that would end the journey on a
    screen-out page is avoided while another option remains; "other" options get some words.
    """
    filled = dict(answers)
    while True:
        todo = [x for x in visible_questions(q, filled) if x.asks and x.id not in filled]
        if not todo:
            return prune_answers(q, filled)
        question = todo[0]
        value = random_answer(question, rng)
        if question.type in ("single", "multiple"):
            value = _shown_choice(q, question, filled, value, rng)
            chosen = value if isinstance(value, list) else [value]
            if set(chosen) & set(question.other_codes):
                filled[question.id + OTHER_SUFFIX] = "Preview answer"
        filled[question.id] = value
        if value is None:
            filled.pop(todo[0].id)
            # Nothing valid to give (no options): leave it and stop, rather than loop.
            return prune_answers(q, filled)
