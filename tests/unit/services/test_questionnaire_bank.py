"""Starting a new questionnaire from a bundled one or from question-bank blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.engine import validate_dict
from survey.services.questionnaire_bank import TemplateError, bank_blocks, bundled, new_questionnaire

FOLDER = Path(__file__).parents[3] / "questionnaires"


def test_the_bank_holds_the_promised_blocks_each_valid_with_a_description() -> None:
    blocks = bank_blocks(FOLDER)
    assert {"equality", "housing", "fire", "crime-perceptions", "crime-experience"} <= set(blocks)
    for block in blocks.values():
        result = validate_dict(block.definition, block.name)
        assert result.errors == () and result.warnings == (), block.name
        assert block.description


def test_equality_block_maps_every_question_to_a_census_dimension() -> None:
    equality = bank_blocks(FOLDER)["equality"].definition
    mapped = {m["question"]: m["dimension"] for m in equality["demographics"]}
    assert mapped == {
        "sex": "sex_age16to74",
        "age": "age_adult16plus",
        "ethnic_group": "ethnic_group_5",
        "disability": "disability_all_ages",
    }


def test_new_from_blocks_is_valid_and_keeps_mappings() -> None:
    definition = new_questionnaire(
        FOLDER,
        qid="safety-2027",
        title="Community safety 2027",
        blocks=["equality", "fire", "crime-perceptions"],
    )
    result = validate_dict(definition, "new.json")
    assert result.errors == ()
    assert [w.code for w in result.warnings] == ["MISSING_TRANSLATION"]  # the new title is English only
    assert definition["id"] == "safety-2027" and definition["version"] == "0.1.0"
    assert [s["id"] for s in definition["sections"]] == ["about_you", "fire_safety", "perceptions"]
    assert len(definition["demographics"]) == 4


def test_new_from_a_bundled_questionnaire_drops_its_dates_and_identity() -> None:
    definition = new_questionnaire(
        FOLDER, qid="tenants-2027", title="Tenants 2027", template="tenant-satisfaction"
    )
    assert validate_dict(definition).errors == ()
    original = bundled(FOLDER)["tenant-satisfaction"].read_text("utf-8")
    assert definition["title"] == "Tenants 2027" and "Tenants 2027" not in original
    assert "opens" not in definition and "closes" not in definition


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"blocks": ["equality", "nope"]}, "no such block: nope"),
        ({"template": "nope"}, "there is no bundled questionnaire 'nope'"),
        ({"blocks": ["equality", "equality-copy"]}, "no such block"),
        ({}, "start from either"),
        ({"template": "safermk-2016", "blocks": ["fire"]}, "start from either"),
    ],
)
def test_bad_requests_say_why(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        new_questionnaire(FOLDER, qid="x", title="X", **kwargs)  # type: ignore[arg-type]


def test_blocks_with_the_same_ids_are_refused(tmp_path: Path) -> None:
    (tmp_path / "bank").mkdir()
    source = (FOLDER / "bank" / "fire.json").read_text("utf-8")
    (tmp_path / "bank" / "fire.json").write_text(source, "utf-8")
    (tmp_path / "bank" / "fire-again.json").write_text(source, "utf-8")
    with pytest.raises(TemplateError, match="already taken by an earlier block: fire_plan_home, fire_safety"):
        new_questionnaire(tmp_path, qid="x", title="X", blocks=["fire", "fire-again"])
