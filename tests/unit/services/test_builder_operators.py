"""The builder's condition operators follow the engine's table of what each question type allows, and every
comparison the builder makes passes the engine's checks."""

from __future__ import annotations

from typing import Any

import pytest

from survey.engine import validate_dict
from survey.engine.semantic import ALLOWED_OPERATORS
from survey.services.builder_operators import (
    ComparisonError,
    comparison,
    operator_words,
    operators_for,
    value_kind,
)
from survey.services.questionnaire_builder import add_choice, add_question, blank, describe_condition

TYPES = ("single", "multiple", "number", "decimal", "money", "date", "postcode", "text", "rating", "consent")
VALUES = {"option": "yes", "number": "18", "date": "2020-01-01", "postcode": "mk9 3", "": ""}


def _with(qtype: str) -> tuple[dict[str, Any], dict[str, Any]]:
    d = blank("x", "X", "en")
    q = add_question(d, "section_1", qtype, "First")
    if qtype in ("single", "multiple"):
        add_choice(d, q, "options", "Yes", "", "answer")
        add_choice(d, q, "options", "No", "", "answer")
    if qtype == "rating":
        add_choice(d, q, "items", "Bins", "", "answer")
        add_choice(d, q, "scale", "Good", "", "answer")
    add_question(d, "section_1", "text", "Second")
    return d, q


def test_only_operators_the_engine_allows_are_offered() -> None:
    for qtype in TYPES:
        offered = {op for op, _ in operators_for({"type": qtype})}
        assert offered and offered <= ALLOWED_OPERATORS[qtype], qtype
    assert [op for op, _ in operators_for({"type": "single"})] == ["equals", "not_equals", "answered"]
    assert [op for op, _ in operators_for({"type": "multiple"})] == ["contains", "answered"]
    assert "equals" not in {op for op, _ in operators_for({"type": "decimal"})}
    assert operators_for({"type": "info"}) == []
    assert operator_words("date", "gt") == "is after" and operator_words("number", "gt") == "is more than"


@pytest.mark.parametrize("qtype", TYPES)
def test_every_offered_comparison_passes_the_engines_checks(qtype: str) -> None:
    for op, _ in operators_for({"type": qtype}):
        d, q = _with(qtype)
        value = "" if op == "answered" else VALUES[value_kind(q)]
        d["sections"][0]["questions"][1]["show_if"] = comparison(q, op, value)
        result = validate_dict(d, "draft")
        assert [p.code for p in result.errors] == [], (qtype, op)


def test_values_are_checked_as_their_type_needs() -> None:
    cases: list[tuple[dict[str, Any], str, str, str, str]] = [
        ({"id": "a", "type": "number"}, "gt", "18.5", "number", "whole number"),
        ({"id": "a", "type": "date"}, "lt", "2027-02-30", "date", "real date"),
        ({"id": "a", "type": "date"}, "lt", "31/03/2027", "date", "real date"),
        ({"id": "a", "type": "postcode"}, "equals", "Milton Keynes", "postcode", "first half of a postcode"),
        ({"id": "a", "type": "multiple", "options": []}, "contains", "x", "value", "options"),
        ({"id": "a", "type": "text"}, "equals", "x", "op", "ways listed"),
    ]
    for question, op, value, field, words in cases:
        with pytest.raises(ComparisonError, match=words) as refused:
            comparison(question, op, value)
        assert refused.value.field == field
    assert comparison({"id": "a", "type": "postcode"}, "equals", " mk9 ")["value"] == "MK9"


def test_a_date_rule_is_described_in_date_words() -> None:
    d, q = _with("date")
    leaf = comparison(q, "gte", "2027-01-01")
    assert describe_condition(d, leaf) == "Shown when ‘First’ is on or after ‘2027-01-01’"


@pytest.mark.parametrize(
    ("qtype", "op", "value"),
    [("date", "gt", "2000-01-01"), ("date", "lt", "1999-12-31"), ("postcode", "not_equals", "MK9")],
)
def test_rules_on_the_engines_own_example_answers_are_reachable(qtype: str, op: str, value: str) -> None:
    d, q = _with(qtype)
    d["sections"][0]["questions"][1]["show_if"] = comparison(q, op, value)
    assert [p.code for p in validate_dict(d, "draft").errors] == []


def test_engine_messages_are_put_in_the_builders_words() -> None:
    from survey.services.builder_words import in_builder_words

    d, q = _with("number")
    d["demographics"] = [{"dimension": "age", "question": q["id"], "map": {"x": "y"}}]
    found = {p.code: in_builder_words(p, d) for p in validate_dict(d, "draft").errors}
    mismatch = found["MAPPING_MISMATCH"]
    assert mismatch.message == (
        "the mapping for ‘age’ needs a mapping of options onto categories or number ranges (From and To) to "
        "fit question 1.1 ‘First’, a number question"
    )
    assert "'map'" not in mismatch.advice and "'ranges'" not in mismatch.advice
    assert mismatch.code == "MAPPING_MISMATCH" and mismatch.path == "/demographics/0"
