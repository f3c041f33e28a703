"""The disclosure block is part of the questionnaire format: validated, loaded, kept by the workbook."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from survey.engine import load_dict, validate_dict
from survey.services.xlsform import definition_from_xlsx, to_xlsx

BLOCK = {
    "threshold": 10,
    "rounding": 5,
    "sensitive_to_partners": False,
    "sensitive_themes": ["domestic_abuse"],
}


def safermk() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path("questionnaires/safermk-2016.json").read_text("utf-8"))
    return data


def test_a_definition_with_a_disclosure_block_loads_and_says_it() -> None:
    raw = {**safermk(), "disclosure": BLOCK}
    assert load_dict(raw).disclosure == BLOCK
    assert load_dict(safermk()).disclosure == {}


def test_a_wrong_disclosure_block_is_refused_where_it_is() -> None:
    result = validate_dict({**safermk(), "disclosure": {"threshold": 0, "colour": "red"}})
    assert result.questionnaire is None
    paths = {e.path for e in result.errors}
    assert any(p.startswith("/disclosure") for p in paths), paths


def test_the_disclosure_block_survives_the_workbook_round_trip() -> None:
    back = definition_from_xlsx(to_xlsx({**safermk(), "disclosure": BLOCK}))
    assert back.definition is not None and back.definition["disclosure"] == BLOCK
