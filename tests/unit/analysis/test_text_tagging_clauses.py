"""Tagging clause by clause (each distinct clause once) finds exactly what tagging the whole answer finds."""

from __future__ import annotations

import random

from analysis.text import Tagger, default_codebook
from analysis.text.normalise import NEGATION_CUES, SCOPE_ENDS, normalise
from analysis.text.tagging import _Entry


def _answers(tagger: Tagger, count: int) -> list[str]:
    """Answers made of codebook terms, place names, negation cues, scope ends, fillers, misspellings and
    every clause break, so phrases, places and negation scopes meet the clause edges."""
    rng = random.Random(18)
    terms = [t for theme in tagger.codebook.themes for t in theme.keywords + theme.phrases][:400]
    words = [
        *terms,
        *sorted(NEGATION_CUES),
        *sorted(SCOPE_ENDS),
        "car park",
        "grid roads",
        "redways",
        "is not a problem",
        "no longer",
        "burgarly",
        "grafitti",
        "the",
        "really",
        "speeding cars",
        "don't",
        "can't",
    ]
    breaks = [". ", ", ", "; ", ": ", "! ", "? ", " (", ") ", "\n", " ", " ", " ", " "]
    out = []
    for _ in range(count):
        parts = [rng.choice(words) + rng.choice(breaks) for _ in range(rng.randrange(1, 12))]
        out.append("".join(parts))
    return out


def test_clause_hits_equal_whole_answer_hits(tagger: Tagger) -> None:
    assert tagger._by_clause
    for text in _answers(tagger, 3000):
        assert tagger.answer_hits(text) == tagger.hits(normalise(text)), text


def test_same_hits_same_themes_and_a_fresh_tagger_agrees(tagger: Tagger) -> None:
    answers = _answers(tagger, 1500)
    first = [tagger.tag(text, i) for i, text in enumerate(answers + answers)]
    fresh = Tagger(default_codebook())
    for i, text in enumerate(answers):
        again = fresh._themes(fresh.hits(normalise(text)))
        assert (first[i].themes, first[i].negated) == again
        assert (first[i + len(answers)].themes, first[i + len(answers)].negated) == again
        assert first[i + len(answers)].response_id == i + len(answers)


def test_a_term_with_a_clause_break_tags_whole_answers(tagger: Tagger) -> None:
    codebook = default_codebook()
    odd = Tagger(codebook)
    odd._exact_terms["?"].append(_Entry(0, "?", ("?",), True))  # a hand-made exact keyword "?"
    assert odd._clause_local() is False
