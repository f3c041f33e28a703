"""The one adapter around NLTK and VADER: tokens, stems, collocations, stopwords and tone, all offline.

NLTK, scikit-learn and VADER are imported on first use, not with this module: the staff pages and the
command line import the text stack's modules, and loading NLTK (with scikit-learn under it) costs a process
about half a second it rarely needs (a test checks that making the app loads none of them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nltk.stem.snowball import SnowballStemmer
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

# Words, numbers (e.g. "101", "20mph") and clause punctuation; apostrophes are removed before this runs.
_TOKENS = r"[a-z0-9_]+|[.,;:!?()\n]"
# NLTK 3.9 runs RegexpTokenizer through a ReDoS-guarded engine, five times slower here; this pattern cannot
# backtrack, so tokenise() uses the same pattern with the standard library (a test checks they agree).
_FAST_TOKENS = re.compile(_TOKENS)
PUNCTUATION = frozenset(".,;:!?()\n")


def tokenise(text: str) -> list[str]:
    """Split already lower-cased text into word and punctuation tokens (no data files needed)."""
    return _FAST_TOKENS.findall(text)


def nltk_tokenise(text: str) -> list[str]:
    """The same split through NLTK's RegexpTokenizer (the reference tokenise() must agree with)."""
    from nltk.tokenize import RegexpTokenizer

    tokens: list[str] = RegexpTokenizer(_TOKENS).tokenize(text)
    return tokens


@lru_cache(maxsize=1)
def _stemmer() -> SnowballStemmer:
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball (Porter 2) English stem of one lower-case word, cached: answers reuse a small vocabulary."""
    if "_" in word:
        return "_".join(str(_stemmer().stem(part)) for part in word.split("_"))
    return str(_stemmer().stem(word))


@lru_cache(maxsize=1)
def english_stopwords() -> frozenset[str]:
    """scikit-learn's English stopword list (imported on first use)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """scikit-learn's English stopword list plus the project's survey stopwords (data/stopwords-extra.txt)."""
    extra = resources.files("analysis.text").joinpath("data/stopwords-extra.txt").read_text(encoding="utf-8")
    words = {line.strip() for line in extra.splitlines() if line.strip() and not line.startswith("#")}
    return english_stopwords() | frozenset(words)


def collocations(
    documents: Iterable[Sequence[str]], *, min_count: int = 5, top: int = 200
) -> list[tuple[str, str]]:
    """Bigrams that occur together more than chance across documents (NLTK's likelihood-ratio finder)."""
    from nltk.collocations import BigramCollocationFinder
    from nltk.metrics import BigramAssocMeasures

    finder = BigramCollocationFinder.from_documents(documents)
    finder.apply_freq_filter(min_count)
    return [(a, b) for a, b in finder.nbest(BigramAssocMeasures.likelihood_ratio, top)]


@lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def tone(text: str) -> float:
    """VADER compound score in [-1, 1] (lexicon file shipped inside the vaderSentiment package)."""
    return float(_vader().polarity_scores(text)["compound"])


def tone_words() -> frozenset[str]:
    """The words of VADER's lexicon (ordinary words with a tone: "lovely", "joy", "hope")."""
    return frozenset(w for w in _vader().lexicon if w.isalpha())
