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
    assert 0.0 < suggested[0].themes[0].confidence < 1.0  # calibrated: the chance staff would agree


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
    import random

    # 48 answers (16 alone are too few: on them a coding that alternates bins/buses scored like the real one).
    texts = [f"{t} {r}" for r in range(3) for t in TEXTS]
    labels = LABELS * 3
    noisy = labels[:]
    random.Random(0).shuffle(noisy)  # the same codes, given to the wrong answers
    random_f1 = cross_validate(texts, noisy, folds=4).micro_f1
    assert random_f1 < 0.6 < cross_validate(texts, labels, folds=4).micro_f1


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


def test_platt_calibration_follows_the_observed_rate() -> None:
    import numpy as np

    from analysis.text.learning import Platt

    rng = np.random.default_rng(0)
    # Scores that overstate: answers given 0.9 carry the theme only about half the time.
    scores = rng.uniform(0.0, 1.0, 4000)
    truth = (rng.uniform(0.0, 1.0, 4000) < scores / 2).astype(int)
    platt = Platt.fit(scores, truth)
    assert platt is not None
    calibrated = platt(np.array([0.1, 0.5, 0.9]))
    assert list(np.round(calibrated, 1)) == pytest.approx([0.1, 0.2, 0.4], abs=0.11)
    assert calibrated[0] < calibrated[1] < calibrated[2]  # monotone: it ranks answers as the model does
    assert Platt.fit(scores, np.zeros(4000, dtype=int)) is None  # one class: nothing to calibrate


def test_suggestions_show_the_calibrated_chance_and_keep_the_decision() -> None:
    import numpy as np

    texts = TEXTS * 3
    labels = LABELS * 3
    model = train(texts, labels)
    assert set(model.calibration) == {"bins", "buses"}
    answers = ["the bins were not emptied", "the bus is always late", "nice weather"]
    decision, chance = model.decide_and_calibrate(answers)
    assert np.array_equal(decision, model.predict_proba(answers))
    assert np.array_equal(chance, model.calibrated(answers))
    assert ((chance > 0) & (chance < 1)).all()
    # Calibration is monotone per theme, so it never changes which answers are tagged or their order.
    for j in range(chance.shape[1]):
        assert list(np.argsort(decision[:, j])) == list(np.argsort(chance[:, j]))
    suggested = suggest_tags(model, [("r1", answers[0]), ("r3", answers[2])])
    assert suggested[0].theme_ids == ("bins",) and suggested[1].theme_ids == ()
    assert suggested[0].themes[0].confidence == round(float(chance[0, 0]), 4)


def test_a_theme_too_rare_to_cross_validate_keeps_its_confidence() -> None:
    model = train(TEXTS + ["a fox in the bins"], LABELS + [["bins", "foxes"]])
    assert "foxes" not in model.calibration  # one example: no folds to calibrate on
    j = model.theme_ids.index("foxes")
    assert model.calibrated(["a fox"])[0, j] == model.predict_proba(["a fox"])[0, j]
    assert model.calibrated([]).shape == (0, len(model.theme_ids))


def test_self_training_learns_from_the_uncoded_answers_it_is_sure_about() -> None:
    import numpy as np

    from analysis.text import learning

    # "skip" appears in no coded answer; among the uncoded answers it only ever sits beside "bins".
    uncoded = [f"skip and bins overflowing {i}" for i in range(30)]
    uncoded += [f"bus late again {i}" for i in range(30)]
    plain = train(TEXTS, LABELS, uncoded=uncoded, self_training=False)
    taught = train(TEXTS, LABELS, uncoded=uncoded)
    j = taught.theme_ids.index("bins")
    before, after = plain.predict_proba(["skip"])[0, j], taught.predict_proba(["skip"])[0, j]
    assert after > before  # the confident uncoded answers taught it that "skip" goes with bins
    assert taught.thresholds == plain.thresholds  # thresholds stay those cross-validated on coded answers
    assert taught.predict(["the bins were never emptied", "buses never on time"]) == [("bins",), ("buses",)]
    # Without uncoded answers there is nothing to self-train on: the two models are the same.
    a, b = train(TEXTS, LABELS), train(TEXTS, LABELS, self_training=False)
    assert np.allclose(a.predict_proba(["skip", "bus"]), b.predict_proba(["skip", "bus"]))
    assert learning.PSEUDO_NEGATIVE < learning.THRESHOLD < learning.PSEUDO_POSITIVE


