"""Codebooks: the shipped default, validation errors with paths, saving, versions, starters."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analysis.text.codebook import (
    CodebookError,
    Theme,
    bump_version,
    codebook_from_descriptions,
    codebook_to_dict,
    default_codebook,
    load_codebook,
    save_codebook,
    validate_codebook_dict,
    with_theme,
)

REQUIRED_THEMES = {
    "burglary",
    "anti_social_behaviour",
    "drugs_alcohol",
    "road_safety",
    "parking",
    "litter_fly_tipping",
    "street_lighting",
    "police_visibility",
    "violence",
    "young_people",
    "noise",
    "vandalism",
    "cyber_crime",
}


def minimal() -> dict[str, Any]:
    return {
        "id": "cb",
        "version": "1.0.0",
        "themes": [{"id": "noise", "label": "Noise", "keywords": ["loud"]}],
    }


def test_default_codebook_has_the_required_themes() -> None:
    codebook = default_codebook()
    assert REQUIRED_THEMES <= set(codebook.theme_ids)
    assert codebook.version == "1.0.0"
    assert all(t.examples and t.description for t in codebook.themes)


def messages(data: Any) -> list[str]:
    return [f"{p.path}: {p.message}" for p in validate_codebook_dict(data)]


def test_valid_codebook_has_no_problems() -> None:
    assert messages(minimal()) == []


def test_missing_label_is_reported_with_its_path() -> None:
    data = minimal()
    del data["themes"][0]["label"]
    assert messages(data) == ["/themes/0: 'label' is a required property"]


def test_bad_version_and_unknown_field() -> None:
    data = minimal()
    data["version"] = "one"
    data["themes"][0]["colour"] = "red"
    found = messages(data)
    assert "/version: 'one' does not match '^(\\\\d+)\\\\.(\\\\d+)\\\\.(\\\\d+)$'" in found
    assert any(m.startswith("/themes/0: Additional properties are not allowed ('colour'") for m in found)


def test_duplicate_theme_ids() -> None:
    data = minimal()
    data["themes"].append({"id": "noise", "label": "Again", "keywords": ["music"]})
    assert messages(data) == ["/themes/1/id: duplicate theme id 'noise' (also /themes/0)"]


def test_theme_without_terms_and_exempt_term_not_in_theme() -> None:
    data = minimal()
    data["themes"].append({"id": "empty", "label": "Empty", "negation_exempt": ["loud"]})
    assert messages(data) == [
        "/themes/1/negation_exempt/0: 'loud' is not one of this theme's keywords or phrases",
        "/themes/1: theme 'empty' has no keywords or phrases",
    ]


def test_terms_that_cannot_match_and_multi_word_exact_keywords() -> None:
    data = minimal()
    data["themes"][0]["keywords"] = ["loud", "!!"]
    data["themes"][0]["exact_keywords"] = ["car park"]
    assert messages(data) == [
        "/themes/0/keywords/1: '!!' has no letters or digits to match",
        "/themes/0/exact_keywords/0: exact keyword 'car park' must be one word",
    ]


def test_load_reports_file_and_json_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"id": "cb",\n "version": }', encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    assert str(err.value) == f"{path}: /: not valid JSON at line 2, column 13: Expecting value"


def test_load_reports_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CodebookError, match="cannot read the file"):
        load_codebook(tmp_path / "absent.json")


def test_load_lists_every_problem_with_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "cb.json"
    data = minimal()
    data["themes"][0]["id"] = "has space"
    data["themes"].append({"id": "x", "label": ""})
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        load_codebook(path)
    lines = str(err.value).splitlines()
    assert len(lines) == 2 and all(line.startswith(f"{path}: /themes/") for line in lines)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "saved.json"
    save_codebook(default_codebook(), path)
    assert load_codebook(path).themes == default_codebook().themes
    assert codebook_to_dict(load_codebook(path)) == codebook_to_dict(default_codebook())


def test_save_refuses_an_invalid_codebook(tmp_path: Path) -> None:
    broken = with_theme(default_codebook(), Theme("blank", "Blank"))
    with pytest.raises(CodebookError, match="has no keywords or phrases"):
        save_codebook(broken, tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()


def test_versions() -> None:
    assert bump_version("1.2.3") == "1.3.0"
    assert bump_version("1.2.3", "patch") == "1.2.4"
    assert bump_version("1.2.3", "major") == "2.0.0"
    added = with_theme(default_codebook(), Theme("dogs", "Dogs", keywords=("dogs",)))
    assert added.version == "1.1.0" and added.theme_ids[-1] == "dogs"
    edited = with_theme(added, Theme("dogs", "Dangerous dogs", keywords=("dogs",)))
    assert edited.version == "1.1.1" and edited.theme("dogs").label == "Dangerous dogs"


def test_codebook_from_descriptions() -> None:
    codebook = codebook_from_descriptions(
        "g", [{"id": "A", "label": "Ban support", "description": "Ban the ads"}]
    )
    assert codebook.theme("A").keywords == ("ban", "support", "ads")


def test_without_theme() -> None:
    from analysis.text import without_theme

    smaller = without_theme(default_codebook(), "noise")
    assert "noise" not in smaller.theme_ids and smaller.version == "2.0.0"
    with pytest.raises(ValueError, match="no theme 'pets'"):
        without_theme(default_codebook(), "pets")
