"""The few-shot protocol: K coded answers per theme to learn from, the rest as test, next to a baseline."""

from __future__ import annotations

import pytest

from analysis.text import LabelledSet
from analysis.text.fewshot import baseline_predict, eligible_themes, format_fewshot, run_fewshot, split

BINS = [
    "bins never emptied",
    "bin collection missed",
    "overflowing bins",
    "recycling bins left",
    "wheelie bin gone",
]
BUSES = ["bus late again", "buses cancelled", "no bus after eight", "bus fares too high", "bus stop broken"]


def _data(repeat: int = 3) -> LabelledSet:
    texts, labels = [], []
    for r in range(repeat):
        for t in BINS:
            texts.append(f"{t} {r}")
            labels.append(("bins",))
        for t in BUSES:
            texts.append(f"{t} {r}")
            labels.append(("buses",))
        texts.append(f"lovely place {r}")
        labels.append(("rare",))
    return LabelledSet(tuple(texts), tuple(labels))


def test_only_themes_with_enough_examples_take_part() -> None:
    assert eligible_themes(_data().labels, 10) == ["bins", "buses"]
    assert eligible_themes(_data().labels, 3) == ["bins", "buses", "rare"]


def test_split_draws_k_per_theme_and_keeps_the_rest_for_testing() -> None:
    labels = _data().labels
    train, test = split(labels, ["bins", "buses"], 4, seed=1)
    assert sum("bins" in labels[i] for i in train) == 4
    assert sum("buses" in labels[i] for i in train) == 4
    assert not set(train) & set(test) and len(train) + len(test) == len(labels)
    assert split(labels, ["bins", "buses"], 4, seed=1) == (train, test)  # the seed decides
    assert split(labels, ["bins", "buses"], 4, seed=2) != (train, test)
    with pytest.raises(ValueError, match="K must be at least 1"):
        split(labels, ["bins"], 0, seed=0)


def test_baseline_and_learner_both_score() -> None:
    predicted = baseline_predict(
        BINS + BUSES, [("bins",)] * 5 + [("buses",)] * 5, ["bins overflowing"], ["bins", "buses"]
    )
    assert predicted == [("bins",)]
    runs = run_fewshot(_data(), ks=(4,), seeds=(0, 1), min_examples=10)
    assert [(r.k, r.seed) for r in runs] == [(4, 0), (4, 1)]
    assert all(r.micro > 0.5 and r.train_answers == 8 for r in runs)
    assert "K=4: micro-F1 baseline" in format_fewshot(runs)


def test_no_theme_with_enough_examples_is_an_error() -> None:
    with pytest.raises(ValueError, match="no theme has 100 or more coded answers"):
        run_fewshot(_data(), min_examples=100)


def test_the_cli_runs_the_protocol_and_reports_bad_input(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import csv

    from click.testing import CliRunner

    from survey.cli.themes import themes_group

    data = _data(8)  # 40 answers per theme: enough to take part
    path = tmp_path / "coded.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "labels"])
        writer.writerows([t, ";".join(labels)] for t, labels in zip(data.texts, data.labels, strict=True))
    runner = CliRunner()
    ok = runner.invoke(
        themes_group,
        ["evaluate", "--fewshot", "--test", str(path), "--k", "4", "--seeds", "1", "--embeddings", "off"],
    )
    assert ok.exit_code == 0, ok.output
    assert "K=4: micro-F1 baseline" in ok.output and "Features: word, stem and character n-grams" in ok.output
    missing = runner.invoke(themes_group, ["evaluate", "--fewshot", "--test", str(tmp_path / "no.csv")])
    assert missing.exit_code == 1 and "cannot read the file" in missing.output
    assert "Traceback" not in missing.output


def test_calibration_error_is_the_weighted_gap_between_confidence_and_truth() -> None:
    import numpy as np

    from analysis.text.fewshot import calibration_error

    truth = np.array([1, 0, 1, 0, 0, 0, 0, 0, 0, 1])
    assert calibration_error(np.full(10, 0.3), truth) == pytest.approx(0.0)  # 3 in 10 true at 0.3
    assert calibration_error(np.full(10, 0.9), truth) == pytest.approx(0.6)
    # Two bins: 0.05 (none true: gap 0.05) and 0.95 (both true: gap 0.05).
    two_bins = calibration_error(np.array([0.05, 0.05, 0.95, 0.95]), np.array([0, 0, 1, 1]))
    assert two_bins == pytest.approx(0.05)
    assert calibration_error(np.array([]), np.array([])) == 0.0
    runs = run_fewshot(_data(), ks=(4,), seeds=(0,), min_examples=10)
    assert 0.0 <= runs[0].calibration_error <= 1.0 and 0.0 <= runs[0].decision_error <= 1.0
    assert "ECE calibrated" in format_fewshot(runs)
