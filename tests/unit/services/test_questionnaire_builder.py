"""The builder's dict edits: localised text, ids, moves, conditions read and written, problems located."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from survey.engine import validate_dict
from survey.services.builder_operators import ComparisonError, comparison
from survey.services.questionnaire_builder import (
    BuildError,
    BuiltCondition,
    Place,
    add_choice,
    add_question,
    blank,
    locate,
    missing_translations,
    move_question_across,
    question_types,
    read_condition,
    with_text,
    write_condition,
)


def test_the_type_list_comes_from_the_schema() -> None:
    types = dict(question_types())
    assert {"single", "multiple", "rating", "text", "number", "info"} <= set(types)
    assert types["single"] == "Choose one option (radios)"


def test_localised_text_grows_into_a_dict_and_shrinks_back() -> None:
    assert with_text("Yes", "cy", "Ie", "en") == {"en": "Yes", "cy": "Ie"}
    assert with_text({"en": "Yes", "cy": "Ie"}, "cy", "", "en") == "Yes"
    assert with_text(None, "en", "  ", "en") is None


def test_ids_and_codes_are_made_from_words_and_never_reused() -> None:
    d = blank("x", "X", "en")
    first = add_question(d, "section_1", "single", "Have you been a victim?")
    second = add_question(d, "section_1", "single", "Have you been a victim?")
    assert (first["id"], second["id"]) == ("have_you_been_a_victim", "have_you_been_a_victim_2")
    add_choice(d, first, "options", "Yes", "", "answer")
    add_choice(d, first, "options", "Prefer not to say", "", "prefer_not_to_say")
    assert first["options"] == [
        {"code": "yes", "label": "Yes"},
        {"code": "prefer_not_to_say", "label": "Prefer not to say", "kind": "prefer_not_to_say"},
    ]
    with pytest.raises(BuildError, match="already used"):
        add_choice(d, first, "options", "Yes again", "yes", "answer")
    with pytest.raises(BuildError, match="Select a type"):
        add_question(d, "section_1", "essay", "Why?")


def test_a_question_moves_across_the_section_boundary() -> None:
    d = blank("x", "X", "en")
    d["sections"].append({"id": "two", "title": "Two", "questions": []})
    add_question(d, "section_1", "text", "A")
    move_question_across(d, "a", 1)
    assert [len(s["questions"]) for s in d["sections"]] == [0, 1]
    move_question_across(d, "a", 1)  # the last place: nothing happens
    assert d["sections"][1]["questions"][0]["id"] == "a"


@pytest.mark.parametrize(
    "condition",
    [
        {"q": "a", "op": "equals", "value": "yes"},
        {"not": {"any": [{"q": "a", "op": "equals", "value": "yes"}, {"q": "b", "op": "answered"}]}},
        {"all": [{"q": "a", "op": "not_equals", "value": "no"}, {"q": "b", "op": "gt", "value": 3}]},
    ],
)
def test_conditions_the_builder_makes_read_back_unchanged(condition: dict[str, Any]) -> None:
    assert write_condition(read_condition(copy.deepcopy(condition))) == condition


def test_a_condition_of_another_shape_is_not_editable() -> None:
    nested = {"all": [{"any": [{"q": "a", "op": "answered"}]}]}
    assert read_condition(nested).editable is False
    assert write_condition(BuiltCondition("all", False, [])) is None


def test_a_comparison_must_use_an_option_or_a_number() -> None:
    question = {"id": "a", "type": "single", "options": [{"code": "yes", "label": "Yes"}]}
    assert comparison(question, "equals", "yes") == {"q": "a", "op": "equals", "value": "yes"}
    with pytest.raises(ComparisonError, match="options") as refused:
        comparison(question, "equals", "maybe")
    assert refused.value.field == "value"
    with pytest.raises(ComparisonError, match="ways listed") as wrong_op:
        comparison(question, "gt", "1")  # a single choice is not compared by size
    assert wrong_op.value.field == "op"
    with pytest.raises(ComparisonError, match="whole number"):
        comparison({"id": "n", "type": "number"}, "gt", "lots")


def test_every_problem_of_a_broken_definition_is_placed_on_a_builder_page() -> None:
    d = blank("x", "X", "en")
    q = add_question(d, "section_1", "number", "Age")
    q.update({"min": 120, "max": 16})
    add_question(d, "section_1", "single", "Empty")
    places = {p.code: locate(d, p.path, p.code) for p in validate_dict(d).errors}
    assert places["BAD_BOUNDS"] == Place("question", "age", "min")
    assert places["NO_OPTIONS"] == Place("choices", "empty", "options")
    q.update({"min": 16, "max": 120, "show_if": {"q": "nothing", "op": "answered"}})
    d["sections"][0]["questions"].pop()
    places = {p.code: locate(d, p.path, p.code) for p in validate_dict(d).errors}
    assert places["UNKNOWN_QUESTION"] == Place("condition", "age", "show_if")
    assert locate(d, "") == Place("settings", "", "sections")
    assert locate(d, "/sections/9/title") == Place("settings", "", "sections")


def test_missing_translations_are_listed_until_given() -> None:
    d = blank("x", "Title", "en")
    q = add_question(d, "section_1", "text", "Why?")
    assert [s.where for s in missing_translations(d, "cy")] == [
        "Questionnaire: title",
        "Section section_1: title",
        "Question why: text",
    ]
    q["text"] = with_text(q["text"], "cy", "Pam?", "en")
    assert len(missing_translations(d, "cy")) == 2
