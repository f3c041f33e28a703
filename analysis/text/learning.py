"""Learn from hand-coded answers: one-vs-rest logistic regression on TF-IDF plus codebook keyword features."""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from analysis.text import nlp
from analysis.text.codebook import Codebook
from analysis.text.normalise import normalise
from analysis.text.tagging import ResponseId, TaggedAnswer, Tagger, ThemeMatch

THRESHOLD = 0.5
MIN_POSITIVES = 2  # fewer hand-coded examples than this: the codebook (or nothing) decides the theme


def features(text: str) -> list[str]:
    """Stems (negated ones prefixed "not_") and adjacent stem pairs: the TF-IDF terms of an answer."""
    norm = normalise(text)
    stop = nlp.stopwords()
    words = [
        ("not_" if neg else "") + stem
        for token, stem, neg in zip(norm.tokens, norm.stems, norm.negated, strict=True)
        if token not in nlp.PUNCTUATION and token not in stop
    ]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


class ThemeModel:
    """Per-theme classifiers learned from hand-coded answers, optionally helped by a codebook."""

    def __init__(
        self, theme_ids: Sequence[str], codebook: Codebook | None = None, *, c: float = 10.0
    ) -> None:
        self.theme_ids = tuple(theme_ids)
        self.codebook = codebook
        self.c = c
        self._tagger = Tagger(codebook) if codebook else None
        self._vectoriser = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=1)
        self._models: dict[str, LogisticRegression | float] = {}

    def _keyword_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        if self._tagger is None:
            return sparse.csr_matrix((len(texts), 0))
        rows = []
        for text in texts:
            counted, negated = self._tagger.keyword_counts(text)
            rows.append([min(c, 2) / 2 for c in counted] + [min(n, 1) for n in negated])
        return sparse.csr_matrix(np.array(rows, dtype=float))

    def _matrix(self, texts: Sequence[str], fit: bool = False) -> sparse.csr_matrix:
        tfidf = self._vectoriser.fit_transform(texts) if fit else self._vectoriser.transform(texts)
        return sparse.hstack([tfidf, self._keyword_matrix(texts)], format="csr")

    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> ThemeModel:
        """Learn each theme from the hand-coded answers."""
        x = self._matrix(texts, fit=True)
        for theme_id in self.theme_ids:
            y = np.array([theme_id in row for row in labels], dtype=int)
            positives = int(y.sum())
            if positives == len(y):
                self._models[theme_id] = 1.0
            elif positives < MIN_POSITIVES:
                self._models[theme_id] = -1.0 if self._uses_codebook(theme_id) else 0.0
            else:
                model = LogisticRegression(C=self.c, class_weight="balanced", max_iter=2000)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    self._models[theme_id] = model.fit(x, y)
        return self

    def _uses_codebook(self, theme_id: str) -> bool:
        return self.codebook is not None and theme_id in self.codebook.theme_ids

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each theme (columns in theme_ids order) for each answer."""
        x = self._matrix(texts)
        out = np.zeros((len(texts), len(self.theme_ids)))
        codebook_tags: list[dict[str, float]] | None = None
        if self._tagger is not None:
            codebook_tags = [{m.theme_id: m.confidence for m in self._tagger.tag(t).themes} for t in texts]
        for j, theme_id in enumerate(self.theme_ids):
            model = self._models[theme_id]
            if isinstance(model, LogisticRegression):
                out[:, j] = model.predict_proba(x)[:, 1]
            elif model >= 0:
                out[:, j] = model
            if codebook_tags is not None and self._uses_codebook(theme_id):
                # A codebook match stands even where examples disagree: examples add recall, keywords stay.
                out[:, j] = np.maximum(out[:, j], [tags.get(theme_id, 0.0) for tags in codebook_tags])
        return out

    def predict(self, texts: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[str, ...]]:
        """Themes whose probability reaches the threshold, per answer."""
        proba = self.predict_proba(texts)
        return [tuple(t for t, p in zip(self.theme_ids, row, strict=True) if p >= threshold) for row in proba]


def train(
    texts: Sequence[str],
    labels: Sequence[Sequence[str]],
    *,
    codebook: Codebook | None = None,
    c: float = 10.0,
) -> ThemeModel:
    """Learn a ThemeModel from hand-coded answers (themes: those coded, plus the codebook's)."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} answers but {len(labels)} label lists")
    if not texts:
        raise ValueError("no hand-coded answers to learn from")
    theme_ids = list(dict.fromkeys(t for row in labels for t in row))
    if codebook is not None:
        theme_ids += [t for t in codebook.theme_ids if t not in theme_ids]
    return ThemeModel(theme_ids, codebook, c=c).fit(texts, labels)


def suggest_tags(
    model: ThemeModel, answers: Sequence[tuple[ResponseId, str]], threshold: float = THRESHOLD
) -> list[TaggedAnswer]:
    """Suggested themes for answers not yet coded by hand, with the model's probability as confidence."""
    proba = model.predict_proba([text for _, text in answers])
    return [
        TaggedAnswer(
            rid,
            text,
            tuple(
                ThemeMatch(theme_id, round(float(p), 4), ())
                for theme_id, p in zip(model.theme_ids, row, strict=True)
                if p >= threshold
            ),
        )
        for (rid, text), row in zip(answers, proba, strict=True)
    ]


@dataclass(frozen=True)
class Agreement:
    """How well suggestions agree with an analyst's own tags (cross-validated on the hand-coded answers)."""

    answers: int
    folds: int
    micro_f1: float
    macro_f1: float
    per_theme: tuple[tuple[str, float, int], ...]  # (theme id, F1, hand-coded support)


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[Sequence[str]],
    *,
    codebook: Codebook | None = None,
    folds: int = 5,
    seed: int = 0,
) -> Agreement:
    """K-fold agreement between learned suggestions and the hand-coded tags (micro and macro F1)."""
    from analysis.text.evaluation import scores

    folds = min(folds, len(texts))
    if folds < 2:
        raise ValueError("cross-validation needs at least two hand-coded answers")
    predicted: list[tuple[str, ...]] = [()] * len(texts)
    for train_idx, test_idx in KFold(folds, shuffle=True, random_state=seed).split(np.arange(len(texts))):
        model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx], codebook=codebook)
        for i, themes in zip(test_idx, model.predict([texts[i] for i in test_idx]), strict=True):
            predicted[i] = themes
    result = scores(labels, predicted)
    per_theme = tuple((s.theme_id, s.f1, s.support) for s in result.per_theme)
    return Agreement(len(texts), folds, result.micro_f1, result.macro_f1, per_theme)


@dataclass(frozen=True)
class CodingSuggestions:
    """Suggested tags for the answers an analyst has not coded, and how far to trust them."""

    suggestions: tuple[TaggedAnswer, ...]
    agreement: Agreement | None  # None when too few answers are coded to cross-validate


def learn_from_coding(
    answers: Sequence[tuple[ResponseId, str]],
    coded: Mapping[ResponseId, Sequence[str]],
    *,
    codebook: Codebook | None = None,
    folds: int = 5,
    threshold: float = THRESHOLD,
) -> CodingSuggestions:
    """From an analyst's hand-coding of some answers (response id -> theme ids), suggest tags for the rest."""
    done = [(rid, text) for rid, text in answers if rid in coded]
    if not done:
        raise ValueError("no answer has been coded by hand yet")
    texts = [text for _, text in done]
    labels = [list(coded[rid]) for rid, _ in done]
    model = train(texts, labels, codebook=codebook)
    rest = [(rid, text) for rid, text in answers if rid not in coded]
    agreement = cross_validate(texts, labels, codebook=codebook, folds=folds) if len(done) >= 2 else None
    return CodingSuggestions(tuple(suggest_tags(model, rest, threshold)), agreement)
