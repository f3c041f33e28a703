"""What removing part of a draft means: what goes with it, and what is left referring to it (in words, with
the place to change it); the engine then names each broken reference."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from survey.engine import validate_dict
from survey.services.builder_removal import apply_removal, plan_choice, plan_question, plan_section
from survey.services.questionnaire_builder import BuildError, Place, move_question_to, move_section_to


def definition() -> dict[str, Any]:
    """Two sections; every kind of reference to the question `victim` and its option `yes`."""
    return {
        "$schema": "./questionnaire.schema.json",
        "id": "removal",
        "version": "1",
        "language": "en",
        "title": "Removal",
        "population_filter": {"q": "victim", "op": "answered"},
        "sections": [
            {
                "id": "first",
                "title": "First",
                "questions": [
                    {
                        "id": "victim",
                        "type": "single",
                        "text": "Victim?",
                        "options": [{"code": "yes", "label": "Yes"}, {"code": "no", "label": "No"}],
                        "net": [{"codes": ["yes"], "label": "Victims"}],
                    },
                    {"id": "age", "type": "number", "text": "Age", "min": 16, "max": 120},
                    {
                        "id": "safe",
                        "type": "rating",
                        "text": "How safe",
                        "items": [{"id": "day", "text": "Day"}, {"id": "night", "text": "Night"}],
                        "scale": [{"code": "safe", "label": "Safe"}, {"code": "unsafe", "label": "Unsafe"}],
                    },
                ],
            },
            {
                "id": "second",
                "title": "Second",
                "show_if": {"not": {"q": "victim", "op": "equals", "value": "no"}},
                "questions": [
                    {
                        "id": "what",
                        "type": "text",
                        "text": "What happened, {{victim|you}}?",
                        "show_if": {
                            "all": [
                                {"q": "victim", "op": "in", "value": ["yes"]},
                                {"q": "age", "op": "gt", "value": 20},
                            ]
                        },
                        "required_if": {"q": "safe", "item": "night", "op": "equals", "value": "unsafe"},
                    },
                    {
                        "id": "where",
                        "type": "single",
                        "text": "Where",
                        "options": [
                            {"code": "home", "label": "Home"},
                            {
                                "code": "street",
                                "label": "Street",
                                "show_if": {"q": "victim", "op": "answered"},
                            },
                        ],
                        "checks": [{"when": {"q": "age", "op": "lt", "value_of": "victim"}, "message": "No"}],
                    },
                ],
            },
        ],
        "demographics": [
            {
                "dimension": "age_adult16plus",
                "question": "age",
                "ranges": [{"min": 16, "max": None, "category": "65+"}],
            },
            {"dimension": "sex_age16to74", "question": "victim", "map": {"yes": "Female", "no": "Male"}},
        ],
    }


def test_a_question_names_every_condition_piped_text_and_check_that_uses_it() -> None:
    d = definition()
    removal = plan_question(d, "victim")
    assert removal.what == "the question ‘Victim?’"
    assert [(x.words, x.place) for x in removal.dependents] == [
        (
            "When section ‘Second’ is shown: it looks at the answer to it",
            Place("condition", "second", "show_if"),
        ),
        (
            "When question ‘What happened, {{victim|you}}?’ is shown: it looks at the answer to it",
            Place("condition", "what", "show_if"),
        ),
        (
            "When option ‘Street’ of question ‘Where’ is shown: it looks at the answer to it",
            Place("choices", "where", "options"),
        ),
        (
            "A check on the answer to question ‘Where’: it looks at the answer to it",
            Place("question", "where", "checks"),
        ),
        (
            "Who the questionnaire is for (its population filter): it looks at the answer to it",
            Place("settings", "", "population_filter"),
        ),
        (
            "The text of question ‘What happened, {{victim|you}}?’ shows the answer to it",
            Place("question", "what", "text"),
        ),
    ]
    assert removal.mappings == ["The census mapping of ‘Victim?’ onto sex_age16to74 is removed with it"]
    apply_removal(d, removal)
    assert [q["id"] for q in d["sections"][0]["questions"]] == ["age", "safe"]
    assert [m["question"] for m in d["demographics"]] == ["age"]
    codes = {p.code for p in validate_dict(copy.deepcopy(d), "d").errors}
    assert "UNKNOWN_QUESTION" in codes  # the engine names what is left broken


def test_a_section_takes_its_questions_and_ignores_references_from_inside_it() -> None:
    d = definition()
    removal = plan_section(d, "second")
    assert removal.questions == ["‘What happened, {{victim|you}}?’", "‘Where’"]
    assert removal.dependents == []  # the references to victim are all inside the section (or elsewhere)
    first = plan_section(d, "first")
    assert len(first.dependents) == 7 and len(first.mappings) == 2
    assert first.dependents[-1].words.endswith("shows the answer to one of its questions")
    apply_removal(d, first)
    assert [s["id"] for s in d["sections"]] == ["second"] and "demographics" not in d


def test_an_option_names_the_comparisons_and_nets_that_use_it_and_leaves_the_mapping_whole() -> None:
    d = definition()
    removal = plan_choice(d, "victim", "options", "yes")
    assert removal.what == "the option ‘Yes’ of the question ‘Victim?’"
    assert [x.words for x in removal.dependents] == [
        "When question ‘What happened, {{victim|you}}?’ is shown: it looks at the answer ‘Yes’",
        "The net figure ‘Victims’ of this question counts it",
    ]
    assert removal.mappings == ["The census mapping onto sex_age16to74 stops counting this option"]
    apply_removal(d, removal)
    assert [o["code"] for o in d["sections"][0]["questions"][0]["options"]] == ["no"]
    assert d["demographics"][1]["map"] == {"no": "Male"}
    no = plan_choice(definition(), "victim", "options", "no")
    assert [x.words for x in no.dependents] == ["When section ‘Second’ is shown: it looks at the answer ‘No’"]


def test_a_rating_item_or_scale_point_names_the_conditions_on_it() -> None:
    d = definition()
    night = plan_choice(d, "safe", "items", "night")
    assert night.kind == "item" and [x.place for x in night.dependents] == [
        Place("question", "what", "required_if")
    ]
    assert plan_choice(d, "safe", "items", "day").dependents == []
    unsafe = plan_choice(d, "safe", "scale", "unsafe")
    assert (
        unsafe.what == "the point of the scale ‘Unsafe’ of the question ‘How safe’"
        and len(unsafe.dependents) == 1
    )
    apply_removal(d, night)
    assert [i["id"] for i in d["sections"][0]["questions"][2]["items"]] == ["day"]
    with pytest.raises(BuildError, match="no item night"):
        plan_choice(d, "safe", "items", "night")
    with pytest.raises(BuildError):
        plan_choice(d, "safe", "colours", "red")


def test_moves_to_a_place_check_the_position() -> None:
    d = definition()
    move_question_to(d, "where", "first", "1")
    assert [q["id"] for q in d["sections"][0]["questions"]] == ["where", "victim", "age", "safe"]
    move_question_to(d, "victim", "first", "4")
    assert [q["id"] for q in d["sections"][0]["questions"]] == ["where", "age", "safe", "victim"]
    move_section_to(d, "second", "1")
    assert [s["id"] for s in d["sections"]] == ["second", "first"]
    for bad in ("0", "3", "x", ""):
        with pytest.raises(BuildError, match="Choose a position from 1 to 2"):
            move_section_to(d, "first", bad)
    with pytest.raises(BuildError, match="from 1 to 2"):
        move_question_to(d, "victim", "second", "3")  # one question there: it may go first or second
    with pytest.raises(BuildError, match="There is no section nowhere"):
        move_question_to(d, "victim", "nowhere", "1")
