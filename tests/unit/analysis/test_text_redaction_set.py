"""Redaction measured on a set of 120 answers with 129 personal items, and on ordinary text left alone.

tests/data/redaction/personal.csv: names without cue words, NHS numbers (valid check digits), dates of birth
in five formats, house numbers on many street types. tests/data/redaction/ordinary.txt: sentences with
words that look like names or titles ("Dr needs to listen", "Will the council", "Grace Road", "in May").
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.text import redact
from analysis.text.redaction import changed_words, nhs_number_valid

DATA = Path(__file__).resolve().parents[2] / "data"


def test_recall_on_the_personal_items_is_at_least_95_percent() -> None:
    with (DATA / "redaction" / "personal.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    items = [(row["text"], item) for row in rows for item in row["items"].split("|")]
    assert len(items) >= 100
    missed = [(text, item) for text, item in items if item in redact(text)]
    assert len(missed) / len(items) <= 0.05, missed


def test_under_one_percent_of_ordinary_words_change() -> None:
    texts = [
        line.strip()
        for line in (DATA / "redaction" / "ordinary.txt").read_text().splitlines()
        if line.strip()
    ]
    for name in ("train.csv", "test.csv"):
        with (DATA / "themes" / name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    words = sum(len(t.split()) for t in texts)
    changed = sum(changed_words(t, redact(t)) for t in texts)
    assert words > 3000 and changed / words < 0.01


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dr needs to listen", "Dr needs to listen"),
        ("Will the council fix it?", "Will the council fix it?"),
        ("I spoke to Will yesterday", "I spoke to [name] yesterday"),
        ("Sarah Jones on reception was lovely", "[name] on reception was lovely"),
        ("Thank you Kayleigh and Jo", "Thank you [name] and [name]"),
        ("We live in Milton Keynes", "We live in Milton Keynes"),
        ("All the staff on Cherry Ward", "All the staff on Cherry Ward"),
        ("Got Sky TV. Good meals", "Got Sky TV. Good meals"),
        ("The staff in May were brilliant", "The staff in May were brilliant"),
        ("Dr Patel was great", "Dr [name] was great"),
        ("NHS no 943 476 5919", "NHS no [NHS number]"),
        ("ref 9434765919.", "ref [NHS number]."),
        ("call 943 476 5918 not an NHS number", "call 943 476 5918 not an NHS number"),
        ("DOB 12/03/1954, still waiting", "DOB [date of birth], still waiting"),
        ("born on the 3rd of March 1954", "born on the [date of birth]"),
        ("d.o.b. 1954-08-09", "d.o.b. [date of birth]"),
        ("the fire on 12/03/2016 was awful", "the fire on 12/03/2016 was awful"),
        ("break-in at 27 Silbury Boulevard", "break-in at [number] Silbury Boulevard"),
        ("14 Saxon Gate again", "[number] Saxon Gate again"),
        ("noise from 3 Kingfisher Parade", "noise from [number] Kingfisher Parade"),
    ],
)
def test_cases(raw: str, expected: str) -> None:
    assert redact(raw) == expected


def test_nhs_check_digit() -> None:
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    assert not nhs_number_valid("943476591")
    assert not nhs_number_valid("943476591x")
