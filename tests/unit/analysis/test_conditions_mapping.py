"""Conditions (the engine's, as analysis uses them) and mapping respondents onto reference categories."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.mapping import MappingError, map_all, map_dimension, outside_breakdown, population_mask, usable
from survey.engine import demographic_mapping, evaluate, parse_condition, questions_in
from tests.unit.analysis.synthetic import AGE_RANGES, SEX_MAP, response

ANSWERS: dict[str, Any] = {
    "type": "resident",
    "age": 30,
    "subs": ["alcohol"],
    "concern": {"burglary": "very"},
}


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ({"q": "type", "op": "equals", "value": "resident"}, True),
        ({"q": "type", "op": "not_equals", "value": "resident"}, False),
        ({"q": "type", "op": "in", "value": ["business", "visitor"]}, False),
        ({"q": "type", "op": "not_in", "value": ["business", "visitor"]}, True),
        ({"q": "subs", "op": "contains", "value": "alcohol"}, True),
        ({"q": "subs", "op": "equals", "value": "alcohol"}, True),
        ({"q": "subs", "op": "in", "value": ["cannabis", "alcohol"]}, True),
        ({"q": "concern", "item": "burglary", "op": "in", "value": ["very", "fairly"]}, True),
        ({"q": "age", "op": "gte", "value": 30}, True),
        ({"q": "age", "op": "gt", "value": 30}, False),
        ({"q": "age", "op": "lt", "value": 31}, True),
        ({"q": "age", "op": "lte", "value": 29}, False),
        ({"q": "type", "op": "gt", "value": 3}, False),
        ({"q": "age", "op": "answered"}, True),
        ({"q": "missing", "op": "answered"}, False),
        # an unanswered question meets no comparison, not_equals and not_in included (as in survey.engine)
        ({"q": "missing", "op": "not_equals", "value": "x"}, False),
        ({"q": "missing", "op": "not_in", "value": ["x"]}, False),
        (
            {
                "all": [
                    {"q": "type", "op": "equals", "value": "resident"},
                    {"q": "age", "op": "lt", "value": 18},
                ]
            },
            False,
        ),
        (
            {
                "any": [
                    {"q": "type", "op": "equals", "value": "resident"},
                    {"q": "age", "op": "lt", "value": 18},
                ]
            },
            True,
        ),
        ({"not": {"q": "age", "op": "lt", "value": 18}}, True),
    ],
)
def test_evaluate(condition: dict[str, Any], expected: bool) -> None:
    assert evaluate(condition, ANSWERS) is expected


def test_questions_in_a_condition() -> None:
    cond = {
        "all": [
            {"q": "a", "op": "answered"},
            {"not": {"q": "b", "op": "answered"}},
            {"q": "a", "op": "answered"},
        ]
    }
    assert questions_in(cond) == ["a", "b"]


def test_map_codes_counts_prefer_not_to_say_unanswered_and_unknown_codes() -> None:
    rows = [
        response(1, sex="female"),
        response(2, sex="prefer_not_to_say"),
        response(3),
        response(4, sex="other"),
    ]
    mapped = map_dimension(
        rows, demographic_mapping({"dimension": "sex_age16to74", "question": "sex", "map": SEX_MAP})
    )
    assert mapped.categories == ("Female", None, None, None)
    assert mapped.reasons == (None, "not_stated", "not_answered", "unmapped")
    assert mapped.missing == {"not_answered": 1, "not_stated": 1, "unmapped": 1}
    assert mapped.counts == {"Female": 1}


def test_map_number_ranges_including_open_top_and_out_of_range() -> None:
    rows = [response(i, age=a) for i, a in enumerate([16, 24, 25, 49, 50, 64, 65, 101, 15, "x"])]
    mapped = map_dimension(
        rows, demographic_mapping({"dimension": "age_adult16plus", "question": "age", "ranges": AGE_RANGES})
    )
    assert mapped.categories == (
        "16-24",
        "16-24",
        "25-34",
        "35-49",
        "50-64",
        "50-64",
        "65+",
        "65+",
        None,
        None,
    )
    assert mapped.missing["unmapped"] == 2


def test_a_dimension_without_a_mapping_is_reported() -> None:
    with pytest.raises(MappingError, match="no demographic mapping for: ward"):
        map_all([], [demographic_mapping({"dimension": "sex", "question": "sex", "map": {}})], ["ward"])


def test_population_by_filter_or_given_per_response() -> None:
    rows = [response(1, t="resident"), response(2, t="business"), response(3)]
    filt = parse_condition({"q": "t", "op": "equals", "value": "resident"})
    assert population_mask(rows, filt) == (True, False, False)
    assert population_mask(rows, filt, in_population={1: False, 2: True, 3: True}) == (False, True, True)
    assert population_mask(rows) == (True, True, True)
    with pytest.raises(MappingError, match="no entry for response id"):
        population_mask(rows, in_population={1: True})
    assert outside_breakdown(rows, (True, False, False), filt) == {"business": 1, "not answered": 1}


def test_usable_keeps_complete_responses_unless_asked() -> None:
    rows = [response(1), response(2, status="in_progress"), {"id": 3, "answers": {}}]
    assert [r["id"] for r in usable(rows)] == [1, 3]
    assert len(usable(rows, include_incomplete=True)) == 3
