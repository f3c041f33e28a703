"""Places do not fire themes, misspellings of codebook words are caught, and negation on longer sentences."""

from __future__ import annotations

import pytest

from analysis.text import Codebook, Tagger, Theme, default_codebook
from analysis.text.words import Speller, place_at


@pytest.mark.parametrize(
    "answer",
    [
        "I walk through the car park every day",
        "the grid roads are lovely",
        "I cycle on the redway to work",
        "We meet at the bus station",
        "the car parks in the city centre",
    ],
)
def test_place_names_alone_fire_no_theme(tagger: Tagger, answer: str) -> None:
    assert tagger.tag(answer).theme_ids == ()


@pytest.mark.parametrize(
    ("answer", "theme"),
    [
        ("people parking on the redway", "parking"),
        ("speeding on the grid roads", "road_safety"),
        ("cars parked on the verges by the car park", "parking"),
        ("the redway has no street lights", "street_lighting"),
    ],
)
def test_the_rest_of_the_answer_still_counts(tagger: Tagger, answer: str, theme: str) -> None:
    assert theme in tagger.tag(answer).theme_ids


def test_a_codebook_term_that_is_only_a_place_is_ignored() -> None:
    codebook = Codebook("cb", "1.0.0", (Theme("p", "P", phrases=("car park",), keywords=("clamping",)),))
    assert Tagger(codebook).tag("the car park").theme_ids == ()
    assert Tagger(codebook).tag("clamping again").theme_ids == ("p",)


def test_place_at_allows_a_plural() -> None:
    assert place_at(["the", "grid", "roads"], 1) == 2
    assert place_at(["the", "grid"], 1) == 0


@pytest.mark.parametrize(
    ("answer", "theme"),
    [
        ("burgarly on our street", "burglary"),
        ("there was a burgalry next door", "burglary"),
        ("grafitti on the walls", "vandalism"),
        ("grafiti everywhere", "vandalism"),
    ],
)
def test_misspellings_are_caught(tagger: Tagger, answer: str, theme: str) -> None:
    assert theme in tagger.tag(answer).theme_ids


@pytest.mark.parametrize(
    "answer",
    [
        "partly cloudy most days",  # an English word is never corrected ("party")
        "the Bletchley lot",
        "burgers from the van",
        "graffito",  # too far from any codebook word at its length
    ],
)
def test_no_false_positives(tagger: Tagger, answer: str) -> None:
    assert tagger.tag(answer).theme_ids == ()


def test_speller_needs_a_single_close_candidate() -> None:
    speller = Speller(["burglary", "graffiti", "speeding"])
    assert speller.correct("burgarly") == "burglary"
    assert speller.correct("speding") == "speeding"
    assert speller.correct("spending") is None  # an English word
    assert speller.correct("xpeeding") is None  # first letter kept
    assert speller.correct("bur") is None  # too short
    assert Tagger(default_codebook(), fuzzy=False).tag("burgarly").theme_ids == ()


@pytest.mark.parametrize(
    ("answer", "tagged", "negated"),
    [
        (
            "We have lived here for twenty years and have never had a burglary or any trouble with the "
            "neighbours",
            (),
            ("burglary",),
        ),
        (
            "I do not feel unsafe walking home at night, but the speeding on the main road really worries me",
            ("road_safety",),
            ("personal_safety",),
        ),
        (
            "No problems with burglary since the new neighbourhood watch started, although the speeding "
            "is awful",
            ("road_safety",),
            ("burglary",),
        ),
        (
            "There are no street lights on the redway so I do not feel safe walking home after dark",
            ("street_lighting", "personal_safety"),
            (),
        ),
        (
            "Burglary is not really a problem round here any more; the real issue is drug dealing in "
            "the park",
            ("drugs_alcohol",),
            ("burglary",),
        ),
    ],
)
def test_negation_scope_on_longer_sentences(
    tagger: Tagger, answer: str, tagged: tuple[str, ...], negated: tuple[str, ...]
) -> None:
    result = tagger.tag(answer)
    assert set(result.theme_ids) == set(tagged)
    assert set(result.negated) == set(negated)


def test_the_shipped_codebook_has_no_term_that_is_only_a_place() -> None:
    from analysis.text import nlp, words
    from analysis.text.codebook import term_stems

    places = {tuple(nlp.stem(w) for w in place) for place in words.places()}
    found = []
    for theme in default_codebook().themes:
        for term in (*theme.keywords, *theme.phrases, *theme.exact_keywords):
            stems = term_stems(term)
            if stems in places or (*stems[:-1], stems[-1].rstrip("s")) in places:
                found.append((theme.id, term))
    assert found == [], "the tagger ignores these place terms: remove them from the codebook"
