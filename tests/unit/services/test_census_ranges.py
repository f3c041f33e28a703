"""Number questions' census mappings: ranges suggested by category names, checked, stored for the engine."""

from __future__ import annotations

import pytest

from survey.engine import demographic_mapping
from survey.services.census_ranges import (
    RangeRow,
    check_rows,
    mapping_words,
    range_words,
    stored_rows,
    suggest,
    suggested_rows,
    uncovered,
)

AGES = ["16-24", "25-34", "35-49", "50-64", "65+"]


@pytest.mark.parametrize(
    ("name", "numbers"),
    [
        ("16-24", (16, 24)),
        ("Aged 16 to 24", (16, 24)),
        ("aged 25 – 34 years", (25, 34)),
        ("65+", (65, None)),
        ("Aged 75 and over", (75, None)),
        ("Under 16", (None, 15)),
        ("Aged 15 and under", (None, 15)),
        ("Female", None),
        ("Owner-occupied incl. shared ownership", None),
    ],
)
def test_category_names_suggest_numbers(name: str, numbers: tuple[int | None, int | None] | None) -> None:
    assert suggest(name) == numbers


def test_suggested_rows_end_with_not_counted_and_pass_the_checks() -> None:
    rows = suggested_rows(AGES)
    assert (
        rows[0] == RangeRow("16-24", "16", "24")
        and rows[-1] == RangeRow(None)
        and rows[-1].name == "Not counted"
    )
    ranges, problems = check_rows(rows, "age_adult16plus", AGES)
    assert problems == []
    assert ranges[-1] == {"min": 65, "max": None, "category": "65+"}


def test_stored_ranges_come_back_in_the_rows_extra_ones_after() -> None:
    stored = [
        {"min": 16, "max": 24, "category": "16-24"},
        {"min": None, "max": 15, "category": None},
        {"min": 80, "max": None, "category": "65+"},
        {"min": 65, "max": 79, "category": "65+"},
        {"min": 1, "max": 2, "category": "Aged 1 to 2"},
    ]
    rows = stored_rows(["16-24", "65+"], stored)
    assert rows == [
        RangeRow("16-24", "16", "24"),
        RangeRow("65+", "80", ""),
        RangeRow(None, "", "15"),
        RangeRow("65+", "65", "79"),
        RangeRow("Aged 1 to 2", "1", "2"),
    ]


def messages(rows: list[RangeRow], known: list[str] | None = AGES) -> list[tuple[int, str, str]]:
    ranges, problems = check_rows(rows, "age_adult16plus", known)
    assert (ranges == []) == bool(problems)
    return [(p.row, p.field, p.message) for p in problems]


def test_overlaps_gaps_and_upside_down_ranges_are_named_on_their_row() -> None:
    rows = [RangeRow("16-24", "16", "24"), RangeRow("25-34", "20", "34"), RangeRow("65+", "40", "")]
    assert messages(rows) == [
        (1, "low", "16-24 (16 to 24) and 25-34 (20 to 34) overlap: 20 to 24 would count in both"),
        (
            2,
            "low",
            "No category covers 35 to 39, between 25-34 (20 to 34) and 65+ (40 or more): widen one of "
            "them, or give 35 to 39 to ‘Not counted’",
        ),
    ]
    assert messages([RangeRow("16-24", "30", "24")]) == [(0, "low", "16-24: ‘From’ 30 is more than ‘To’ 24")]
    open_ended = [RangeRow("16-24", "", "24"), RangeRow(None, "", "15")]
    assert messages(open_ended) == [
        (1, "low", "16-24 (24 or less) and Not counted (15 or less) overlap: 15 or less would count in both")
    ]
    assert messages([RangeRow("16-24", "16", "24"), RangeRow("25-34", "26", "34")])[0][2].startswith(
        "No category covers 25, between"
    )


def test_numbers_must_be_whole_and_some_category_given() -> None:
    assert messages([RangeRow("16-24", "16.5", "x")]) == [
        (0, "low", "16-24: enter a whole number in ‘From’, like 16"),
        (0, "high", "16-24: enter a whole number in ‘To’, like 16"),
    ]
    assert messages([RangeRow("16-24"), RangeRow(None)]) == [
        (0, "low", "Give the numbers of at least one census category")
    ]


def test_a_category_the_reference_population_lacks_is_named_unless_any_is_allowed() -> None:
    rows = [RangeRow("Aged 16 to 24", "16", "24")]
    [(row, field, message)] = messages(rows)
    assert (row, field) == (0, "low")
    assert message.startswith(
        "‘Aged 16 to 24’ is not a category of age_adult16plus in the reference population"
    )
    assert "(16-24, 25-34, 35-49, 50-64, 65+)" in message
    assert messages(rows, known=None) == []


def test_the_stored_ranges_are_read_by_the_engine_as_written() -> None:
    rows = [*suggested_rows(AGES)[:-1], RangeRow(None, "", "15")]
    ranges, _ = check_rows(rows, "age_adult16plus", AGES)
    mapping = demographic_mapping({"dimension": "age_adult16plus", "question": "age", "ranges": ranges})
    assert [mapping.categorise(n) for n in (10, 16, 24, 25, 70)] == [
        (None, "not_stated"),
        ("16-24", None),
        ("16-24", None),
        ("25-34", None),
        ("65+", None),
    ]


def test_words_for_ranges_and_what_they_leave_out() -> None:
    assert [range_words(16, 24), range_words(65, None), range_words(None, 15), range_words(3, 3)] == [
        "16 to 24",
        "65 or more",
        "15 or less",
        "3",
    ]
    ranges = [{"min": 16, "max": 24, "category": "16-24"}, {"min": 25, "max": 34, "category": None}]
    assert mapping_words(ranges) == "16 to 24: 16-24; 25 to 34: not counted"
    assert uncovered(ranges, 0, 120) == ["Answers 0 to 15", "Answers 35 to 120"]
    assert uncovered(ranges, None, None) == ["Answers 15 or less", "Answers 35 or more"]
    assert uncovered([{"min": None, "max": None, "category": "x"}], 0, 9) == []
