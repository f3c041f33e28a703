"""Conditions are data: each operator against stored answers, and the boolean combinators."""

from __future__ import annotations

import json
from typing import Any

import pytest

from survey.engine import Compare, comparisons, condition_json, conjuncts, evaluate
from survey.engine.conditions import parse_condition, questions_in

ANSWERS: dict[str, Any] = {
    "tenure": "owner",
    "crimes": ["burglary", "theft"],
    "age": 42,
    "concern": {"burglary": "very"},
    "comment": "Too many cars",
}

CASES = [
    ({"q": "tenure", "op": "equals", "value": "owner"}, True),
    ({"q": "tenure", "op": "equals", "value": "renter"}, False),
    ({"q": "tenure", "op": "not_equals", "value": "renter"}, True),
    ({"q": "tenure", "op": "in", "value": ["renter", "owner"]}, True),
    ({"q": "tenure", "op": "not_in", "value": ["renter", "owner"]}, False),
    ({"q": "crimes", "op": "contains", "value": "theft"}, True),
    ({"q": "crimes", "op": "contains", "value": "arson"}, False),
    ({"q": "crimes", "op": "in", "value": ["arson", "burglary"]}, True),
    ({"q": "crimes", "op": "not_in", "value": ["arson", "burglary"]}, False),
    ({"q": "crimes", "op": "not_in", "value": ["arson"]}, True),
    ({"q": "age", "op": "gt", "value": 42}, False),
    ({"q": "age", "op": "gte", "value": 42}, True),
    ({"q": "age", "op": "lt", "value": 43}, True),
    ({"q": "age", "op": "lte", "value": 41}, False),
    ({"q": "age", "op": "equals", "value": 42}, True),
    ({"q": "age", "op": "gt", "value": "40"}, False),
    ({"q": "concern", "item": "burglary", "op": "in", "value": ["fairly", "very"]}, True),
    ({"q": "concern", "item": "cyber", "op": "answered"}, False),
    ({"q": "concern", "op": "answered"}, True),
    ({"q": "comment", "op": "answered"}, True),
    ({"q": "missing", "op": "answered"}, False),
    # Every comparison on an unanswered question is false, not_equals and not_in included.
    ({"q": "missing", "op": "not_equals", "value": "yes"}, False),
    ({"q": "missing", "op": "not_in", "value": ["yes"]}, False),
    ({"not": {"q": "missing", "op": "equals", "value": "yes"}}, True),
    (
        {"all": [{"q": "tenure", "op": "equals", "value": "owner"}, {"q": "age", "op": "gte", "value": 18}]},
        True,
    ),
    (
        {"all": [{"q": "tenure", "op": "equals", "value": "owner"}, {"q": "age", "op": "gte", "value": 50}]},
        False,
    ),
    ({"any": [{"q": "tenure", "op": "equals", "value": "x"}, {"q": "age", "op": "gte", "value": 18}]}, True),
    ({"any": [{"q": "tenure", "op": "equals", "value": "x"}, {"q": "age", "op": "gte", "value": 50}]}, False),
    ({"not": {"any": [{"q": "tenure", "op": "equals", "value": "x"}]}}, True),
]


@pytest.mark.parametrize(("condition", "expected"), CASES)
def test_operators(condition: dict[str, Any], expected: bool) -> None:
    assert evaluate(condition, ANSWERS) is expected
    assert evaluate(parse_condition(condition), ANSWERS) is expected


def test_no_condition_is_always_true() -> None:
    assert evaluate(None, {}) is True


def test_empty_answers_do_not_count_as_answered() -> None:
    for empty in ("", [], {}, None):
        assert evaluate({"q": "x", "op": "answered"}, {"x": empty}) is False


def test_an_unknown_operator_is_false_never_an_exception() -> None:
    assert evaluate({"q": "tenure", "op": "matches", "value": ".*"}, ANSWERS) is False


def test_questions_in_a_condition_in_order_of_mention() -> None:
    condition = parse_condition(
        {"all": [{"q": "a", "op": "answered"}, {"not": {"q": "b", "op": "answered"}}]}
    )
    assert questions_in(condition) == ["a", "b"]


NESTED: dict[str, Any] = {
    "all": [
        {"q": "type", "op": "equals", "value": "resident"},
        {"all": [{"q": "area", "op": "in", "value": ["mk", "ol"]}]},
        {"any": [{"q": "age", "op": "gte", "value": 16}, {"q": "carer", "op": "answered"}]},
        {"not": {"q": "moved", "op": "equals", "value": "yes"}},
        {"q": "concern", "item": "burglary", "op": "equals", "value_of": "worry"},
    ]
}


def test_comparisons_are_every_leaf_in_order_json_or_typed() -> None:
    expected = (
        Compare("type", "equals", "resident"),
        Compare("area", "in", ("mk", "ol")),
        Compare("age", "gte", 16),
        Compare("carer", "answered"),
        Compare("moved", "equals", "yes"),
        Compare("concern", "equals", None, item="burglary", value_of="worry"),
    )
    assert comparisons(NESTED) == expected
    assert comparisons(parse_condition(NESTED)) == expected
    assert comparisons({"q": "a", "op": "answered"}) == (Compare("a", "answered"),)
    assert comparisons(None) == ()


def test_conjuncts_are_the_comparisons_every_match_meets() -> None:
    # Under `any` or `not` a comparison need not hold; under (nested) `all` it must.
    assert conjuncts(NESTED) == (
        Compare("type", "equals", "resident"),
        Compare("area", "in", ("mk", "ol")),
        Compare("concern", "equals", None, item="burglary", value_of="worry"),
    )
    assert conjuncts(parse_condition(NESTED)) == conjuncts(NESTED)
    assert conjuncts({"q": "a", "op": "equals", "value": "x"}) == (Compare("a", "equals", "x"),)
    assert conjuncts({"any": [{"q": "a", "op": "answered"}]}) == ()
    assert conjuncts({"not": {"q": "a", "op": "answered"}}) == ()
    assert conjuncts(None) == ()


def test_a_typed_condition_turns_back_into_json_with_its_keys_in_the_published_order() -> None:
    nested = {
        "all": [
            {"q": "tenure", "op": "in", "value": ["renter", "owner"]},
            {"any": [{"q": "concern", "op": "equals", "value": "very", "item": "burglary"}]},
            {"not": {"q": "age", "op": "gt", "value_of": "min_age"}},
            {"q": "comment", "op": "answered"},
        ]
    }
    for condition in [nested, *(c for c, _ in CASES)]:
        assert condition_json(parse_condition(condition)) == condition
    # keys in the order q, op, value, item, value_of (as a report publishes it)
    assert json.dumps(condition_json(parse_condition(nested))) == json.dumps(nested)


@pytest.mark.parametrize("condition", [c for c, _ in CASES])
def test_a_typed_condition_turns_back_into_the_json_it_was_read_from(condition: dict[str, Any]) -> None:
    assert condition_json(parse_condition(condition)) == condition
    across = {"q": "age", "op": "gt", "value_of": "limit"}
    nested = {"all": [condition, {"any": [{"not": condition}, across]}]}
    assert condition_json(parse_condition(nested)) == nested


def test_an_editors_comment_in_a_condition_is_not_written_back() -> None:
    """`$comment` is for the questionnaire's editors: a condition a report publishes (its routing links,
    through condition_json) leaves it out."""
    written = {"all": [{"q": "tenure", "op": "in", "value": ["renter"], "$comment": "renters only"}]}
    assert condition_json(parse_condition(written)) == {
        "all": [{"q": "tenure", "op": "in", "value": ["renter"]}]
    }
