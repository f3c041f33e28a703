"""Safe suggestions: the effect of accepting or merging is shown first; only distinctive terms are added."""

from __future__ import annotations

import pytest

from analysis.text import Codebook, Theme, accept_suggestion
from analysis.text.discovery import Suggestion
from analysis.text.suggestions import distinctive_terms, preview_accept

CODEBOOK = Codebook("cb", "1.0.0", (Theme("parking", "Parking", exact_keywords=("parking",)),))
ANSWERS = [
    (1, "vans on the verges of our road"),
    (2, "vans block the road verges"),
    (3, "verges churned up by vans"),
    (4, "the road is fine"),
    (5, "the park is lovely"),
    (6, "road works on the park road"),
    (7, "parking on the pavement"),
    (8, "more trees in the park"),
] + [(9 + i, f"the street is quiet, answer {i}") for i in range(8)]


def _suggestion(terms: tuple[str, ...]) -> Suggestion:
    return Suggestion("s1", "Vans on verges", terms, ("vans on the verges",), 3, (1, 2, 3))


def test_generic_and_common_terms_are_left_out() -> None:
    keep, left_out = distinctive_terms(_suggestion(("verges", "vans", "road", "park", "the")), ANSWERS)
    assert keep == ("verges", "vans")
    reasons = dict(left_out)
    assert "too general" in reasons["road"] and "too general" in reasons["park"]
    assert "not distinctive" in reasons["the"]


def test_a_phrase_no_answer_contains_as_written_says_so() -> None:
    """Discovery joins words across stopwords ("block the road" gives "vans block"); a phrase whose words are
    never next to each other matches no answer (nor would the tagger): say that, not "0.0 times as common"."""
    _keep, left_out = distinctive_terms(_suggestion(("block road",)), ANSWERS)
    reason = dict(left_out)["block road"]
    assert "0.0 times" not in reason and "no answer contains it as written" in reason


def test_accepting_never_adds_generic_stems() -> None:
    merged = accept_suggestion(CODEBOOK, _suggestion(("verges", "road", "park")), into="parking")
    assert merged.theme("parking").keywords == ("verges",)


def test_preview_of_a_merge_shows_gains_and_examples_before_saving() -> None:
    preview = preview_accept(CODEBOOK, _suggestion(("verges", "vans", "road")), ANSWERS, into="parking")
    assert (preview.theme_id, preview.before, preview.after) == ("parking", 1, 4)
    assert preview.gained_count == 3 and preview.lost_count == 0
    assert [rid for rid, _ in preview.gained] == [1, 2, 3]
    assert preview.added_terms == ("verges", "vans") and preview.left_out[0][0] == "road"
    assert CODEBOOK.theme("parking").keywords == ()  # nothing saved: the preview holds the new codebook
    assert preview.codebook.theme("parking").keywords == ("verges", "vans")


def test_preview_of_a_new_theme() -> None:
    preview = preview_accept(CODEBOOK, _suggestion(("verges",)), ANSWERS, label="Verges")
    assert preview.theme_id == "verges" and (preview.before, preview.after) == (0, 3)


def test_nothing_distinctive_is_refused() -> None:
    with pytest.raises(ValueError, match="none of the suggestion's terms is distinctive"):
        preview_accept(CODEBOOK, _suggestion(("road", "park")), ANSWERS, into="parking")
