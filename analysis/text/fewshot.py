"""Few-shot evaluation: K coded answers per theme to learn from, the rest to score, next to a plain baseline.

The protocol of issue 14: themes with at least `min_examples` coded answers take part; for each seed and
each such theme (in a fixed order) answers coded with it are drawn until the training set holds K of them;
every other answer is a test answer. Labels of other themes are dropped from both sides. The baseline is
what an analyst would write first: scikit-learn's default TfidfVectorizer and one class-balanced
LogisticRegression per theme, tagged at probability 0.5.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.text.codebook import Codebook
from analysis.text.embeddings import Embedder
from analysis.text.evaluation import LabelledSet, scores
from analysis.text.learning import train

MIN_EXAMPLES = 40


@dataclass(frozen=True)
class FewShotRun:
    """One K and seed: sizes, micro/macro F1 of the baseline and of the learner, and the learner's speed."""

    k: int
    seed: int
    train_answers: int
    test_answers: int
    baseline_micro: float
    baseline_macro: float
    micro: float
    macro: float
    train_cpu_seconds: float
    tag_answers_per_cpu_second: float
    calibration_error: float = 0.0  # ECE of the calibrated confidence (ThemeModel.calibrated) on the test
    decision_error: float = 0.0  # ECE of predict_proba (0.5 = each theme's threshold), for comparison


def eligible_themes(labels: Sequence[Sequence[str]], min_examples: int = MIN_EXAMPLES) -> list[str]:
    """Themes coded on at least min_examples answers, sorted."""
    counts = Counter(t for row in labels for t in row)
    return sorted(t for t, n in counts.items() if n >= min_examples)


def split(
    labels: Sequence[Sequence[str]], themes: Sequence[str], k: int, seed: int
) -> tuple[list[int], list[int]]:
    """Indices of the training answers (K per theme, drawn with the seed) and of the test answers."""
    if k < 1:
        raise ValueError(f"K must be at least 1, not {k}")
    rng = np.random.default_rng(seed)
    chosen: set[int] = set()
    for theme in themes:
        have = sum(1 for i in chosen if theme in labels[i])
        pool = [i for i, row in enumerate(labels) if theme in row and i not in chosen]
        need = min(max(0, k - have), len(pool))
        chosen.update(int(i) for i in rng.choice(pool, size=need, replace=False))
    train_idx = sorted(chosen)
    return train_idx, [i for i in range(len(labels)) if i not in chosen]


def calibration_error(confidence: np.ndarray, truth: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: over equal-width confidence bins, the gap between the mean confidence and
    the share that is true, weighted by the bin's size (0 is perfectly calibrated)."""
    conf, true = np.asarray(confidence, dtype=float).ravel(), np.asarray(truth, dtype=float).ravel()
    if conf.size == 0:
        return 0.0
    which = np.minimum((conf * bins).astype(int), bins - 1)
    gap = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            gap += abs(float(conf[inside].mean()) - float(true[inside].mean())) * int(inside.sum())
    return gap / conf.size


def baseline_predict(
    train_texts: Sequence[str],
    train_labels: Sequence[Sequence[str]],
    test_texts: Sequence[str],
    themes: Sequence[str],
) -> list[tuple[str, ...]]:
    """Default TF-IDF + class-balanced logistic regression per theme, threshold 0.5."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer()
    x = vectoriser.fit_transform(train_texts)
    x_test = vectoriser.transform(test_texts)
    columns = []
    for theme in themes:
        y = np.array([theme in row for row in train_labels], dtype=int)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = LogisticRegression(class_weight="balanced").fit(x, y)
        columns.append(model.predict_proba(x_test)[:, 1] >= 0.5)
    chosen = np.column_stack(columns)
    return [tuple(t for t, on in zip(themes, row, strict=True) if on) for row in chosen]


def run_fewshot(
    data: LabelledSet,
    *,
    ks: Sequence[int] = (10, 20, 50),
    seeds: Sequence[int] = (0, 1, 2),
    min_examples: int = MIN_EXAMPLES,
    codebook: Codebook | None = None,
    embedder: Embedder | None = None,
) -> list[FewShotRun]:
    """Baseline and learner on every K and seed; the learner sees the test texts only as uncoded answers."""
    themes = eligible_themes(data.labels, min_examples)
    if not themes:
        raise ValueError(f"no theme has {min_examples} or more coded answers")
    wanted = set(themes)
    labels = [tuple(t for t in row if t in wanted) for row in data.labels]
    runs = []
    for k in ks:
        for seed in seeds:
            train_idx, test_idx = split(labels, themes, k, seed)
            train_texts = [data.texts[i] for i in train_idx]
            train_labels = [labels[i] for i in train_idx]
            test_texts = [data.texts[i] for i in test_idx]
            gold = [labels[i] for i in test_idx]
            base = scores(gold, baseline_predict(train_texts, train_labels, test_texts, themes))
            started = time.process_time()
            model = train(train_texts, train_labels, codebook=codebook, uncoded=test_texts, embedder=embedder)
            trained = time.process_time()
            predicted = [tuple(t for t in row if t in wanted) for row in model.predict(test_texts)]
            tagging = max(time.process_time() - trained, 1e-9)
            ours = scores(gold, predicted)
            columns = [model.theme_ids.index(t) for t in themes if t in model.theme_ids]
            truth = np.array([[t in row for t in themes if t in model.theme_ids] for row in gold])
            decision, chance = model.decide_and_calibrate(test_texts)
            runs.append(
                FewShotRun(
                    k,
                    seed,
                    len(train_idx),
                    len(test_idx),
                    base.micro_f1,
                    base.macro_f1,
                    ours.micro_f1,
                    ours.macro_f1,
                    round(trained - started, 2),
                    round(len(test_texts) / tagging),
                    round(calibration_error(chance[:, columns], truth), 4),
                    round(calibration_error(decision[:, columns], truth), 4),
                )
            )
    return runs


def format_fewshot(runs: Sequence[FewShotRun]) -> str:
    """A table of every run, then the mean per K (difference in points)."""
    lines = [
        f"{'K':>3} {'seed':>4} {'train':>5} {'test':>5}  {'baseline micro':>14} {'ours micro':>10}  "
        f"{'baseline macro':>14} {'ours macro':>10}  {'train CPU s':>11} {'tagged/CPU s':>12}  "
        f"{'ECE calibrated':>14} {'ECE threshold-scaled':>20}"
    ]
    for r in runs:
        lines.append(
            f"{r.k:>3} {r.seed:>4} {r.train_answers:>5} {r.test_answers:>5}  {r.baseline_micro:>14.3f} "
            f"{r.micro:>10.3f}  {r.baseline_macro:>14.3f} {r.macro:>10.3f}  {r.train_cpu_seconds:>11.2f} "
            f"{r.tag_answers_per_cpu_second:>12}  {r.calibration_error:>14.3f} {r.decision_error:>20.3f}"
        )
    lines.append("")
    for k in dict.fromkeys(r.k for r in runs):
        group = [r for r in runs if r.k == k]
        base = float(np.mean([r.baseline_micro for r in group]))
        ours = float(np.mean([r.micro for r in group]))
        lines.append(
            f"K={k}: micro-F1 baseline {base:.3f}, ours {ours:.3f} ({100 * (ours - base):+.1f} points) "
            f"over {len(group)} seeds"
        )
    return "\n".join(lines)
