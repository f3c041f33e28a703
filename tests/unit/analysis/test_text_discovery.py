"""Discovery of emerging themes among untagged answers, and accepting, renaming, merging, rejecting them."""

from __future__ import annotations

import random

import numpy as np
import pytest

from analysis.text import (
    Suggestion,
    accept_suggestion,
    default_codebook,
    merge_suggestions,
    reject_suggestion,
    rename_suggestion,
    suggest_themes,
)
from analysis.text.discovery import flag_duplicates, join_collocations

DOGS = [
    "dog fouling on the playing field",
    "dog fouling outside the school gates",
    "owners never clean up dog fouling",
    "the dog fouling on the green is disgusting",
    "dog fouling along every path",
    "so much dog fouling near the play area",
    "dog fouling by the bus stop",
    "dog fouling all over the pavements",
]
BUSES = [
    "the buses are always late",
    "buses late every morning",
    "buses cancelled and late again",
    "late buses make me miss work",
    "the buses are late and dirty",
    "buses late at weekends",
    "late buses at the station",
]
FIREWORKS = ["fireworks at new year", "fireworks scaring pets", "fireworks at midnight"]


def answers(*groups: list[str]) -> list[tuple[int, str]]:
    texts = [t for group in groups for t in group]
    random.Random(1).shuffle(texts)
    return list(enumerate(texts))


def test_a_planted_theme_is_found_and_a_tiny_one_dropped() -> None:
    found = suggest_themes(answers(DOGS, BUSES, FIREWORKS), min_size=5)
    terms = [s.key_terms for s in found]
    assert any("dog fouling" in t for t in terms), terms
    assert any("buses" in t and "late" in t for t in terms), terms
    assert not any("fireworks" in t for t in terms)
    dogs = next(s for s in found if "dog fouling" in s.key_terms)
    assert dogs.size >= len(DOGS) - 2
    assert len(dogs.examples) == 3 and all("dog fouling" in e for e in dogs.examples)


def test_min_size_is_configurable() -> None:
    found = suggest_themes(answers(DOGS, BUSES, FIREWORKS), min_size=3, max_themes=3)
    assert any("fireworks" in s.key_terms for s in found)


def test_too_few_answers_give_no_suggestions() -> None:
    assert suggest_themes([(1, "fireworks"), (2, "fireworks again")], min_size=5) == ()
    assert suggest_themes([(i, "none") for i in range(20)], min_size=5) == ()


def test_examples_are_redacted() -> None:
    planted = [f"dog fouling outside number {n} every day" for n in range(1, 7)]
    found = suggest_themes(list(enumerate(planted)), min_size=5)
    assert found and all("[number]" in e for e in found[0].examples)


def test_near_duplicates_are_flagged() -> None:
    a = Suggestion("s1", "a", ("dog", "fouling"), (), 10, ())
    b = Suggestion("s2", "b", ("dog", "mess"), (), 6, ())
    c = Suggestion("s3", "c", ("buses",), (), 5, ())
    vectors = np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]])
    flagged = flag_duplicates([a, b, c], vectors, 0.4)
    assert flagged[0].duplicate_of is None
    assert flagged[1].duplicate_of == "s1" and flagged[1].similarity == 0.5
    assert flagged[2].duplicate_of is None


def test_the_same_theme_in_other_words_is_flagged_as_a_near_duplicate() -> None:
    places = ["on the field", "by the school", "on the path", "near the shops", "on the green", "by the pond"]
    fouling = [f"dog fouling {place}" for place in places]
    mess = [f"dog mess left {place}" for place in places]
    found = suggest_themes(answers(fouling, mess, BUSES), min_size=3, max_themes=3)
    first, second = (next(s for s in found if word in s.key_terms) for word in ("fouling", "mess"))
    buses = next(s for s in found if "buses" in s.key_terms)
    flagged = [s for s in (first, second) if s.duplicate_of]
    assert len(flagged) == 1 and flagged[0].similarity >= 0.2
    assert flagged[0].duplicate_of == (second.id if flagged[0] is first else first.id)
    assert buses.duplicate_of is None


def test_collocations_are_joined() -> None:
    assert join_collocations(["dog", "fouling", "again"], frozenset({("dog", "fouling")})) == [
        "dog_fouling",
        "again",
    ]


def suggestion() -> Suggestion:
    return Suggestion(
        "s1", "dog / fouling", ("dog fouling", "owners"), ("dog fouling by the school",), 8, (1, 2)
    )


def test_accept_adds_a_theme_with_a_new_version() -> None:
    codebook = accept_suggestion(default_codebook(), suggestion(), label="Dog fouling")
    theme = codebook.theme("dog_fouling")
    assert codebook.version == "1.1.0"
    assert theme.phrases == ("dog fouling",) and theme.keywords == ("owners",)
    assert theme.examples == ("dog fouling by the school",)


def test_accept_into_an_existing_theme() -> None:
    codebook = accept_suggestion(default_codebook(), suggestion(), into="litter_fly_tipping")
    assert codebook.version == "1.1.0"
    assert "owners" in codebook.theme("litter_fly_tipping").keywords


def test_accept_refuses_clashes_and_unknown_targets() -> None:
    with pytest.raises(ValueError, match="already has a theme 'noise'"):
        accept_suggestion(default_codebook(), suggestion(), theme_id="noise")
    with pytest.raises(ValueError, match="no theme 'pets'"):
        accept_suggestion(default_codebook(), suggestion(), into="pets")


def test_rename_merge_reject() -> None:
    renamed = rename_suggestion(suggestion(), "  Dog mess ")
    assert renamed.label == "Dog mess"
    with pytest.raises(ValueError):
        rename_suggestion(suggestion(), " ")
    other = Suggestion("s2", "dogs", ("dog mess", "owners"), ("dog mess",), 3, (2, 3))
    merged = merge_suggestions(suggestion(), other, label="Dogs")
    assert merged.key_terms == ("dog fouling", "owners", "dog mess")
    assert merged.response_ids == (1, 2, 3) and merged.size == 3 and merged.label == "Dogs"
    assert reject_suggestion([suggestion(), other], "s1") == (other,)
    with pytest.raises(ValueError, match="no suggestion has the id 's9'"):
        reject_suggestion([suggestion()], "s9")


def test_min_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="min_size must be at least 1"):
        suggest_themes(answers(DOGS), min_size=0)
