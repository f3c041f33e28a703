"""Learn from hand-coded answers: per-theme logistic regression on word, stem and character n-grams.

Measured on a development set of NHS comments (bench/RESULTS.md, docs/themes.md): TF-IDF of negation-aware
stems and stem pairs, word 1-2-grams and character 2-5-grams (inside words), one class-balanced logistic
regression per theme, and a decision threshold per theme chosen by cross-validation on the coded answers.
The uncoded answers are used three ways: the IDF weights and 100 latent semantic dimensions (truncated SVD)
are fitted on coded and uncoded answers together, and two rounds of self-training add the uncoded answers
the model is already sure about as lightly weighted examples. Confidence shown to staff is calibrated
(Platt scaling on the same cross-validation folds). A codebook adds its keyword counts as features the
learner weighs against the examples (it does not override them); a theme nobody has coded yet is tagged by
the codebook. An optional sentence embedding (analysis/text/embeddings.py) adds its vector when installed.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from analysis.text import nlp
from analysis.text.codebook import Codebook
from analysis.text.embeddings import Embedder
from analysis.text.normalise import normalise
from analysis.text.tagging import ResponseId, TaggedAnswer, Tagger, ThemeMatch

if TYPE_CHECKING:
    from scipy import sparse
    from sklearn.decomposition import TruncatedSVD
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion

    from analysis.text.evaluation import ThemeScore

THRESHOLD = 0.5  # the confidence that means "tag it": each theme's own threshold is rescaled to this
MIN_POSITIVES = 2  # fewer hand-coded examples than this: the codebook (or nothing) decides the theme
THRESHOLD_GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(13))  # 0.20 .. 0.80
C = 10.0
# Fits on up to KERNEL_ROWS answers are solved in the answers' dual space (fit_logistic), exactly and fast.
KERNEL_ROWS = 300
KERNEL_STEPS = 50
KERNEL_TOLERANCE = 1e-8
# Self-training on the uncoded answers (ThemeModel._self_train): chosen on the NHS development set's few-shot
# protocol (bench/RESULTS.md) as round values, not tuned per theme or to any test answer.
PSEUDO_POSITIVE = 0.8
PSEUDO_NEGATIVE = 0.1
PSEUDO_WEIGHT = 0.3
MAX_UNCODED = 5000
SELF_TRAINING_ROUNDS = 2
MAX_CV_UNCODED = 500  # uncoded answers (a fixed sample) a cross-validation fold learns from, besides its own
# Latent semantic dimensions (truncated SVD of the TF-IDF features of coded and uncoded answers together):
# answers that share no word but whose words keep the same company come out close. 0 turns them off.
LATENT_DIMENSIONS = 100
MIN_LATENT_CORPUS = 50  # fewer answers than this: no latent dimensions (nothing to learn company from)
MAX_LATENT_ROWS = 3000  # the latent dimensions are fitted on at most this many answers (a fixed sample)


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


def _vectoriser(corpus_size: int) -> FeatureUnion:
    # Character n-grams seen only once are noise on a real corpus, but all there is on a tiny one.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    min_df = 2 if corpus_size >= 50 else 1
    return FeatureUnion(
        [
            ("stems", TfidfVectorizer(analyzer=features, sublinear_tf=True)),
            ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=min_df,
                    max_features=60000,
                ),
            ),
        ]
    )


def _classifier(c: float) -> LogisticRegression:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, class_weight="balanced", max_iter=2000)


def best_threshold(probabilities: np.ndarray, y: np.ndarray, grid: Sequence[float] = THRESHOLD_GRID) -> float:
    """The grid threshold with the best F1 of `probabilities >= t` against y (ties: the one nearest 0.5)."""
    positives = int(y.sum())

    def f1(t: float) -> tuple[float, float]:
        chosen = probabilities >= t
        tp = int((chosen & (y == 1)).sum())
        return (2 * tp / (int(chosen.sum()) + positives) if positives else 0.0, -abs(t - 0.5))

    return float(max(grid, key=f1))


def rescale(probability: np.ndarray, threshold: float) -> np.ndarray:
    """Map a theme's probabilities so that its own threshold becomes 0.5 (monotone, piecewise linear)."""
    p = np.asarray(probability, dtype=float)
    low = 0.5 * p / threshold
    high = 0.5 + 0.5 * (p - threshold) / (1.0 - threshold)
    result: np.ndarray = np.where(p < threshold, low, high)
    return result


