"""Discover emerging themes among answers no theme covers (NMF over TF-IDF), and act on the suggestions."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from analysis.text import nlp
from analysis.text.codebook import Codebook, Theme, with_theme
from analysis.text.normalise import content_clauses
from analysis.text.redaction import redact
from analysis.text.tagging import ResponseId


@dataclass(frozen=True)
class Suggestion:
    """A possible new theme: key terms, example answers (redacted), size, and a near-duplicate flag."""

    id: str
    label: str
    key_terms: tuple[str, ...]
    examples: tuple[str, ...]
    size: int
    response_ids: tuple[ResponseId, ...]
    duplicate_of: str | None = None
    similarity: float = 0.0


def learn_collocations(
    documents: Sequence[Sequence[str]], *, min_count: int = 5
) -> frozenset[tuple[str, str]]:
    """Word pairs that belong together in these answers ("grid roads", "dog mess")."""
    return frozenset(nlp.collocations(documents, min_count=min_count))


def join_collocations(
    tokens: Sequence[str], pairs: frozenset[tuple[str, str]], *, keep_words: bool = False
) -> list[str]:
    """Tokens with each known collocation joined into one term ("grid_roads"), its words kept if asked."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and (tokens[i], tokens[i + 1]) in pairs:
            out.append(f"{tokens[i]}_{tokens[i + 1]}")
            if keep_words:  # "late buses" and "buses late" then still share their words
                out += [tokens[i], tokens[i + 1]]
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return out


def _identity(doc: list[str]) -> list[str]:
    return doc


