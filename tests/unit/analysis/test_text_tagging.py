"""Tagging answers with the default codebook: themes, negation, confidence, untagged answers kept."""

from __future__ import annotations

import pytest

from analysis.text import Tagger, default_codebook, tag_answers, untagged


@pytest.mark.parametrize(
    ("text", "themes"),
    [
        ("Burglary is my main worry", ("burglary",)),
        ("anti social behaviour in the town centre", ("anti_social_behaviour",)),
        ("ASB", ("anti_social_behaviour",)),
        ("fly-tipping by the garages", ("litter_fly_tipping",)),
        ("speeding cars on the grid roads", ("road_safety",)),
        ("parking on grass verges", ("parking",)),
        ("pot holes everywhere", ("road_maintenance",)),
        ("people on their phones while driving", ("road_safety",)),
        ("cars broken into overnight", ("vehicle_crime",)),
        ("burglaries and drug dealing", ("burglary", "drugs_alcohol")),
    ],
)
def test_themes_found(tagger: Tagger, text: str, themes: tuple[str, ...]) -> None:
    assert tagger.tag(text).theme_ids == themes


@pytest.mark.parametrize(
    ("text", "negated"),
    [
        ("no problems here", ()),
        ("I don't feel unsafe", ("personal_safety",)),
        ("no burglaries round here", ("burglary",)),
        ("drugs are not a problem in my area", ("drugs_alcohol",)),
    ],
)
def test_negated_mentions_are_not_themes(tagger: Tagger, text: str, negated: tuple[str, ...]) -> None:
    tagged = tagger.tag(text)
    assert tagged.themes == ()
    assert tagged.negated == negated


def test_negation_only_reaches_its_clause(tagger: Tagger) -> None:
    tagged = tagger.tag("no burglaries round here but speeding is terrible")
    assert tagged.theme_ids == ("road_safety",)
    assert tagged.negated == ("burglary",)


def test_absence_of_police_or_lights_is_still_the_theme(tagger: Tagger) -> None:
    assert tagger.tag("we never see police").theme_ids == ("police_visibility",)
    assert tagger.tag("there are no street lights on the redway").theme_ids == ("street_lighting",)
    assert tagger.tag("not enough parking spaces").theme_ids == ("parking",)


def test_feeling_not_safe_is_personal_safety(tagger: Tagger) -> None:
    assert tagger.tag("I don't feel safe walking home").theme_ids == ("personal_safety",)


def test_confidence_grows_with_evidence(tagger: Tagger) -> None:
    one = tagger.tag("graffiti").themes[0]
    two = tagger.tag("graffiti and vandalism").themes[0]
    phrase = tagger.tag("criminal damage").themes[0]
    assert one.confidence == 0.75
    assert two.confidence == pytest.approx(1 - 0.25 * 0.25)
    assert phrase.confidence == 0.9
    assert two.terms == ("graffiti", "vandalism")


def test_a_phrase_takes_its_words_from_shorter_matches(tagger: Tagger) -> None:
    # "car broken into" is vehicle crime; its "broken into" must not also count as burglary.
    assert tagger.tag("cars broken into on our street").theme_ids == ("vehicle_crime",)
    assert tagger.tag("houses broken into on our street").theme_ids == ("burglary",)


def test_exact_keywords_do_not_stem(tagger: Tagger) -> None:
    # "parking" is an exact keyword so "the park" (green space) is not about parking.
    assert tagger.tag("drinking in the park").theme_ids == ("drugs_alcohol",)


def test_untagged_answers_are_kept_and_blank_ones_skipped() -> None:
    tagged = tag_answers([(1, "Burglary"), (2, "All fine thanks"), (3, "   "), (4, "")], default_codebook())
    assert [t.response_id for t in tagged] == [1, 2]
    assert [t.response_id for t in untagged(tagged)] == [2]
    assert tagged[1].untagged
