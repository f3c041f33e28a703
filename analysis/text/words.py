"""Place names that never fire a theme, generic terms, and misspellings of codebook words (symspellpy).

Places (analysis/text/data/places.txt) are matched on words ("car park", "grid roads", "redway"); the
Tagger skips them unless a longer codebook phrase covers them. Misspellings: a word that is neither in
symspellpy's English frequency dictionary (82,765 words, shipped in the package) nor a codebook word, at
least 5 letters long, is looked up among the codebook's own words with SymSpell (edit distance 1, or 2 from
8 letters; first letter kept; one best candidate only): "burgarly" -> "burglary", "grafitti" -> "graffiti".
Known English words are never "corrected", so "partly" does not become "party".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources

from symspellpy import SymSpell, Verbosity

MIN_FUZZY_LENGTH = 5
LONG_WORD = 8


def _lines(name: str) -> list[str]:
    text = resources.files("analysis.text").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return [line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def places() -> tuple[tuple[str, ...], ...]:
    """Place and facility names as word sequences, longest first."""
    return tuple(sorted((tuple(p.split()) for p in _lines("places.txt")), key=len, reverse=True))


@lru_cache(maxsize=1)
def generic_terms() -> frozenset[str]:
    """Words too general to add to a theme from a suggestion."""
    return frozenset(_lines("generic-terms.txt"))


@lru_cache(maxsize=1)
def _places_by_first_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for place in places():
        first = place[0]
        index.setdefault(first, []).append(place)
        if len(place) == 1:
            index.setdefault(first + "s", []).append(place)
    return {k: tuple(v) for k, v in index.items()}


def place_starts() -> frozenset[str]:
    """The words a place name can start with (place_at is 0 at any other word)."""
    return frozenset(_places_by_first_word())


def place_at(tokens: Sequence[str], i: int) -> int:
    """Length of the place name starting at tokens[i] (a plural last word allowed), or 0."""
    candidates = _places_by_first_word().get(tokens[i])
    if not candidates:
        return 0
    for place in candidates:  # longest first
        n = len(place)
        if i + n > len(tokens):
            continue
        words = tokens[i : i + n]
        if tuple(words[:-1]) == place[:-1] and words[-1] in (place[-1], place[-1] + "s"):
            return n
    return 0


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """symspellpy's English frequency dictionary, as a set of words."""
    ref = resources.files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt")
    return frozenset(line.split(" ", 1)[0] for line in ref.read_text(encoding="utf-8").splitlines() if line)


class Speller:
    """Corrects misspellings of a fixed vocabulary (a codebook's words); build once, correct many."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self.vocabulary = frozenset(w for w in vocabulary if w.isalpha() and len(w) >= MIN_FUZZY_LENGTH - 1)
        self._speller = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word in self.vocabulary:
            self._speller.create_dictionary_entry(word, 1)
        self._known = english_words()
        self._cache: dict[str, str | None] = {}

    def correct(self, token: str) -> str | None:
        """The vocabulary word a misspelt token stands for, or None (known word, too short, no one match)."""
        if token in self._cache:
            return self._cache[token]
        result = None
        if (
            len(token) >= MIN_FUZZY_LENGTH
            and token.isalpha()
            and token not in self._known
            and token not in self.vocabulary
        ):
            distance = 2 if len(token) >= LONG_WORD else 1
            found = self._speller.lookup(token, Verbosity.CLOSEST, max_edit_distance=distance)
            same_first = [s for s in found if s.term[0] == token[0]]
            if len(same_first) == 1:
                result = same_first[0].term
        self._cache[token] = result
        return result