def suggest_themes(
    answers: Sequence[tuple[ResponseId, str]],
    *,
    min_size: int = 5,
    max_themes: int = 10,
    duplicate_threshold: float = 0.2,
    terms: int = 8,
    examples: int = 3,
    random_state: int = 0,
) -> tuple[Suggestion, ...]:
    """Suggest themes among (response id, text) answers, usually the untagged ones; drops small ones."""
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer

    if min_size < 1:
        raise ValueError("min_size must be at least 1")
    clauses = [content_clauses(text) for _, text in answers]
    pairs = learn_collocations([c for a in clauses for c in a], min_count=max(3, min_size // 2))
    documents = [[t for c in a for t in join_collocations(c, pairs, keep_words=True)] for a in clauses]
    keep = [i for i, doc in enumerate(documents) if doc]
    if len(keep) < min_size:
        return ()
    vectoriser = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True)
    try:
        matrix = vectoriser.fit_transform([documents[i] for i in keep])
    except ValueError:  # no term occurs in two answers: nothing shared to suggest
        return ()
    n_components = max(1, min(max_themes, len(keep) // min_size, matrix.shape[1]))
    model = NMF(n_components=n_components, init="nndsvda", random_state=random_state, max_iter=500)
    with warnings.catch_warnings():
        # Suggestions need a good-enough factorisation, not convergence to the last decimal.
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = model.fit_transform(matrix)
    vocabulary = vectoriser.get_feature_names_out()
    topic = weights.argmax(axis=1)
    assigned = weights.max(axis=1) > 1e-9
    found = []
    members_of: dict[int, np.ndarray] = {}
    for k in range(n_components):
        members = np.flatnonzero(assigned & (topic == k))
        if len(members) < min_size:
            continue
        top_terms = tuple(
            str(vocabulary[j]).replace("_", " ")
            for j in model.components_[k].argsort()[::-1][:terms]
            if model.components_[k][j] > 0
        )
        ranked = members[np.argsort(-weights[members, k], kind="stable")]
        quotes = tuple(dict.fromkeys(redact(" ".join(answers[keep[i]][1].split())) for i in ranked))[
            :examples
        ]
        ids = tuple(answers[keep[i]][0] for i in ranked)
        found.append((k, Suggestion("", " / ".join(top_terms[:2]), top_terms, quotes, len(members), ids)))
        members_of[k] = members
    found.sort(key=lambda item: -item[1].size)
    named = [replace(s, id=f"s{n + 1}") for n, (_, s) in enumerate(found)]
    # A suggestion's term vector: the mean TF-IDF row of its answers (shared words count, unlike NMF's parts).
    vectors = np.vstack([np.asarray(matrix[members_of[k]].mean(axis=0)) for k, _ in found]) if found else None
    return flag_duplicates(named, vectors, duplicate_threshold)


def flag_duplicates(
    suggestions: Sequence[Suggestion], vectors: np.ndarray | None, threshold: float
) -> tuple[Suggestion, ...]:
    """Mark each suggestion whose term vector is close (cosine >= threshold) to a larger one's."""
    from sklearn.metrics.pairwise import cosine_similarity

    if len(suggestions) < 2 or vectors is None:
        return tuple(suggestions)
    sims = cosine_similarity(vectors)
    flagged = list(suggestions)
    for i in range(1, len(flagged)):
        j = int(np.argmax(sims[i, :i]))
        if sims[i, j] >= threshold:
            flagged[i] = replace(
                flagged[i], duplicate_of=flagged[j].id, similarity=round(float(sims[i, j]), 3)
            )
    return tuple(flagged)


def rename_suggestion(suggestion: Suggestion, label: str) -> Suggestion:
    """The suggestion with a new label."""
    if not label.strip():
        raise ValueError("a suggestion's label cannot be empty")
    return replace(suggestion, label=label.strip())


def merge_suggestions(first: Suggestion, second: Suggestion, *, label: str | None = None) -> Suggestion:
    """One suggestion from two: terms, examples and respondents combined, the first one's id kept."""
    ids = tuple(dict.fromkeys(first.response_ids + second.response_ids))
    return Suggestion(
        first.id,
        label or first.label,
        tuple(dict.fromkeys(first.key_terms + second.key_terms)),
        tuple(dict.fromkeys(first.examples + second.examples)),
        len(ids),
        ids,
    )


def reject_suggestion(suggestions: Iterable[Suggestion], suggestion_id: str) -> tuple[Suggestion, ...]:
    """The suggestions without the rejected one (ValueError if no suggestion has that id)."""
    remaining = tuple(s for s in suggestions if s.id != suggestion_id)
    kept = list(suggestions) if not isinstance(suggestions, (list, tuple)) else suggestions
    if len(remaining) == len(kept):
        raise ValueError(f"no suggestion has the id '{suggestion_id}'")
    return remaining


def accept_suggestion(
    codebook: Codebook,
    suggestion: Suggestion,
    *,
    theme_id: str | None = None,
    label: str | None = None,
    into: str | None = None,
) -> Codebook:
    """A new codebook version with the suggestion as a new theme, or its terms added to theme `into`."""
    from analysis.text.words import generic_terms

    terms = [t for t in suggestion.key_terms if t.lower() not in generic_terms()]  # never "road", "park"
    keywords = tuple(t for t in terms if " " not in t)
    phrases = tuple(t for t in terms if " " in t)
    if into is not None:
        if into not in codebook.theme_ids:
            raise ValueError(f"the codebook has no theme '{into}' to merge the suggestion into")
        old = codebook.theme(into)
        merged = replace(
            old,
            keywords=tuple(dict.fromkeys(old.keywords + keywords)),
            phrases=tuple(dict.fromkeys(old.phrases + phrases)),
            examples=tuple(dict.fromkeys(old.examples + suggestion.examples)),
        )
        return replace(with_theme(codebook, merged), version=_minor(codebook.version))
    name = (label or suggestion.label).strip()
    new_id = theme_id or re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    if not new_id:
        raise ValueError("give the new theme an id or a label with letters in it")
    if new_id in codebook.theme_ids:
        raise ValueError(f"the codebook already has a theme '{new_id}': choose another id or merge into it")
    theme = Theme(
        new_id,
        name,
        f"Suggested from {suggestion.size} answers",
        keywords,
        (),
        phrases,
        examples=suggestion.examples,
    )
    return with_theme(codebook, theme)


def _minor(version: str) -> str:
    from analysis.text.codebook import bump_version

    return bump_version(version, "minor")
