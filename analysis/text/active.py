"""Coding that learns fast: which answers to code next, and how far each theme's suggestions can be trusted.

`next_to_code` ranks the uncoded answers by how unsure the model is (a confidence near 0.5 on some theme)
and spreads the pick (an answer very like one already picked counts less), so each hand-coded answer
teaches the model most. `coding_progress` cross-validates the model on the coding so far and gives each
theme its estimated precision and recall against staff, and whether it has reached the target agreement
(F1, default 0.8, on at least `min_examples` coded answers), so staff can stop coding that theme.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.text.codebook import Codebook
from analysis.text.learning import THRESHOLD, Agreement, ThemeModel, cross_validate
from analysis.text.tagging import ResponseId

TARGET_AGREEMENT = 0.8
MIN_EXAMPLES = 10  # a theme needs this many coded answers before its agreement is trusted
SIMILARITY_PENALTY = 0.5  # how much likeness to an answer already picked lowers an answer's score


@dataclass(frozen=True)
class ToCode:
    """An uncoded answer worth coding next: how unsure the model is (0-1) and about which theme."""

    response_id: ResponseId
    text: str
    uncertainty: float
    theme_id: str | None


@dataclass(frozen=True)
class ThemeProgress:
    """A theme's estimated precision, recall and F1 against staff so far; whether it reached the target."""

    theme_id: str
    coded: int  # coded answers with this theme
    precision: float
    recall: float
    f1: float
    reached: bool


def uncertainty(confidences: np.ndarray) -> np.ndarray:
    """Per answer: 1 where some theme's confidence sits at the threshold (0.5), 0 where all are 0 or 1."""
    if confidences.size == 0:
        return np.zeros(confidences.shape[0])
    closeness: np.ndarray = 1.0 - np.abs(confidences - THRESHOLD) / THRESHOLD
    result: np.ndarray = np.clip(closeness, 0.0, 1.0).max(axis=1)
    return result


def next_to_code(
    model: ThemeModel,
    answers: Sequence[tuple[ResponseId, str]],
    *,
    n: int = 20,
    penalty: float = SIMILARITY_PENALTY,
) -> list[ToCode]:
    """Up to n uncoded answers to code next: most uncertain first, near-duplicates of picks pushed back."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    if not answers:
        return []
    texts = [t for _, t in answers]
    confidences = model.predict_proba(texts)
    unsure = uncertainty(confidences)
    closest = np.abs(confidences - THRESHOLD).argmin(axis=1) if confidences.shape[1] else None
    vectors = model.vectors(texts)
    # Greedy: the best remaining score, then everything like it loses up to `penalty` of its score.
    candidates = list(np.argsort(-unsure, kind="stable")[: max(n * 5, n)])
    score = {int(i): float(unsure[i]) for i in candidates}
    likeness = np.zeros(len(texts))
    picked: list[int] = []
    while candidates and len(picked) < n:
        best = max(candidates, key=lambda i: (score[int(i)] * (1 - penalty * likeness[i]), -int(i)))
        picked.append(int(best))
        candidates.remove(best)
        similarity = np.asarray((vectors @ vectors[int(best)].T).todense()).ravel()
        likeness = np.maximum(likeness, np.clip(similarity, 0.0, 1.0))
    return [
        ToCode(
            answers[i][0],
            answers[i][1],
            round(float(unsure[i]), 4),
            model.theme_ids[int(closest[i])] if closest is not None else None,
        )
        for i in picked
    ]


def coding_progress(
    texts: Sequence[str],
    labels: Sequence[Sequence[str]],
    *,
    codebook: Codebook | None = None,
    target: float = TARGET_AGREEMENT,
    min_examples: int = MIN_EXAMPLES,
    folds: int = 5,
    uncoded: Sequence[str] = (),
) -> tuple[ThemeProgress, ...]:
    """Per coded theme: cross-validated precision, recall and F1 against staff, and whether F1 >= target."""
    if not 0 < target <= 1:
        raise ValueError(f"the target agreement must be between 0 and 1, not {target}")
    agreement = cross_validate(texts, labels, codebook=codebook, folds=folds, uncoded=uncoded)
    return progress_of(agreement, labels, target=target, min_examples=min_examples)


def progress_of(
    agreement: Agreement,
    labels: Sequence[Sequence[str]],
    *,
    target: float = TARGET_AGREEMENT,
    min_examples: int = MIN_EXAMPLES,
) -> tuple[ThemeProgress, ...]:
    """Per coded theme (in `labels`): the agreement's precision, recall and F1, and whether F1 >= target."""
    if not 0 < target <= 1:
        raise ValueError(f"the target agreement must be between 0 and 1, not {target}")
    coded = {t for row in labels for t in row}
    return tuple(
        ThemeProgress(
            s.theme_id,
            s.support,
            s.precision,
            s.recall,
            s.f1,
            s.support >= min_examples and s.f1 >= target,
        )
        for s in agreement.scores
        if s.theme_id in coded
    )