def test_cross_validation_treats_held_out_and_uncoded_answers_as_uncoded() -> None:
    from unittest import mock

    from analysis.text import learning

    seen: list[list[str]] = []
    shared: list[object] = []
    made: list[object] = []
    real = learning.train

    def spy(texts, labels, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(list(kwargs["uncoded"]))
        shared.append(kwargs["representation_of"])
        made.append(real(texts, labels, **kwargs))
        return made[-1]

    with mock.patch.object(learning, "train", spy):
        cross_validate(TEXTS, LABELS, folds=4, uncoded=["extra answer"])
    assert len(seen) == 4
    assert all(len(u) == 5 and u[-1] == "extra answer" for u in seen)  # 4 held out + the uncoded one
    assert sorted(t for u in seen for t in u[:-1]) == sorted(TEXTS)  # each coded answer held out once
    # Every fold learns from the same answers: the first fold's vocabulary is shared, not fitted again.
    assert shared == [None, made[0], made[0], made[0]]
    assert all(m._vectoriser is made[0]._vectoriser for m in made)  # type: ignore[attr-defined]
    # Many uncoded answers: each fold sees a fixed sample of MAX_CV_UNCODED of them besides its own.
    seen.clear()
    many = [f"other answer {i}" for i in range(learning.MAX_CV_UNCODED + 50)]
    with mock.patch.object(learning, "train", spy):
        cross_validate(TEXTS, LABELS, folds=2, uncoded=many)
    assert [len(u) for u in seen] == [8 + learning.MAX_CV_UNCODED] * 2 and seen[0][8:] == seen[1][8:]


def test_latent_dimensions_carry_meaning_from_the_uncoded_answers() -> None:
    # "dustcart" is in no coded answer; in the uncoded ones it keeps company with bins words.
    uncoded = [f"dustcart never came bins overflowing {i}" for i in range(30)] + [
        f"bus late again {i}" for i in range(30)
    ]
    without = train(TEXTS, LABELS, uncoded=uncoded, self_training=False, latent_dimensions=0)
    latent = train(TEXTS, LABELS, uncoded=uncoded, self_training=False)
    assert without._latent is None and latent._latent is not None
    assert latent.vectors(["x"]).shape[1] == without.vectors(["x"]).shape[1] + latent._latent.n_components

    def likeness(model, a: str, b: str) -> float:  # type: ignore[no-untyped-def]
        v = model.vectors([a, b])
        return float((v[0] @ v[1].T).toarray()[0, 0])

    # They share no word, yet with latent dimensions "dustcart" comes out like a bins answer, not a bus one.
    assert likeness(without, "dustcart", "overflowing wheelie bins") < 0.05
    assert likeness(latent, "dustcart", "overflowing wheelie bins") > 0.03
    bus = likeness(latent, "dustcart", "bus fares")
    assert likeness(latent, "dustcart", "overflowing wheelie bins") > 2 * bus
    # Too few answers to learn company from: no latent dimensions.
    assert train(TEXTS, LABELS, uncoded=["a", "b"])._latent is None


def test_feature_rows_of_the_fitted_answers_are_looked_up_and_equal_computed_ones() -> None:
    import numpy as np

    uncoded = [f"answer {i} about bins and buses {i % 7}" for i in range(60)]
    model = train(TEXTS, LABELS, uncoded=uncoded)
    mixed = [uncoded[3], "a new answer about the bus", TEXTS[0], uncoded[3]]
    looked_up = model._represented(mixed)  # type: ignore[attr-defined]
    computed = model._represent(mixed)  # type: ignore[attr-defined]
    assert looked_up.shape == computed.shape
    assert np.abs((looked_up - computed).toarray()).max() < 1e-12
    assert "a new answer about the bus" not in model._known  # type: ignore[attr-defined]


def _sparse_problem(seed: int, rows: int = 60, columns: int = 400):  # type: ignore[no-untyped-def]
    import numpy as np
    from scipy import sparse

    rng = np.random.default_rng(seed)
    x = sparse.random(rows, columns, density=0.05, random_state=seed, format="csr")
    y = (np.asarray(x[:, :20].sum(axis=1)).ravel() + rng.normal(0, 0.1, rows) > 0.4).astype(int)
    return x, y


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_dual_space_solver_finds_scikit_learns_minimum(seed: int) -> None:
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from analysis.text.learning import fit_logistic

    x, y = _sparse_problem(seed)
    weight = np.random.default_rng(seed).uniform(0.2, 1.0, len(y))
    for w in (None, weight):
        exact = LogisticRegression(C=10, class_weight="balanced", max_iter=100_000, tol=1e-12)
        exact.fit(x, y, sample_weight=w)
        ours = fit_logistic(x, y, 10.0, w)
        assert np.abs(ours.coef_ - exact.coef_).max() < 1e-4
        assert abs(ours.intercept_[0] - exact.intercept_[0]) < 1e-4
        assert np.abs(ours.predict_proba(x) - exact.predict_proba(x)).max() < 1e-5
    with pytest.raises(ValueError, match="with and without the theme"):
        fit_logistic(x, np.zeros(len(y), dtype=int))


def test_fits_on_many_answers_keep_every_column_and_the_solution() -> None:
    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from analysis.text.learning import KERNEL_ROWS, ThemeModel

    x, y = _sparse_problem(3, rows=KERNEL_ROWS + 50, columns=300)
    x = sparse.hstack([x, sparse.csr_matrix((x.shape[0], 2000))], format="csr")  # unused columns
    model = ThemeModel(["a"])._fit_one(x, y)  # type: ignore[attr-defined]
    plain = LogisticRegression(C=10, class_weight="balanced", max_iter=2000).fit(x, y)
    assert model.coef_.shape == (1, x.shape[1]) and not model.coef_[0, 300:].any()
    assert np.abs(model.predict_proba(x) - plain.predict_proba(x)).max() < 1e-3


def test_features_fitted_once_per_answer_set_give_the_same_model() -> None:
    import numpy as np

    from analysis.text.learning import representation

    uncoded = [f"answer {i} about bins and buses {i % 7}" for i in range(60)]
    kept = representation(list(reversed(uncoded + TEXTS)))  # any order: the answers are sorted first
    fresh = train(TEXTS, LABELS, uncoded=uncoded)
    reused = train(TEXTS, LABELS, uncoded=uncoded, representation_of=kept)
    probe = ["the bins again", "bus late", uncoded[5]]
    assert np.abs(fresh.predict_proba(probe) - reused.predict_proba(probe)).max() < 1e-9
    assert reused._vectoriser is kept._vectoriser  # type: ignore[attr-defined]


def test_latent_dimensions_of_many_answers_are_fitted_on_a_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np
    from sklearn.decomposition import TruncatedSVD

    from analysis.text import learning
    from analysis.text.learning import representation

    uncoded = [f"answer {i} about bins and buses {i % 7} and trains {i % 11}" for i in range(120)]
    monkeypatch.setattr(learning, "MAX_LATENT_ROWS", 60)
    fitted: list[int] = []
    real_fit = TruncatedSVD.fit

    def spy(self, x, y=None):  # type: ignore[no-untyped-def]
        fitted.append(x.shape[0])
        return real_fit(self, x, y)

    monkeypatch.setattr(TruncatedSVD, "fit", spy)
    kept = representation(uncoded + TEXTS, latent_dimensions=10)
    assert fitted == [60]
    assert kept._latent is not None and kept._latent.components_.dtype == np.float64  # type: ignore[attr-defined]
    rows = kept._represented(uncoded)  # type: ignore[attr-defined]
    assert rows.shape[0] == 120 and np.isfinite(rows.toarray()).all()
