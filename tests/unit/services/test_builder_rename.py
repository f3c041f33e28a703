"""Changing a question's id: only the references to that id change (an id that starts with it is another)."""

from __future__ import annotations

import copy

import pytest

from survey.engine import validate_dict
from survey.services.builder_rename import published_with, rename_question
from survey.services.questionnaire_builder import BuildError

DEFINITION = {
    "id": "t",
    "version": "1",
    "language": "en",
    "languages": ["en", "cy"],
    "title": "T",
    "sections": [
        {
            "id": "s",
            "title": "S",
            "questions": [
                {"id": "victim", "type": "single", "text": "V", "options": [{"code": "yes", "label": "Yes"}]},
                {
                    "id": "victim_any",
                    "type": "single",
                    "text": "W",
                    "options": [{"code": "yes", "label": "Yes"}],
                },
                {
                    "id": "why",
                    "type": "text",
                    "text": {"en": "{{victim|no}} {{ victim_any }} {{victim}}", "cy": "{{ victim }}"},
                    "show_if": {
                        "all": [
                            {"q": "victim", "op": "equals", "value": "yes"},
                            {"q": "victim_any", "op": "equals", "value": "yes"},
                        ]
                    },
                },
            ],
        }
    ],
    "x-translations-to-review": {"cy": ["questions/victim/text", "questions/victim_any/text"]},
}


def test_only_the_renamed_id_changes_not_ids_that_start_with_it() -> None:
    definition = copy.deepcopy(DEFINITION)
    renamed = rename_question(definition, "victim", "crime")
    why = definition["sections"][0]["questions"][2]
    assert why["text"] == {"en": "{{crime|no}} {{ victim_any }} {{crime}}", "cy": "{{ crime }}"}
    assert [leaf["q"] for leaf in why["show_if"]["all"]] == ["crime", "victim_any"]
    assert definition["x-translations-to-review"] == {
        "cy": ["questions/crime/text", "questions/victim_any/text"]
    }
    assert renamed.counts == {"condition": 1, "piped answer": 3, "translation to review": 1}
    assert renamed.words() == "1 condition, 3 piped answers, 1 translation to review"
    assert validate_dict(definition, "t").errors == ()


@pytest.mark.parametrize(
    ("new", "reason"),
    [
        ("", "Enter the new id"),
        ("Crime", "starts with a lower-case letter"),
        ("crime-2", "only a-z, 0-9 and _"),
        ("victim_any", "already used"),
        ("s", "already used"),
        ("victim", "already victim"),
        ("c" * 65, "64 characters or fewer"),
    ],
)
def test_an_id_that_cannot_be_used_changes_nothing(new: str, reason: str) -> None:
    definition = copy.deepcopy(DEFINITION)
    with pytest.raises(BuildError, match=reason):
        rename_question(definition, "victim", new)
    assert definition == DEFINITION


def test_the_published_versions_with_an_id_are_named() -> None:
    versions = [("1.0", DEFINITION), ("2.0", {"sections": [{"id": "s", "questions": [{"id": "other"}]}]})]
    assert published_with(versions, "victim") == ["1.0"]
    assert published_with(versions, "nope") == []
