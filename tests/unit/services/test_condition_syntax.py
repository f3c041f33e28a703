"""The readable condition syntax: parsing, printing back, and errors with a position."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from survey.services.condition_syntax import ConditionSyntaxError, condition_text, parse_condition_text
from tests.unit.services.strategies import CONDITION


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        ("victim_any = 'yes'", {"q": "victim_any", "op": "equals", "value": "yes"}),
        ("age >= 16", {"q": "age", "op": "gte", "value": 16}),
        ("age < -2", {"q": "age", "op": "lt", "value": -2}),
        ('x != "it\'s"', {"q": "x", "op": "not_equals", "value": "it's"}),
        ("types contains 'fraud'", {"q": "types", "op": "contains", "value": "fraud"}),
        ("age in (16, 17)", {"q": "age", "op": "in", "value": [16, 17]}),
        ("ward not in ('a')", {"q": "ward", "op": "not_in", "value": ["a"]}),
        ("concern[burglary] = 'very'", {"q": "concern", "item": "burglary", "op": "equals", "value": "very"}),
        ("x is answered", {"q": "x", "op": "answered"}),
        ("x is not answered", {"not": {"q": "x", "op": "answered"}}),
        (
            "a = 1 or b = 2 and c = 3",
            {
                "any": [
                    {"q": "a", "op": "equals", "value": 1},
                    {"all": [{"q": "b", "op": "equals", "value": 2}, {"q": "c", "op": "equals", "value": 3}]},
                ]
            },
        ),
        (
            "victim_any = 'yes' and not (age in ('16-24','25-34'))",
            {
                "all": [
                    {"q": "victim_any", "op": "equals", "value": "yes"},
                    {"not": {"q": "age", "op": "in", "value": ["16-24", "25-34"]}},
                ]
            },
        ),
        ("all(a = 1)", {"all": [{"q": "a", "op": "equals", "value": 1}]}),
        (
            "any(a = 1, b = 2)",
            {"any": [{"q": "a", "op": "equals", "value": 1}, {"q": "b", "op": "equals", "value": 2}]},
        ),
    ],
)
def test_parse(text: str, condition: dict[str, Any]) -> None:
    assert parse_condition_text(text) == condition


def test_groups_keep_their_nesting() -> None:
    nested = parse_condition_text("(a = 1 and b = 2) and c = 3")
    assert nested == {
        "all": [
            {"all": [{"q": "a", "op": "equals", "value": 1}, {"q": "b", "op": "equals", "value": 2}]},
            {"q": "c", "op": "equals", "value": 3},
        ]
    }
    assert condition_text(nested) == "(a = 1 and b = 2) and c = 3"


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        ("victim_any = yes", "put text values in quotes: 'yes'", 13),
        ("a = 'x' and", "expected a question id (such as victim_any), 'not' or '(', found the end", 11),
        ("a ~ 3", "'~' is not allowed here", 2),
        ("a = 'x", "text values need closing quotes", 4),
        ("a in (1,", "expected a value", 8),
        ("(a = 1", "expected ')' to close the bracket", 6),
        ("a = 1 b = 2", "expected 'and', 'or' or the end of the condition, found 'b'", 6),
        ("a is there", "expected 'answered' after 'is'", 5),
        ("a", "expected an operator", 1),
        ("", "expected a condition", 0),
    ],
)
def test_errors_say_what_and_where(text: str, message: str, position: int) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition_text(text)
    assert message in caught.value.message
    assert caught.value.position == position
    assert str(caught.value).endswith(text + "\n" + " " * position + "^")


def test_what_the_syntax_cannot_say_is_left_to_json() -> None:
    assert condition_text({"q": "a", "op": "equals", "value": "x", "$comment": "why"}) is None
    assert condition_text({"q": "and", "op": "equals", "value": "x"}) is None  # a keyword as a question id
    assert condition_text({"q": "a", "op": "equals", "value": True}) is None
    assert condition_text({"q": "a", "op": "answered", "value": 1}) is None


@settings(max_examples=300, deadline=None)
@given(condition=CONDITION)
def test_printed_conditions_read_back_unchanged(condition: dict[str, Any]) -> None:
    text = condition_text(condition)
    if text is not None:
        assert parse_condition_text(text) == condition