@dataclass(frozen=True)
class Platt:
    """Platt scaling: P(coded) = 1 / (1 + exp(-(a * logit(p) + b))), fitted on out-of-fold probabilities.

    Targets are smoothed as in Platt (1999): (n+ + 1) / (n+ + 2) for the coded, 1 / (n- + 2) for the rest, so
    a handful of examples does not give certainties of 0 or 1.
    """

    a: float
    b: float

    @staticmethod
    def fit(probabilities: np.ndarray, y: np.ndarray) -> Platt | None:
        """None when y holds one class only."""
        from sklearn.linear_model import LogisticRegression

        positives, negatives = int(y.sum()), int(len(y) - y.sum())
        if not positives or not negatives:
            return None
        z = _logit(probabilities).reshape(-1, 1)
        target = np.where(y == 1, (positives + 1) / (positives + 2), 1 / (negatives + 2))
        # Soft targets as two weighted copies of each answer: one coded with weight t, one not with 1 - t.
        model = LogisticRegression(C=1e4, max_iter=1000).fit(
            np.vstack([z, z]),
            np.concatenate([np.ones(len(y), dtype=int), np.zeros(len(y), dtype=int)]),
            sample_weight=np.concatenate([target, 1 - target]),
        )
        return Platt(float(model.coef_[0, 0]), float(model.intercept_[0]))

    def __call__(self, probabilities: np.ndarray) -> np.ndarray:
        result: np.ndarray = 1.0 / (1.0 + np.exp(-(self.a * _logit(probabilities) + self.b)))
        return result


def _logit(p: np.ndarray) -> np.ndarray:
    q = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    result: np.ndarray = np.log(q / (1 - q))
    return result


def _as_model(
    coef: np.ndarray, intercept: float, n_features: int, columns: np.ndarray | None = None
) -> LogisticRegression:
    """A fitted binary LogisticRegression (classes 0 and 1) with these weights (`columns`: where they go)."""
    model = _classifier(C)
    full = np.zeros((1, n_features))
    if columns is None:
        full[0] = coef
    else:
        full[0, columns] = coef
    model.coef_, model.intercept_ = full, np.array([intercept])
    model.classes_, model.n_features_in_ = np.array([0, 1]), n_features
    return model


def _gram(x: sparse.spmatrix | np.ndarray) -> np.ndarray:
    """x @ x.T as a dense array."""
    from scipy import sparse

    product = x @ x.T
    return np.asarray(product.toarray() if sparse.issparse(product) else product, dtype=float)


def fit_logistic(
    x: sparse.spmatrix | np.ndarray,
    y: np.ndarray,
    c: float = C,
    weight: np.ndarray | None = None,
    gram: np.ndarray | None = None,
) -> LogisticRegression:
    """The class-balanced L2 logistic regression of `_classifier(c)`, solved in the answers' dual space.

    The minimum of c * sum(s_i * loss_i) + |w|^2 / 2 (s: balanced class weights times `weight`, intercept
    not penalised, as scikit-learn's) has w = x.T @ alpha with alpha_i = -c * s_i * (p_i - y_i). With a few
    hundred answers and tens of thousands of features, Newton's method on alpha and the intercept (one
    (n+1)-square linear system per step, with the Gram matrix x @ x.T) converges in a few steps to the exact
    minimum, where scikit-learn's L-BFGS needs dozens of passes over all the features to stop near it.
    `gram`: x @ x.T when already computed (a dense array). Needs both classes in y."""
    y = np.asarray(y, dtype=float)
    n = len(y)
    sw = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    positive, negative = float(sw[y == 1].sum()), float(sw[y == 0].sum())
    if not positive or not negative:
        raise ValueError("logistic regression needs answers with and without the theme")
    total = positive + negative
    s = sw * np.where(y == 1, total / (2 * positive), total / (2 * negative))
    k = _gram(x) if gram is None else gram
    alpha, b = np.zeros(n), 0.0

    def objective(alpha: np.ndarray, b: float) -> float:
        f = k @ alpha + b
        return float(c * np.sum(s * (np.logaddexp(0.0, f) - y * f)) + 0.5 * alpha @ k @ alpha)

    current = objective(alpha, b)
    for _ in range(KERNEL_STEPS):
        p = 1.0 / (1.0 + np.exp(-(k @ alpha + b)))
        r = s * (p - y)
        residual = np.concatenate([alpha + c * r, [r.sum()]])
        if np.max(np.abs(residual)) <= KERNEL_TOLERANCE:
            break
        d = s * p * (1.0 - p)
        jacobian = np.empty((n + 1, n + 1))
        jacobian[:n, :n] = c * d[:, None] * k
        jacobian[:n, :n][np.diag_indices(n)] += 1.0
        jacobian[:n, n] = c * d
        jacobian[n, :n] = d @ k
        jacobian[n, n] = d.sum()
        try:
            step = np.linalg.solve(jacobian, -residual)
        except np.linalg.LinAlgError:  # singular: the least-squares step
            step = np.linalg.lstsq(jacobian, -residual, rcond=None)[0]
        size = 1.0
        while True:  # backtracking: the step is a descent direction of the objective
            trial = objective(alpha + size * step[:n], b + size * step[n])
            if trial <= current + 1e-12 * abs(current) or size < 1e-6:
                break
            size /= 2
        if trial > current + 1e-12 * abs(current):
            break  # no step lowers the objective any more: the minimum to floating-point precision
        alpha, b, current = alpha + size * step[:n], b + size * step[n], trial
    coef = np.asarray(x.T @ alpha).ravel()
    return _as_model(coef, b, x.shape[1])


