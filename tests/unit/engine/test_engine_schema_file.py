"""The engine's JSON Schema is the one shipped for authors (its purity is checked by import-linter and by
tests/unit/analysis/test_analysis_imports.py in a fresh interpreter)."""

from __future__ import annotations

import json
from pathlib import Path

ENGINE = Path(__file__).parents[3] / "survey" / "engine"


def test_the_engine_schema_is_the_questionnaires_schema() -> None:
    from survey.engine.schema import schema

    path = ENGINE.parents[1] / "questionnaires" / "questionnaire.schema.json"
    shipped = json.loads(path.read_text("utf-8"))
    assert schema() == shipped
