"""Normalisation of answers: UK variants, contractions, stems, and the scope of negations."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis.text.normalise import clean, content_terms, normalise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Anti social behaviour", "antisocial"),
        ("anti-social behavior", "antisocial"),
        ("ASB on the estate", "antisocial on the estate"),
        ("fly tipping", "flytipping"),
        ("Fly-tipping", "flytipping"),
        ("flytipping", "flytipping"),
        ("pot holes", "potholes"),
        ("speeding cars", "speeding"),
        ("Boy racers", "boyracers"),
        ("streetlights out", "street lights out"),
        ("I don't feel safe", "i do not feel safe"),
        ("they won’t stop", "they will not stop"),
        ("the red way", "the redways"),
    ],
)
def test_variants_are_normalised(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def negated_words(text: str) -> list[str]:
    norm = normalise(text)
    return [t for t, neg in zip(norm.tokens, norm.negated, strict=True) if neg]


def test_negation_covers_the_words_after_a_cue() -> None:
    assert negated_words("no burglaries round here") == ["burglaries", "round", "here"]


def test_negation_stops_at_but_and_punctuation() -> None:
    assert negated_words("no burglary but speeding is bad") == ["burglary"]
    assert negated_words("never been burgled, speeding though") == ["been", "burgled"]


def test_negation_window_is_limited() -> None:
    assert negated_words("not really bothered about it at all speeding is the issue") == [
        "really",
        "bothered",
        "about",
        "it",
    ]


def test_contracted_negation_counts() -> None:
    assert negated_words("I don't feel unsafe") == ["feel", "unsafe"]


def test_post_negation_looks_backwards() -> None:
    assert negated_words("burglary isn't a problem here, but speeding is") == ["burglary", "is"]


def test_pseudo_negations_do_not_negate() -> None:
    assert negated_words("not enough police") == []
    assert negated_words("no parking spaces") == []
    assert negated_words("no longer safe") == []
    assert negated_words("without doubt speeding") == []
    assert negated_words("never ending speeding") == []


def test_content_terms_drop_stopwords_and_negated_words() -> None:
    assert content_terms("There is no litter but the speeding cars are awful") == ["speeding", "awful"]


def test_stems_match_inflections() -> None:
    assert normalise("burglaries").stems == normalise("burglary").stems


def test_analysis_text_imports_no_web_or_database_code() -> None:
    code = (
        "import sys, analysis.text\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlmodel')\n"
        "       or m.startswith('survey.') and not m.startswith('survey.engine')]\n"
        "print(','.join(sorted(bad)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_no_nltk_download_anywhere() -> None:
    from pathlib import Path

    import analysis.text

    package = Path(analysis.text.__file__).parent
    assert not [p.name for p in package.glob("*.py") if "download(" in p.read_text(encoding="utf-8")]


def test_fast_tokeniser_agrees_with_nltk() -> None:
    from analysis.text import nlp

    samples = ["speeding on the v7, 20mph (ignored)!\nno-one cares", "ring 101; fly_tipping? yes. ok:x"]
    for text in samples:
        assert nlp.tokenise(text) == nlp.nltk_tokenise(text)
