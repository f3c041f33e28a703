"""Coding that learns fast: answers worth coding next, per-theme progress and the target agreement."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.text import train
from analysis.text.active import coding_progress, next_to_code, uncertainty

from .test_text_learning import LABELS, TEXTS


def test_uncertainty_peaks_at_the_threshold() -> None:
    assert list(uncertainty(np.array([[0.5, 0.0], [1.0, 0.0], [0.25, 0.9]]))) == [1.0, 0.0, 0.5]


def test_the_most_uncertain_answers_come_first_and_duplicates_are_spread() -> None:
    model = train(TEXTS, LABELS)
    answers = [
        ("clear", "bins overflowing and bins never emptied"),
        ("vague1", "the service"),
        ("vague2", "the service"),
        ("other", "late collection"),
    ]
    unsure = dict(
        zip([a for a, _ in answers], uncertainty(model.predict_proba([t for _, t in answers])), strict=True)
    )
    ranked = next_to_code(model, answers, n=4, penalty=1.0)
    assert ranked[0].response_id == max(unsure, key=lambda k: unsure[k])
    assert all(0 <= r.uncertainty <= 1 for r in ranked)
    # With full penalty an exact duplicate of a picked answer scores nothing: everything else comes first.
    ids = [r.response_id for r in ranked]
    assert {ids[-1]} <= {"vague1", "vague2"} and {"vague1", "vague2"} <= set(ids)
    plain = [r.response_id for r in next_to_code(model, answers, n=4, penalty=0.0)]
    assert plain == sorted(unsure, key=lambda k: (-unsure[k], [a for a, _ in answers].index(k)))
    with pytest.raises(ValueError, match="n must be at least 1"):
        next_to_code(model, answers, n=0)
    assert next_to_code(model, [], n=5) == []


def test_progress_per_theme_and_the_target() -> None:
    texts = TEXTS * 2
    labels = LABELS * 2
    progress = {p.theme_id: p for p in coding_progress(texts, labels, target=0.8, min_examples=10)}
    assert set(progress) == {"bins", "buses"}
    assert progress["bins"].coded == 14 and progress["bins"].f1 >= 0.8 and progress["bins"].reached
    strict = {p.theme_id: p for p in coding_progress(texts, labels, target=0.8, min_examples=20)}
    assert not strict["bins"].reached  # too few coded answers to trust the agreement yet
    with pytest.raises(ValueError, match="between 0 and 1"):
        coding_progress(texts, labels, target=1.5)
