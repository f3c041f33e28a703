"""Tone of answers per theme, from VADER compound scores (lexicon shipped in the vaderSentiment package)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.text import nlp

# VADER's own cut-offs for positive and negative compound scores.
POSITIVE, NEGATIVE = 0.05, -0.05


@dataclass(frozen=True)
class ToneSummary:
    """Mean VADER compound score and the shares of negative, neutral and positive answers."""

    answers: int
    mean: float
    negative: float
    neutral: float
    positive: float


def answer_tone(text: str) -> float:
    """VADER compound score of one answer, from -1 (most negative) to 1 (most positive)."""
    return nlp.tone(text)


def summarise_tone(texts: Sequence[str]) -> ToneSummary:
    """Tone of a set of answers (all zeros when there are none)."""
    return summarise_scores([nlp.tone(t) for t in texts])


def summarise_scores(scores: Sequence[float]) -> ToneSummary:
    """Tone summary of VADER compound scores already computed (all zeros when there are none)."""
    if not scores:
        return ToneSummary(0, 0.0, 0.0, 0.0, 0.0)
    n = len(scores)
    neg = sum(s <= NEGATIVE for s in scores) / n
    pos = sum(s >= POSITIVE for s in scores) / n
    return ToneSummary(n, round(sum(scores) / n, 4), round(neg, 4), round(1 - neg - pos, 4), round(pos, 4))
