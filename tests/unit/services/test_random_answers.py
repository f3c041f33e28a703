"""Random valid answers (the preview's "fill the rest") complete every bundled questionnaire."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from survey.engine import check_stored, is_complete, load_file, visible_questions
from survey.services.random_answers import fill_random

ROOT = Path(__file__).parents[3]
FILES = sorted(p for p in (ROOT / "questionnaires").rglob("*.json") if not p.name.endswith(".schema.json"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_random_answers_are_valid_and_complete(path: Path) -> None:
    q = load_file(path)
    for seed in range(20):
        answers = fill_random(q, {}, random.Random(seed))
        assert is_complete(q, answers)
        for question in visible_questions(q, answers):
            if question.id in answers:
                assert not check_stored(question, answers[question.id]), (question.id, answers[question.id])
