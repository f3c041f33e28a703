"""Evaluate tagging against hand-labelled answers: micro/macro F1 with bootstrap CIs, per-theme table."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from analysis.text.codebook import Codebook
from analysis.text.learning import train
from analysis.text.tagging import Tagger

BOOTSTRAP_SAMPLES = 1000
SEED = 2016


class LabelledCsvError(ValueError):
    """A labelled CSV is malformed; the message names the file and line."""


@dataclass(frozen=True)
class LabelledSet:
    """Answers and their hand-coded themes, read from a `text,labels` CSV."""

    texts: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ThemeScore:
    """Precision, recall and F1 of one theme, and its support (answers labelled with it)."""

    theme_id: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Scores:
    """Micro, macro (themes with support) and per-answer (samples) F1, and the per-theme table."""

    micro_f1: float
    macro_f1: float
    samples_f1: float
    per_theme: tuple[ThemeScore, ...]


@dataclass(frozen=True)
class Interval:
    """A point estimate and its 95% bootstrap confidence interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class EvaluationReport:
    """Scores on a test set with 95% bootstrap intervals and how the predictions were made."""

    method: str
    train_answers: int
    test_answers: int
    scores: Scores
    micro_f1: Interval
    macro_f1: Interval
    samples_f1: Interval


def read_labelled_csv(path: str | Path) -> LabelledSet:
    """Read a CSV with `text` and `labels` columns (labels separated by ';'); other columns are ignored."""
    name = str(path)
    try:
        raw = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise LabelledCsvError(f"{name}: cannot read the file: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise LabelledCsvError(f"{name}: not UTF-8 text (byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(raw, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise LabelledCsvError(f"{name}: the file is empty (expected a header line 'text,labels')")
        columns = [h.strip().lower() for h in header]
        missing = [c for c in ("text", "labels") if c not in columns]
        if missing:
            raise LabelledCsvError(
                f"{name}, line 1: missing column(s) {', '.join(missing)} "
                f"(found: {', '.join(header) or 'nothing'})"
            )
        text_col, labels_col = columns.index("text"), columns.index("labels")
        texts, labels = [], []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise LabelledCsvError(
                    f"{name}, line {reader.line_num}: {len(row)} fields, expected "
                    f"{len(header)} ({', '.join(header)}); quote texts that contain commas"
                )
            if not row[text_col].strip():
                raise LabelledCsvError(f"{name}, line {reader.line_num}: the text is empty")
            texts.append(row[text_col])
            labels.append(tuple(dict.fromkeys(t.strip() for t in row[labels_col].split(";") if t.strip())))
    except csv.Error as exc:
        raise LabelledCsvError(f"{name}, line {reader.line_num}: {exc}") from exc
    if not texts:
        raise LabelledCsvError(f"{name}: no answers after the header line")
    return LabelledSet(tuple(texts), tuple(labels))


def scores(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> Scores:
    """F1 scores of predicted against gold theme sets (themes in gold or predictions)."""
    themes = sorted({t for row in gold for t in row} | {t for row in predicted for t in row})
    y_true, y_pred = _matrices(gold, predicted, themes)
    return _scores(y_true, y_pred, themes)


def _matrices(
    gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]], themes: Sequence[str]
) -> tuple[np.ndarray, np.ndarray]:
    index = {t: j for j, t in enumerate(themes)}
    y_true = np.zeros((len(gold), len(themes)), dtype=bool)
    y_pred = np.zeros_like(y_true)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        y_true[i, [index[t] for t in g]] = True
        y_pred[i, [index[t] for t in p]] = True
    return y_true, y_pred


def _f1(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray) -> np.ndarray:
    denom = 2 * tp + fp + fn
    result: np.ndarray = np.divide(2 * tp, denom, out=np.zeros(np.shape(tp), dtype=float), where=denom > 0)
    return result


def _scores(y_true: np.ndarray, y_pred: np.ndarray, themes: Sequence[str]) -> Scores:
    tp = (y_true & y_pred).sum(axis=0)
    fp = (~y_true & y_pred).sum(axis=0)
    fn = (y_true & ~y_pred).sum(axis=0)
    support = y_true.sum(axis=0)
    f1 = _f1(tp, fp, fn)
    micro = float(_f1(tp.sum(), fp.sum(), fn.sum()))
    macro = float(f1[support > 0].mean()) if (support > 0).any() else 0.0
    a_tp = (y_true & y_pred).sum(axis=1)
    a_den = y_true.sum(axis=1) + y_pred.sum(axis=1)
    # An answer with no themes, correctly left untagged, scores 1.
    samples = (
        float(
            np.where(
                a_den > 0, np.divide(2 * a_tp, a_den, out=np.zeros(len(a_den)), where=a_den > 0), 1.0
            ).mean()
        )
        if len(a_den)
        else 0.0
    )
    table = tuple(
        ThemeScore(
            t,
            round(float(tp[j] / (tp[j] + fp[j])) if tp[j] + fp[j] else 0.0, 4),
            round(float(tp[j] / support[j]) if support[j] else 0.0, 4),
            round(float(f1[j]), 4),
            int(support[j]),
        )
        for j, t in enumerate(themes)
    )
    return Scores(round(micro, 4), round(macro, 4), round(samples, 4), table)


def bootstrap(
    gold: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    *,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = SEED,
) -> tuple[Interval, Interval, Interval]:
    """95% percentile bootstrap intervals (answers resampled) for micro, macro and per-answer F1."""
    themes = sorted({t for row in gold for t in row} | {t for row in predicted for t in row})
    y_true, y_pred = _matrices(gold, predicted, themes)
    point = _scores(y_true, y_pred, themes)
    rng = np.random.default_rng(seed)
    draws = np.empty((samples, 3))
    for b in range(samples):
        idx = rng.integers(0, len(gold), len(gold))
        s = _scores(y_true[idx], y_pred[idx], themes)
        draws[b] = (s.micro_f1, s.macro_f1, s.samples_f1)
    low, high = np.percentile(draws, [2.5, 97.5], axis=0)
    values = (point.micro_f1, point.macro_f1, point.samples_f1)
    micro, macro, per_answer = (
        Interval(v, round(float(lo), 4), round(float(hi), 4))
        for v, lo, hi in zip(values, low, high, strict=True)
    )
    return micro, macro, per_answer


def evaluate(
    test: LabelledSet,
    *,
    train_set: LabelledSet | None = None,
    codebook: Codebook | None = None,
    bootstrap_samples: int = BOOTSTRAP_SAMPLES,
    seed: int = SEED,
    semi_supervised: bool = True,
) -> EvaluationReport:
    """Predict the test answers (learned from train_set and/or by the codebook) and score them.

    `semi_supervised` (the default): the learner also sees the test answers as uncoded answers (their texts,
    never their labels), as the service learns with every answer staff have not coded: vocabulary, latent
    dimensions and self-training. False: it learns from the training answers alone."""
    if train_set is not None and train_set.texts:
        uncoded = test.texts if semi_supervised else ()
        model = train(train_set.texts, train_set.labels, codebook=codebook, uncoded=uncoded)
        predicted = model.predict(test.texts)
        method = "learned from the training answers" + (" with codebook features" if codebook else "")
        method += (
            " and the test answers' texts as uncoded answers (as the service does)"
            if semi_supervised
            else " alone (supervised only)"
        )
    elif codebook is not None:
        tagger = Tagger(codebook)
        predicted = [tagger.tag(t).theme_ids for t in test.texts]
        method = "codebook keywords and phrases only"
    else:
        raise ValueError("give training answers, a codebook, or both")
    result = scores(test.labels, predicted)
    micro, macro, per_answer = bootstrap(test.labels, predicted, samples=bootstrap_samples, seed=seed)
    return EvaluationReport(
        method, len(train_set.texts) if train_set else 0, len(test.texts), result, micro, macro, per_answer
    )


def format_report(report: EvaluationReport) -> str:
    """The report as plain text: headline F1 with intervals, then the per-theme table."""
    lines = [
        f"Method: {report.method}",
        f"Training answers: {report.train_answers}   Test answers: {report.test_answers}",
        "",
        f"{'':<16}{'F1':>7}   95% CI (bootstrap, {BOOTSTRAP_SAMPLES} resamples of answers)",
    ]
    for name, iv in (
        ("micro", report.micro_f1),
        ("macro", report.macro_f1),
        ("per answer", report.samples_f1),
    ):
        lines.append(f"{name:<16}{iv.value:>7.3f}   {iv.low:.3f} - {iv.high:.3f}")
    width = max([len("theme")] + [len(s.theme_id) for s in report.scores.per_theme])
    lines += ["", f"{'theme':<{width}}  {'precision':>9}  {'recall':>6}  {'F1':>5}  {'support':>7}"]
    for s in report.scores.per_theme:
        lines.append(
            f"{s.theme_id:<{width}}  {s.precision:>9.3f}  {s.recall:>6.3f}  {s.f1:>5.3f}  {s.support:>7}"
        )
    return "\n".join(lines)
