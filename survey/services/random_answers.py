"""Random valid answers for a questionnaire's journey (the preview's "fill with random answers")."""

from __future__ import annotations

import random
from typing import Any

from survey.engine import Question, Questionnaire, visible_questions
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
            low = question.min if question.min is not None else 0
            high = question.max if question.max is not None else max(low, 0) + 100
            return rng.randint(low, high)
        case "text":
            return "Preview answer"[: question.max_length]
    return None


def fill_random(q: Questionnaire, answers: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The answers with every visible, unanswered question answered at random, in page order."""
    filled = dict(answers)
    while True:
        todo = [x for x in visible_questions(q, filled) if x.asks and x.id not in filled]
        if not todo:
            return prune_answers(q, filled)
        value = random_answer(todo[0], rng)
        filled[todo[0].id] = value
        if value is None:
            filled.pop(todo[0].id)
            # Nothing valid to give (no options): leave it and stop, rather than loop.
            return prune_answers(q, filled)
