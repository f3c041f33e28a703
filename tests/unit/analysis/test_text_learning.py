"""Learning from staff coding: suggestions for uncoded answers and their agreement with the analyst's tags."""

from __future__ import annotations

import pytest

from analysis.text import Codebook, Theme, cross_validate, suggest_tags, train

HAND_CODED = [
    ("the bins are never emptied", ("bins",)),
    ("bin collections missed again", ("bins",)),
    ("overflowing bins on our street", ("bins",)),
    ("recycling bins not collected", ("bins",)),
    ("wheelie bins left out all week", ("bins",)),
    ("bus service is terrible", ("buses",)),
    ("buses never on time", ("buses",)),
    ("the bus was cancelled twice", ("buses",)),
    ("no buses after eight", ("buses",)),
    ("bus fares too high", ("buses",)),
    ("bins overflowing and buses late", ("bins", "buses")),
    ("missed bin and a cancelled bus", ("bins", "buses")),
    ("lovely place to live", ()),
    ("nothing to add", ()),
    ("all fine here", ()),
    ("happy with everything", ()),
]
TEXTS = [t for t, _ in HAND_CODED]
LABELS = [list(labels) for _, labels in HAND_CODED]


def test_suggestions_follow_the_hand_coding() -> None:
    model = train(TEXTS, LABELS)
    assert model.theme_ids == ("bins", "buses")
    suggested = suggest_tags(model, [("r1", "the bins were not emptied"), ("r2", "the bus is always late")])
    assert suggested[0].theme_ids == ("bins",)
    assert suggested[1].theme_ids == ("buses",)
    assert 0.5 <= suggested[0].themes[0].confidence <= 1.0


def test_a_codebook_theme_without_examples_still_tags() -> None:
    codebook = Codebook("cb", "1.0.0", (Theme("noise", "Noise", keywords=("loud", "noisy")),))
    model = train(TEXTS, LABELS, codebook=codebook)
    assert model.theme_ids == ("bins", "buses", "noise")
    assert model.predict(["loud music next door"]) == [("noise",)]
    assert model.predict(["lovely place"]) == [()]


def test_cross_validated_agreement() -> None:
    agreement = cross_validate(TEXTS, LABELS, folds=4)
    assert agreement.answers == 16 and agreement.folds == 4
    assert agreement.micro_f1 >= 0.6
    assert {t for t, _, _ in agreement.per_theme} == {"bins", "buses"}
    assert {t: n for t, _, n in agreement.per_theme} == {"bins": 7, "buses": 7}


def test_agreement_is_poor_when_coding_is_random() -> None:
    noisy = [["bins"] if i % 2 else ["buses"] for i in range(len(TEXTS))]
    assert cross_validate(TEXTS, noisy, folds=4).micro_f1 < cross_validate(TEXTS, LABELS, folds=4).micro_f1


def test_bad_input() -> None:
    with pytest.raises(ValueError, match="2 answers but 1 label lists"):
        train(["a", "b"], [["x"]])
    with pytest.raises(ValueError, match="no hand-coded answers"):
        train([], [])
    with pytest.raises(ValueError, match="at least two"):
        cross_validate(["a"], [["x"]])


def test_learn_from_coding_suggests_for_the_uncoded_rest() -> None:
    from analysis.text import learn_from_coding

    answers = [(f"r{i}", text) for i, text in enumerate(TEXTS)] + [
        ("new1", "bins overflowing"),
        ("new2", "bus late"),
    ]
    coded = {f"r{i}": labels for i, labels in enumerate(LABELS)}
    result = learn_from_coding(answers, coded, folds=4)
    assert [(s.response_id, s.theme_ids) for s in result.suggestions] == [
        ("new1", ("bins",)),
        ("new2", ("buses",)),
    ]
    assert result.agreement is not None and result.agreement.answers == 16
    with pytest.raises(ValueError, match="no answer has been coded"):
        learn_from_coding(answers, {})


def test_threshold_is_chosen_by_f1_and_rescaled_to_one_half() -> None:
    import numpy as np

    from analysis.text.learning import best_threshold, rescale

    probabilities = np.array([0.1, 0.3, 0.35, 0.9])
    y = np.array([0, 1, 1, 1])
    assert best_threshold(probabilities, y) == 0.3  # catches all three positives, none of the negatives
    scaled = rescale(np.array([0.0, 0.15, 0.3, 0.65, 1.0]), 0.3)
    assert list(np.round(scaled, 3)) == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_uncoded_answers_inform_the_vocabulary() -> None:
    assert train(TEXTS, LABELS).vectors(["qqxj"]).nnz == 0
    model = train(TEXTS, LABELS, uncoded=["qqxj qqxj", "the bins again"])
    assert model.vectors(["qqxj"]).nnz > 0  # a word only the uncoded answers use now has a weight
    assert model.predict(["the bins were never emptied"]) == [("bins",)]


def test_codebook_keywords_are_evidence_not_rules() -> None:
    # The codebook says "bus" means noise; sixteen coded answers say otherwise, and the examples win.
    codebook = Codebook("cb", "1.0.0", (Theme("buses", "Noise?", keywords=("loud",)),))
    model = train(TEXTS, LABELS, codebook=codebook)
    assert model.predict(["loud bins overflowing"]) == [("bins",)]