class ThemeModel:
    """Per-theme classifiers learned from hand-coded answers, optionally with a codebook and an embedder."""

    def __init__(
        self,
        theme_ids: Sequence[str],
        codebook: Codebook | None = None,
        *,
        c: float = C,
        embedder: Embedder | None = None,
        self_training: bool = True,
        latent_dimensions: int = LATENT_DIMENSIONS,
    ) -> None:
        self.theme_ids = tuple(theme_ids)
        self.self_training = self_training
        self.latent_dimensions = latent_dimensions
        self._latent: TruncatedSVD | None = None
        self.codebook = codebook
        self.c = c
        self.embedder = embedder
        self._tagger = Tagger(codebook) if codebook else None
        self._vectoriser: FeatureUnion | None = None
        # Feature rows (TF-IDF and latent) of the answers the representation was fitted on, computed once:
        # cross-validation folds and predictions on those answers look them up instead of transforming again.
        self._known: dict[str, int] = {}
        self._known_rows: sparse.csr_matrix | None = None
        self._codebook_tags: dict[str, dict[str, float]] = {}  # text -> the codebook's tags (confidence)
        self._models: dict[str, LogisticRegression | float] = {}
        self.thresholds: dict[str, float] = {}
        self.calibration: dict[str, Platt] = {}  # themes cross-validated on enough coded answers

    def _keyword_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        from scipy import sparse

        if self._tagger is None:
            return sparse.csr_matrix((len(texts), 0))
        rows = []
        for text in texts:
            counted, negated = self._tagger.keyword_counts(text)
            rows.append([min(c, 2) / 2 for c in counted] + [min(n, 1) for n in negated])
        return sparse.csr_matrix(np.array(rows, dtype=float))

    def _codebook_tags_of(self, text: str) -> dict[str, float]:
        """The codebook's tags of an answer (theme id -> confidence), kept for the answers the model was
        fitted on (self-training and cross-validation folds ask again)."""
        assert self._tagger is not None
        tags = self._codebook_tags.get(text)
        if tags is None:
            tags = {m.theme_id: m.confidence for m in self._tagger.tag(text).themes}
            if text in self._known:
                self._codebook_tags[text] = tags
        return tags

    def _embedding_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        from scipy import sparse

        if self.embedder is None:
            return sparse.csr_matrix((len(texts), 0))
        return sparse.csr_matrix(self.embedder.embed(texts))

    def _represent(self, texts: Sequence[str], words: sparse.csr_matrix | None = None) -> sparse.csr_matrix:
        """TF-IDF, latent and codebook keyword features of texts (`words`: their TF-IDF rows when already
        computed)."""
        from scipy import sparse
        from sklearn.preprocessing import normalize

        assert self._vectoriser is not None, "fit the model first"
        if words is None:
            words = self._vectoriser.transform(texts)
        latent = (
            sparse.csr_matrix(normalize(self._latent.transform(words)))
            if self._latent is not None
            else sparse.csr_matrix((len(texts), 0))
        )
        return sparse.hstack([words, latent, self._keyword_matrix(texts)], format="csr")

    def _represented(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """`_represent`, looking up the answers the representation was fitted on (the same rows)."""
        from scipy import sparse

        if self._known_rows is None:
            return self._represent(texts)
        known = [i for i, t in enumerate(texts) if t in self._known]
        if len(known) == len(texts):
            rows = np.array([self._known[t] for t in texts], dtype=np.int64)
            found: sparse.csr_matrix = self._known_rows[rows]
            return found
        unknown = [i for i, t in enumerate(texts) if t not in self._known]
        stacked = sparse.vstack(
            [
                self._known_rows[np.array([self._known[texts[i]] for i in known], dtype=np.int64)],
                self._represent([texts[i] for i in unknown]),
            ],
            format="csr",
        )
        result: sparse.csr_matrix = stacked[np.argsort(np.array(known + unknown, dtype=np.int64))]
        return result

    def _matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        from scipy import sparse

        parts = [self._represented(texts), self._embedding_matrix(texts)]
        return sparse.hstack(parts, format="csr")

    def fit_representation(self, corpus: Sequence[str]) -> ThemeModel:
        """Fit the vocabulary, IDF weights and latent dimensions on all the answers (coded and uncoded: no
        codes are used) and compute each distinct answer's feature rows once.

        A function of the answers as a multiset (they are sorted first), so it can be kept per answer set
        and reused when a code changes (`representation`). The latent dimensions are fitted on at most
        MAX_LATENT_ROWS answers (a fixed sample) in single precision, then every answer is projected."""
        from sklearn.decomposition import TruncatedSVD

        corpus = sorted(corpus)
        self._vectoriser = _vectoriser(len(corpus))
        words = self._vectoriser.fit_transform(corpus)
        self._latent = None
        if self.latent_dimensions > 0 and len(corpus) >= MIN_LATENT_CORPUS:
            dimensions = min(self.latent_dimensions, words.shape[0] - 1, words.shape[1] - 1)
            sample = words
            if words.shape[0] > MAX_LATENT_ROWS:
                rows = np.random.default_rng(0).choice(words.shape[0], MAX_LATENT_ROWS, replace=False)
                sample = words[np.sort(rows)]
            self._latent = TruncatedSVD(dimensions, random_state=0).fit(sample.astype(np.float32))
            self._latent.components_ = self._latent.components_.astype(np.float64)
        first = {t: i for i, t in reversed(list(enumerate(corpus)))}  # each distinct answer's first row
        self._known_rows = self._represent(list(first), words[list(first.values())])
        self._known = {t: i for i, t in enumerate(first)}
        self._codebook_tags = {}
        return self

    def fit(
        self,
        texts: Sequence[str],
        labels: Sequence[Sequence[str]],
        *,
        uncoded: Sequence[str] = (),
        representation_of: ThemeModel | None = None,
    ) -> ThemeModel:
        """Learn each theme from the hand-coded answers; `uncoded` answers inform the IDF weights and the
        latent dimensions and, with self-training, are added where the model is already sure (`_self_train`).

        `representation_of`: a model fitted on the same answers (coded and uncoded together, labels apart),
        and the same codebook, whose vocabulary, IDF weights, latent dimensions and feature rows are reused
        instead of fitted again (they use no codes: cross-validation folds share them)."""
        if representation_of is not None and representation_of._vectoriser is not None:
            self._vectoriser, self._latent = representation_of._vectoriser, representation_of._latent
            self._known, self._known_rows = representation_of._known, representation_of._known_rows
            self._codebook_tags = representation_of._codebook_tags
        else:
            self.fit_representation([*texts, *uncoded])
        x = self._matrix(texts)
        gram = _gram(x) if x.shape[0] <= KERNEL_ROWS else None  # shared by every theme and fold
        for theme_id in self.theme_ids:
            y = np.array([theme_id in row for row in labels], dtype=int)
            positives = int(y.sum())
            self.thresholds[theme_id] = THRESHOLD
            if positives == len(y):
                self._models[theme_id] = 1.0
            elif positives < MIN_POSITIVES:
                self._models[theme_id] = -1.0 if self._uses_codebook(theme_id) else 0.0
            else:
                self._models[theme_id] = self._fit_one(x, y, gram=gram)
                threshold, platt = self._cross_validated_threshold(x, y, gram)
                self.thresholds[theme_id] = threshold
                if platt is not None:
                    self.calibration[theme_id] = platt
        if self.self_training and uncoded:
            pool = list(dict.fromkeys(uncoded))
            if len(pool) > MAX_UNCODED:
                keep = np.random.default_rng(0).choice(len(pool), MAX_UNCODED, replace=False)
                pool = [pool[i] for i in sorted(keep)]
            x_pool = self._matrix(pool)
            for _ in range(SELF_TRAINING_ROUNDS):
                self._self_train(x, labels, pool, x_pool)
        return self

    def _self_train(
        self,
        x: sparse.csr_matrix,
        labels: Sequence[Sequence[str]],
        pool: Sequence[str],
        x_pool: sparse.csr_matrix,
    ) -> None:
        """Refit each learned theme on the coded answers plus the uncoded ones it is already sure about.

        An uncoded answer at or over PSEUDO_POSITIVE (0.5 being the theme's threshold) counts as coded with
        the theme, one at or under PSEUDO_NEGATIVE as coded without it, each with weight PSEUDO_WEIGHT (a
        coded answer weighs 1); the rest are left out. Thresholds and calibration stay those
        cross-validated on the coded answers. At most MAX_UNCODED uncoded answers are used (a fixed sample).
        """
        from scipy import sparse
        from sklearn.linear_model import LogisticRegression

        sure = self._proba(pool, x_pool)
        for j, theme_id in enumerate(self.theme_ids):
            previous = self._models[theme_id]
            if not isinstance(previous, LogisticRegression):
                continue
            y = np.array([theme_id in row for row in labels], dtype=int)
            yes = np.flatnonzero(sure[:, j] >= PSEUDO_POSITIVE)
            no = np.flatnonzero(sure[:, j] <= PSEUDO_NEGATIVE)
            if not len(yes) + len(no):
                continue
            self._models[theme_id] = self._fit_one(
                sparse.vstack([x, x_pool[yes], x_pool[no]], format="csr"),
                np.concatenate([y, np.ones(len(yes), dtype=int), np.zeros(len(no), dtype=int)]),
                np.concatenate([np.ones(len(y)), np.full(len(yes) + len(no), PSEUDO_WEIGHT)]),
                start=previous,
            )

    def _fit_one(
        self,
        x: sparse.csr_matrix,
        y: np.ndarray,
        weight: np.ndarray | None = None,
        start: LogisticRegression | None = None,
        gram: np.ndarray | None = None,
    ) -> LogisticRegression:
        """One theme's classifier; `start`: a fitted one whose weights the solver starts from (faster);
        `gram`: x @ x.T when already computed.

        Up to KERNEL_ROWS answers (the coded ones and the threshold's folds): the same regularised logistic
        regression solved exactly through the answers' Gram matrix (`fit_logistic`). More (self-training):
        L-BFGS on the columns some row of x uses (a column that is zero in every row has no data gradient,
        so its weight stays at 0 and the solution is the same); the model has all of x's columns again."""
        from sklearn.exceptions import ConvergenceWarning

        if x.shape[0] <= KERNEL_ROWS:
            return fit_logistic(x, y, self.c, weight, gram)
        n_features = x.shape[1]
        used = np.flatnonzero(np.bincount(x.indices, minlength=x.shape[1]))
        if len(used) > x.shape[1] // 2:  # few unused columns: not worth a copy of the matrix
            used = np.arange(x.shape[1])
        else:
            x = x[:, used]
        model = _classifier(self.c)
        if start is not None:
            model.warm_start = True
            model.coef_, model.intercept_ = start.coef_[:, used].copy(), start.intercept_.copy()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model.fit(x, y, sample_weight=weight)
        return _as_model(np.asarray(model.coef_[0]), float(model.intercept_[0]), n_features, used)

    def _cross_validated_threshold(
        self, x: sparse.csr_matrix, y: np.ndarray, gram: np.ndarray | None = None
    ) -> tuple[float, Platt | None]:
        """The F1-best threshold on out-of-fold probabilities, and a Platt calibration fitted on them
        (`gram`: x @ x.T when already computed)."""
        from sklearn.model_selection import StratifiedKFold

        positives = int(y.sum())
        folds = min(5, positives, len(y) - positives)
        if folds < 2:
            return THRESHOLD, None
        out_of_fold = np.zeros(len(y))
        for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
            fold_gram = gram[np.ix_(train_idx, train_idx)] if gram is not None else None
            model = self._fit_one(x[train_idx], y[train_idx], gram=fold_gram)
            out_of_fold[test_idx] = model.predict_proba(x[test_idx])[:, 1]
        return best_threshold(out_of_fold, y), Platt.fit(out_of_fold, y)

    def _uses_codebook(self, theme_id: str) -> bool:
        return self.codebook is not None and theme_id in self.codebook.theme_ids

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Confidence of each theme (columns in theme_ids order) per answer; 0.5 is the theme's threshold."""
        if not texts:
            return np.zeros((0, len(self.theme_ids)))
        return self._proba(texts, self._matrix(texts))

    def _raw(self, x: sparse.csr_matrix) -> dict[str, np.ndarray]:
        """Each learned theme's probability (its classifier's predict_proba) for the rows of x, from one
        product of x with all the themes' weights: the same sums in the same order as one product per theme
        (the same numbers), without a pass over x and scikit-learn's checks per theme."""
        from scipy.special import expit
        from sklearn.linear_model import LogisticRegression

        learned = [(t, m) for t, m in self._models.items() if isinstance(m, LogisticRegression)]
        if not learned:
            return {}
        weights = np.vstack([m.coef_ for _, m in learned])
        logits = np.asarray(x @ weights.T) + np.array([float(m.intercept_[0]) for _, m in learned])
        probability = expit(logits)
        return {theme_id: probability[:, k] for k, (theme_id, _) in enumerate(learned)}

    def _proba(
        self, texts: Sequence[str], x: sparse.csr_matrix, raw: dict[str, np.ndarray] | None = None
    ) -> np.ndarray:
        from sklearn.linear_model import LogisticRegression

        out = np.zeros((len(texts), len(self.theme_ids)))
        raw = self._raw(x) if raw is None else raw
        codebook_tags: list[dict[str, float]] | None = None
        for j, theme_id in enumerate(self.theme_ids):
            model = self._models[theme_id]
            if isinstance(model, LogisticRegression):
                out[:, j] = rescale(raw[theme_id], self.thresholds[theme_id])
            elif model >= 0:
                out[:, j] = model
            elif self._tagger is not None:
                # No coded examples yet: the codebook's keywords are all the evidence there is.
                if codebook_tags is None:
                    codebook_tags = [self._codebook_tags_of(t) for t in texts]
                out[:, j] = [tags.get(theme_id, 0.0) for tags in codebook_tags]
        return out

    def calibrated(self, texts: Sequence[str]) -> np.ndarray:
        """Per answer and theme, the estimated chance that staff would code the theme (Platt-calibrated).

        Unlike `predict_proba` (whose 0.5 is each theme's decision threshold) this is a probability: of
        answers given 0.3, about 3 in 10 carry the theme in the staff's coding, estimated on out-of-fold
        predictions of the coded answers. Themes without a calibration (too few coded answers to
        cross-validate, or decided by the codebook) keep `predict_proba`'s value.
        """
        return self.decide_and_calibrate(texts)[1]

    def decide_and_calibrate(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(`predict_proba`, `calibrated`) computed on one pass over the answers' features."""
        from sklearn.linear_model import LogisticRegression

        if not texts:
            empty = np.zeros((0, len(self.theme_ids)))
            return empty, empty
        x = self._matrix(texts)
        raw = self._raw(x)
        decision = self._proba(texts, x, raw)
        chance = decision.copy()
        for j, theme_id in enumerate(self.theme_ids):
            model, platt = self._models[theme_id], self.calibration.get(theme_id)
            if platt is not None and isinstance(model, LogisticRegression):
                chance[:, j] = platt(raw[theme_id])
        return decision, chance

    def vectors(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The answers' feature rows, each scaled to unit length (for similarity between answers)."""
        from scipy import sparse

        x = self._matrix(texts)
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ x)

    def predict(self, texts: Sequence[str], threshold: float = THRESHOLD) -> list[tuple[str, ...]]:
        """Themes whose confidence reaches the threshold, per answer."""
        proba = self.predict_proba(texts)
        return [tuple(t for t, p in zip(self.theme_ids, row, strict=True) if p >= threshold) for row in proba]


def train(
    texts: Sequence[str],
    labels: Sequence[Sequence[str]],
    *,
    codebook: Codebook | None = None,
    c: float = C,
    uncoded: Sequence[str] = (),
    embedder: Embedder | None = None,
    self_training: bool = True,
    latent_dimensions: int = LATENT_DIMENSIONS,
    representation_of: ThemeModel | None = None,
) -> ThemeModel:
    """Learn a ThemeModel from hand-coded answers (themes: those coded, plus the codebook's).

    `uncoded` answers inform the IDF weights and, with self_training, add the answers the first model is
    sure about as lightly weighted examples."""
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} answers but {len(labels)} label lists")
    if not texts:
        raise ValueError("no hand-coded answers to learn from")
    theme_ids = list(dict.fromkeys(t for row in labels for t in row))
    if codebook is not None:
        theme_ids += [t for t in codebook.theme_ids if t not in theme_ids]
    model = ThemeModel(
        theme_ids,
        codebook,
        c=c,
        embedder=embedder,
        self_training=self_training,
        latent_dimensions=latent_dimensions,
    )
    return model.fit(texts, labels, uncoded=uncoded, representation_of=representation_of)


def representation(
    corpus: Sequence[str], *, codebook: Codebook | None = None, latent_dimensions: int = LATENT_DIMENSIONS
) -> ThemeModel:
    """The features of a set of answers (vocabulary, IDF weights, latent dimensions, each answer's rows),
    fitted without codes: `train(..., representation_of=...)` and `learn_coding(..., representation=...)`
    learn from it instead of fitting their own on the same answers, so a changed code refits only the
    classifiers. The codebook (its keyword features) must be the one the model learns with."""
    model = ThemeModel((), codebook, latent_dimensions=latent_dimensions)
    return model.fit_representation(corpus)


def suggest_tags(
    model: ThemeModel, answers: Sequence[tuple[ResponseId, str]], threshold: float = THRESHOLD
) -> list[TaggedAnswer]:
    """Suggested themes for answers not yet coded by hand (those at or over each theme's threshold), each
    with its calibrated probability as confidence (ThemeModel.calibrated: the chance staff would code it)."""
    texts = [text for _, text in answers]
    proba, chance = model.decide_and_calibrate(texts)
    return [
        TaggedAnswer(
            rid,
            text,
            tuple(
                ThemeMatch(theme_id, round(float(c), 4), ())
                for theme_id, p, c in zip(model.theme_ids, row, odds, strict=True)
                if p >= threshold
            ),
        )
        for (rid, text), row, odds in zip(answers, proba, chance, strict=True)
    ]


@dataclass(frozen=True)
class Agreement:
    """How well suggestions agree with an analyst's own tags (cross-validated on the hand-coded answers)."""

    answers: int
    folds: int
    micro_f1: float
    macro_f1: float
    per_theme: tuple[tuple[str, float, int], ...]  # (theme id, F1, hand-coded support)
    scores: tuple[ThemeScore, ...] = ()  # per theme: precision, recall, F1 and support against the staff


def cross_validate(
    texts: Sequence[str],
    labels: Sequence[Sequence[str]],
    *,
    codebook: Codebook | None = None,
    folds: int = 5,
    seed: int = 0,
    uncoded: Sequence[str] = (),
) -> Agreement:
    """K-fold agreement between learned suggestions and the hand-coded tags (micro and macro F1).

    Each fold learns as the service does: its held-out answers and `uncoded` are the uncoded answers (at
    most MAX_CV_UNCODED of `uncoded`, a fixed sample, to keep the cost of a page down: fold models then see
    fewer uncoded answers than the final model, so the estimate errs low if anything)."""
    from sklearn.model_selection import KFold

    from analysis.text.evaluation import scores  # evaluation imports this module

    folds = min(folds, len(texts))
    if folds < 2:
        raise ValueError("cross-validation needs at least two hand-coded answers")
    predicted: list[tuple[str, ...]] = [()] * len(texts)
    extra = list(uncoded)
    if len(extra) > MAX_CV_UNCODED:
        sample = np.random.default_rng(seed).choice(len(extra), MAX_CV_UNCODED, replace=False)
        extra = [extra[i] for i in sorted(sample)]
    first: ThemeModel | None = None  # every fold learns from the same answers: one vocabulary and SVD
    for train_idx, test_idx in KFold(folds, shuffle=True, random_state=seed).split(np.arange(len(texts))):
        held_out = [texts[i] for i in test_idx]
        model = train(
            [texts[i] for i in train_idx],
            [labels[i] for i in train_idx],
            codebook=codebook,
            uncoded=held_out + extra,
            representation_of=first,
        )
        first = first or model
        for i, themes in zip(test_idx, model.predict(held_out), strict=True):
            predicted[i] = themes
    result = scores(labels, predicted)
    per_theme = tuple((s.theme_id, s.f1, s.support) for s in result.per_theme)
    return Agreement(len(texts), folds, result.micro_f1, result.macro_f1, per_theme, result.per_theme)


@dataclass(frozen=True)
class CodingSuggestions:
    """Suggested tags for the answers an analyst has not coded, and how far to trust them."""

    suggestions: tuple[TaggedAnswer, ...]
    agreement: Agreement | None  # None when too few answers are coded to cross-validate


@dataclass(frozen=True)
class LearnedCoding:
    """The model learned from an analyst's hand-coding and its cross-validated agreement with the staff."""

    model: ThemeModel
    agreement: Agreement | None  # None when too few answers are coded to cross-validate
    uncoded: tuple[tuple[ResponseId, str], ...]  # the answers not coded by hand, in the given order


def learn_coding(
    answers: Sequence[tuple[ResponseId, str]],
    coded: Mapping[ResponseId, Sequence[str]],
    *,
    codebook: Codebook | None = None,
    folds: int = 5,
    representation_of: ThemeModel | None = None,
) -> LearnedCoding:
    """Train on the hand-coded answers (the rest as uncoded) and cross-validate the learner on them.

    `representation_of`: `representation(...)` of the same answers with the same codebook (kept per answer
    set by the caller), so that only the classifiers are fitted; the result is the same as without it.
    `folds` below 2: no cross-validation (agreement None; the service works it out in a background job).

    The folds fit their vocabulary and latent dimensions on the answers a fold sees (at most MAX_CV_UNCODED
    uncoded ones besides its held-out answers), not the final model's: those of all the answers made every
    fold slower (more features; measured on 2,000 NHS answers with 100 coded) and its estimate lower."""
    done = [(rid, text) for rid, text in answers if rid in coded]
    if not done:
        raise ValueError("no answer has been coded by hand yet")
    texts = [text for _, text in done]
    labels = [list(coded[rid]) for rid, _ in done]
    rest = tuple((rid, text) for rid, text in answers if rid not in coded)
    uncoded = [text for _, text in rest]
    model = train(texts, labels, codebook=codebook, uncoded=uncoded, representation_of=representation_of)
    agreement = None
    if folds >= 2 and len(done) >= 2:
        agreement = cross_validate(texts, labels, codebook=codebook, folds=folds, uncoded=uncoded)
    return LearnedCoding(model, agreement, rest)


def learn_from_coding(
    answers: Sequence[tuple[ResponseId, str]],
    coded: Mapping[ResponseId, Sequence[str]],
    *,
    codebook: Codebook | None = None,
    folds: int = 5,
    threshold: float = THRESHOLD,
) -> CodingSuggestions:
    """From an analyst's hand-coding of some answers (response id -> theme ids), suggest tags for the rest."""
    return suggestions_from(learn_coding(answers, coded, codebook=codebook, folds=folds), threshold)


def suggestions_from(learned: LearnedCoding, threshold: float = THRESHOLD) -> CodingSuggestions:
    """The suggested tags of the uncoded answers and the agreement of a learned coding."""
    return CodingSuggestions(
        tuple(suggest_tags(learned.model, learned.uncoded, threshold)), learned.agreement
    )
