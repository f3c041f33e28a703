"""Estimates for closed questions (hand-computed intervals) and breakdowns with small-cell suppression."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.estimates import Interval, breakdown, estimate_questions, wilson
from analysis.suppression import PRIMARY, SECONDARY, suppress
from survey.engine import demographic_mapping, load_dict
from tests.unit.analysis.synthetic import AGE_RANGES, SEX_MAP, questionnaire, response

MINI = load_dict(questionnaire())


def test_wilson_by_hand() -> None:
    # p = 0.5, n = 10: centre 0.5, half-width 1.96 * sqrt(0.025 + 1.96^2/400) / (1 + 1.96^2/10) = 0.2634
    got = wilson(5, 10)
    assert (got.share, got.low, got.high) == pytest.approx((0.5, 0.2366, 0.7634), abs=1e-4)
    assert wilson(0, 10).low == 0.0 and wilson(0, 10).high == pytest.approx(0.2775, abs=1e-4)
    assert wilson(0, 0) == Interval(0.0, 0.0, 0.0)


def rows() -> list[dict[str, object]]:
    return [
        response(1, safe="yes", substances=["alcohol", "cannabis"], concern={"burglary": "very"}),
        response(2, safe="yes", substances=["alcohol"], concern={"burglary": "not"}),
        response(3, safe="yes", substances=["none"], concern={"burglary": "very", "cyber": "fairly"}),
        response(4, safe="no", substances=["alcohol"]),
        response(5),  # answered none of them
        response(6, status="in_progress", safe="no"),  # not counted
    ]


def test_unweighted_and_weighted_shares_by_hand() -> None:
    weights = {1: 1.0, 2: 1.0, 3: 1.0, 4: 3.0, 5: 1.0}
    found = {(e.question, e.item): e for e in estimate_questions(rows(), MINI, weights)}
    safe = found[("safe", None)]
    assert safe.base == 4 and safe.weighted_base == 6.0
    # ESS = (sum w)^2 / sum w^2 = 36 / 12 = 3
    assert safe.effective_n == pytest.approx(3.0) and safe.low_effective_n
    yes = safe.shares[0]
    assert (yes.code, yes.count, yes.unweighted.share) == ("yes", 3, 0.75)
    assert yes.unweighted == wilson(3, 4)
    assert yes.weighted is not None and yes.weighted.share == pytest.approx(0.5)
    # linearised: var = n/(n-1) * sum(w_i^2 (y_i - p)^2) / W^2 = 5/4 * (1 + 1 + 1 + 9) * 0.25 / 36 = 5/48
    # over the n = 5 weighted respondents; the Wilson interval is on n* = p(1-p)/var = 2.4
    expected = wilson(1.2, 2.4)
    assert (yes.weighted.low, yes.weighted.high) == pytest.approx((expected.low, expected.high))


def test_multiple_choice_shares_are_of_those_who_answered() -> None:
    found = {(e.question, e.item): e for e in estimate_questions(rows(), MINI)}
    subs = found[("substances", None)]
    assert subs.base == 4
    assert {s.code: s.unweighted.share for s in subs.shares} == {
        "alcohol": 0.75,
        "cannabis": 0.25,
        "none": 0.25,
    }
    assert all(s.weighted is None for s in subs.shares)


def test_rating_items_are_estimated_separately() -> None:
    found = {(e.question, e.item): e for e in estimate_questions(rows(), MINI)}
    burglary, cyber = found[("concern", "burglary")], found[("concern", "cyber")]
    assert burglary.base == 3 and [s.count for s in burglary.shares] == [2, 0, 1]
    assert cyber.base == 1 and cyber.text.endswith("Cyber crime")
    assert ("comments", None) not in found and ("age", None) not in found  # text and number are not closed


def test_weighted_intervals_widen_with_the_design_effect() -> None:
    many = [response(i, safe="yes" if i % 2 else "no") for i in range(400)]
    even = dict.fromkeys(range(400), 1.0)
    uneven = {i: (3.0 if i < 100 else 1.0) for i in range(400)}
    (plain,) = [e for e in estimate_questions(many, MINI, even) if e.question == "safe"]
    (skewed,) = [e for e in estimate_questions(many, MINI, uneven) if e.question == "safe"]
    assert plain.effective_n == pytest.approx(400)
    assert skewed.effective_n == pytest.approx(600**2 / (100 * 9 + 300))
    w1, w2 = plain.shares[0].weighted, skewed.shares[0].weighted
    assert w1 is not None and w2 is not None
    assert (w2.high - w2.low) > (w1.high - w1.low)


def test_suppression_by_hand() -> None:
    # rows are groups, columns answers; cells under 10 are hidden, then one more per row and column
    cells = [[50, 5, 30], [40, 20, 25], [60, 30, 12]]
    mask = suppress(cells, [85, 85, 102], min_cell=10)
    assert mask.cells[0][1] == PRIMARY
    assert mask.cells[0][2] == SECONDARY  # row 0: 30 is the next smallest
    assert mask.cells[1][1] == SECONDARY  # column 1: 20 is the next smallest
    assert mask.cells[1][2] == SECONDARY  # row 1 then had one hidden cell
    assert all(m is None for m in mask.bases)
    assert_not_derivable(mask.cells, mask.bases, rows_add_up=True)


def test_small_base_hides_the_row_and_another() -> None:
    mask = suppress([[3, 2], [40, 30], [50, 60]], [5, 70, 110], min_cell=10, rows_add_up=True)
    assert mask.bases[0] == PRIMARY and mask.bases[1] == SECONDARY
    assert mask.cells[1] == (SECONDARY, SECONDARY)
    assert_not_derivable(mask.cells, mask.bases, rows_add_up=True)


def test_zero_cells_are_shown_and_multiple_choice_rows_do_not_add_up() -> None:
    mask = suppress([[0, 5, 40], [20, 30, 40]], [45, 60], min_cell=10, rows_add_up=False)
    assert mask.cells[0][0] is None
    assert mask.cells[0][1] == PRIMARY and mask.cells[1][1] == SECONDARY
    assert mask.cells[0][2] is None


def assert_not_derivable(
    cells: tuple[tuple[str | None, ...], ...], bases: tuple[str | None, ...], rows_add_up: bool
) -> None:
    """No column, the bases, or a row adding up to its shown base has exactly one hidden value."""
    for j in range(len(cells[0])):
        assert sum(cells[i][j] is not None for i in range(len(cells))) != 1
    assert sum(b is not None for b in bases) != 1
    if rows_add_up:
        for row, base in zip(cells, bases, strict=True):
            if base is None:
                assert sum(m is not None for m in row) != 1


def test_breakdown_suppresses_and_flags_small_effective_samples() -> None:
    q = MINI
    people = []
    for i in range(120):
        age = 20 if i < 8 else (40 if i < 60 else 70)
        said_no = i % 7 == 0 if i >= 60 else i % 4 == 0  # 13 of the 52 aged 35-49, 9 of the 60 aged 65+
        people.append(response(i, age=age, safe="no" if said_no else "yes", sex="female"))
    people.append(response(500, safe="yes"))  # age not stated
    weights = {r["id"]: 1.0 for r in people}
    table = breakdown(
        people,
        q,
        "safe",
        demographic_mapping({"dimension": "age_adult16plus", "question": "age", "ranges": AGE_RANGES}),
        weights,
    )
    by_group = {r.group: r for r in table.rows}
    assert list(by_group) == ["16-24", "25-34", "35-49", "50-64", "65+", "Not stated"]
    assert by_group["16-24"].base is None and by_group["16-24"].cells[0].suppressed == PRIMARY
    assert by_group["Not stated"].base is None  # 1 respondent
    assert by_group["25-34"].base == 0
    older = by_group["65+"]
    assert older.base == 60 and older.cells[1].suppressed == PRIMARY  # 9 said no
    assert older.cells[0].suppressed == SECONDARY  # else 60 - 9 would reveal it
    # 16-24 (8) and Not stated (1) are hidden whole, but the bases' total is published: together they would
    # be pinned to 0-9, so the auditor hides the next smallest base too (35-49, 52 respondents).
    middle = by_group["35-49"]
    assert middle.base is None and middle.cells[0].count is None
    assert older.effective_n == pytest.approx(60) and not older.low_effective_n
    cells = tuple(tuple(c.suppressed for c in r.cells) for r in table.rows)
    assert_not_derivable(cells, tuple(None if r.base is not None else PRIMARY for r in table.rows), True)


def test_breakdown_flags_a_group_whose_effective_sample_is_under_50() -> None:
    people = [response(i, age=40, safe="yes" if i % 2 else "no") for i in range(60)]
    weights = {i: (10.0 if i < 5 else 1.0) for i in range(60)}  # ESS = 105^2 / 555 = 19.9
    mapping = demographic_mapping({"dimension": "age_adult16plus", "question": "age", "ranges": AGE_RANGES})
    row = next(r for r in breakdown(people, MINI, "safe", mapping, weights).rows if r.group == "35-49")
    assert row.effective_n == pytest.approx(105**2 / 555) and row.low_effective_n
    assert row.cells[0].weighted_share == pytest.approx(
        (10 * 2 + 28) / 105
    )  # ids 1, 3 weigh 10; 28 more odd ids


def test_breakdown_of_an_unknown_question() -> None:
    with pytest.raises(KeyError, match="no closed"):
        breakdown(
            [],
            MINI,
            "comments",
            demographic_mapping({"dimension": "sex_age16to74", "question": "sex", "map": SEX_MAP}),
        )


def test_wilson_is_bounded() -> None:
    assert math.isclose(wilson(1, 1).high, 1.0) and wilson(1, 1).low > 0.2


@settings(deadline=None, max_examples=60)  # each example runs the integer-programming auditor
@given(
    st.lists(st.lists(st.integers(0, 40), min_size=3, max_size=3), min_size=2, max_size=6),
    st.booleans(),
)
def test_no_hidden_value_can_be_worked_out_from_a_total(table: list[list[int]], rows_add_up: bool) -> None:
    bases = [sum(row) if rows_add_up else max(row) + 5 for row in table]
    mask = suppress(table, bases, min_cell=10, rows_add_up=rows_add_up)
    assert_not_derivable(mask.cells, mask.bases, rows_add_up)
    for i, row in enumerate(table):
        for j, value in enumerate(row):
            if 0 < value < 10:
                assert mask.cells[i][j] is not None  # every small cell is hidden


def test_breakdown_has_no_group_for_an_age_range_mapped_to_not_stated() -> None:
    """A range mapped to null ("category": null) puts its respondents in Not stated; it is no group of its
    own (it was once a group named "None" that nobody could be in)."""
    ranges = [*AGE_RANGES[:-1], {"min": 65, "max": 110, "category": "65+"}, {"min": 111, "category": None}]
    mapping = demographic_mapping({"dimension": "age_adult16plus", "question": "age", "ranges": ranges})
    people = [response(i, age=40 if i else 120, safe="yes") for i in range(30)]
    table = breakdown(people, MINI, "safe", mapping)
    assert [r.group for r in table.rows] == ["16-24", "25-34", "35-49", "50-64", "65+", "Not stated"]
