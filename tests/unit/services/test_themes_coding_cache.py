"""The model behind the coding and suggestions pages: learned once per answers, codes and codebook."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest

from analysis.text import Codebook, Theme, learning
from survey.services import themes as services

CODED = [
    ("the bins are never emptied", ["bins"]),
    ("bin collections missed again", ["bins"]),
    ("overflowing bins on our street", ["bins"]),
    ("recycling bins not collected", ["bins"]),
    ("bus service is terrible", ["buses"]),
    ("buses never on time", ["buses"]),
    ("the bus was cancelled twice", ["buses"]),
    ("no buses after eight", ["buses"]),
    ("lovely place to live", []),
    ("nothing to add", []),
]
UNCODED = ["wheelie bins left out all week", "bus fares too high", "all fine here", "happy with everything"]
ANSWERS = [(i + 1, text) for i, text in enumerate([t for t, _ in CODED] + UNCODED)]
CODES = {i + 1: labels for i, (_, labels) in enumerate(CODED)}
CODEBOOK = Codebook(
    "cb",
    "1.0.0",
    (Theme("bins", "Bins", keywords=("bin", "bins")), Theme("buses", "Buses", keywords=("bus", "buses"))),
)


@pytest.fixture(autouse=True)
def _empty_caches() -> Iterator[None]:
    caches = (
        services._representation,
        services._learned,
        services._coding_state,
        services._coding_suggestions,
        services._agreement,
    )
    for cached in caches:
        cached.cache_clear()
    yield
    for cached in caches:
        cached.cache_clear()


def _counting() -> tuple[list[int], mock._patch[object]]:
    calls: list[int] = []
    real = services.learn_coding

    def spy(answers, coded, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(len(coded))
        return real(answers, coded, **kwargs)

    return calls, mock.patch.object(services, "learn_coding", spy)


def test_the_coding_and_suggestions_pages_share_one_learned_model() -> None:
    calls, patch = _counting()
    with patch:
        state = services.coding_state(ANSWERS, CODES, CODEBOOK)
        suggested = services.coding_suggestions(ANSWERS, CODES, CODEBOOK)
        again = services.coding_state(ANSWERS, dict(CODES), CODEBOOK)
    assert calls == [10]  # learned once, for both pages and the repeated view
    assert again == state
    assert suggested.agreement == services.agreement(ANSWERS, CODES, CODEBOOK)  # one cross-validation
    assert suggested.agreement is not None
    assert {p.theme_id for p in services.progress(suggested.agreement)} == {"bins", "buses"}
    assert suggested.agreement is not None and suggested.agreement.answers == 10
    assert [s.response_id for s in suggested.suggestions] == [11, 12, 13, 14]
    assert {s.response_id: s.theme_ids for s in suggested.suggestions}[11] == ("bins",)


def test_coding_one_more_answer_changes_the_estimates() -> None:
    calls, patch = _counting()
    more = {**CODES, 11: ["bins"]}
    with patch:
        before = services.coding_suggestions(ANSWERS, CODES, CODEBOOK)
        after = services.coding_suggestions(ANSWERS, more, CODEBOOK)
        state = services.coding_state(ANSWERS, more, CODEBOOK)
    assert calls == [10, 11]
    assert before.agreement is not None and after.agreement is not None
    assert (before.agreement.answers, after.agreement.answers) == (10, 11)
    assert [s.response_id for s in after.suggestions] == [12, 13, 14]  # the coded one is not
    assert 11 not in [t.response_id for t in state.next_up]
    bins = {p.theme_id: p.coded for p in services.progress(after.agreement)}["bins"]
    assert bins == 5


def test_changing_a_code_or_an_answer_learns_again() -> None:
    calls, patch = _counting()
    changed = {**CODES, 10: ["bins"]}
    edited = [*ANSWERS[:-1], (14, "the buses are always late")]
    with patch:
        services.coding_state(ANSWERS, CODES, CODEBOOK)
        services.coding_state(ANSWERS, changed, CODEBOOK)
        services.coding_state(edited, CODES, CODEBOOK)
    assert calls == [10, 10, 10]


def test_the_coding_page_learns_without_cross_validating() -> None:
    """The coding page's model is learned without the 5-fold estimate (a background job works it out)."""
    refused = AssertionError("cross-validated")
    with (
        mock.patch.object(services, "cross_validate", side_effect=refused),
        mock.patch.object(learning, "cross_validate", side_effect=refused),  # learn_coding's
    ):
        state = services.coding_state(ANSWERS, CODES, CODEBOOK)
    assert state.next_up
    found = services.agreement(ANSWERS, CODES, CODEBOOK)
    direct = services.learn_coding(ANSWERS, CODES, codebook=CODEBOOK)  # as the page learned before
    assert found == direct.agreement  # the same estimate as when the page made it in the request


def test_nothing_coded() -> None:
    assert services.coding_state(ANSWERS, {}, CODEBOOK).next_up == ()
    assert services.agreement(ANSWERS, {}, CODEBOOK) is None
    assert services.agreement(ANSWERS, {1: ["bins"]}, CODEBOOK) is None  # one coded answer: no folds
    with pytest.raises(ValueError, match="no answer has been coded"):
        services.coding_suggestions(ANSWERS, {}, CODEBOOK)


def test_a_new_code_refits_the_classifiers_on_the_answers_features_already_computed() -> None:
    fitted: list[int] = []
    real = services.representation

    def spy(texts, **kwargs):  # type: ignore[no-untyped-def]
        fitted.append(len(texts))
        return real(texts, **kwargs)

    more = {**CODES, 11: ["bins"]}
    shuffled = list(reversed(ANSWERS))  # the same answers in another order: the same features
    with mock.patch.object(services, "representation", spy):
        services.coding_state(ANSWERS, CODES, CODEBOOK)
        after = services.coding_suggestions(ANSWERS, more, CODEBOOK)
        services.coding_state(shuffled, more, CODEBOOK)
        services.coding_state([*ANSWERS[:-1], (14, "the buses are always late")], CODES, CODEBOOK)
    assert fitted == [14, 14]  # once for the answers, again only when an answer changed
    keyed, coded = services._keys(ANSWERS, more)
    kept = services._representation(tuple(sorted(text for _, text in ANSWERS)), CODEBOOK)
    assert services._learned(keyed, coded, CODEBOOK).model._vectoriser is kept._vectoriser
    # The kept features give what learning from scratch gives.
    fresh = services.suggestions_from(services.learn_coding(ANSWERS, more, codebook=CODEBOOK))
    assert [(s.response_id, s.themes) for s in after.suggestions] == [
        (s.response_id, s.themes) for s in fresh.suggestions
    ]
    assert after.agreement == fresh.agreement
