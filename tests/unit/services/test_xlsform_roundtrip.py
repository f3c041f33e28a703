"""To XLSX and back gives an equal definition: every bundled questionnaire, bank block, and generated ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from survey.engine import validate_file
from survey.services.xlsform import definition_from_xlsx, read_xlsx, to_xlsx
from tests.unit.engine.definitions import MINI
from tests.unit.services.strategies import DEFINITION

ROOT = Path(__file__).parents[3]
FILES = sorted(p for p in (ROOT / "questionnaires").rglob("*.json") if not p.name.endswith(".schema.json"))


def test_the_bundled_questionnaires_are_all_tested() -> None:
    names = {p.stem for p in FILES}
    assert {"safermk-2016", "tenant-satisfaction", "equality", "fire", "crime-perceptions"} <= names


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_bundled_questionnaire_round_trips_unchanged(path: Path) -> None:
    definition = json.loads(path.read_text("utf-8"))
    result = read_xlsx(to_xlsx(definition), path.stem + ".xlsx")
    assert result.errors == ()
    # the workbook adds no warning of its own: only the file's own (the tenant survey's partial Urdu)
    assert [w.code for w in result.warnings] == [w.code for w in validate_file(path).warnings]
    assert result.definition == definition
    assert result.questionnaire is not None and result.questionnaire.id == definition["id"]


def test_the_welsh_test_questionnaire_round_trips_with_label_cy_columns() -> None:
    data = to_xlsx(MINI)
    result = read_xlsx(data, "mini.xlsx")
    assert result.definition == MINI and result.ok
    from openpyxl import load_workbook

    headings = [c.value for c in load_workbook(__import__("io").BytesIO(data))["survey"][1]]
    assert "label::cy" in headings and "relevant" in headings


def _plain(value: Any) -> Any:
    """Whole floats as ints (a spreadsheet keeps 1.0 as 1; Python and JSON readers count them equal)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _equal(a: Any, b: Any) -> bool:
    """Equality that also tells 1 from True and a list from a tuple (dict == does not)."""
    return a == b and json.dumps(_plain(a), sort_keys=True) == json.dumps(_plain(b), sort_keys=True)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(definition=DEFINITION)
def test_any_definition_round_trips(definition: dict[str, Any]) -> None:
    conversion = definition_from_xlsx(to_xlsx(definition))
    assert conversion.problems == []
    assert _equal(conversion.definition, definition)


def test_whole_numbers_too_long_for_a_spreadsheet_number_come_back_exactly() -> None:
    """A census range's maximum of 10**30 is written as text (a spreadsheet keeps 15 digits) and read
    back as the same whole number (Hypothesis found 31 digits refused once)."""
    from survey.services.xlsform_cells import Kind, cell_value, read_cell

    for value in (2**53, 10**30, -(10**100), 10**3999):
        assert read_cell(cell_value(value, Kind.INT), Kind.INT) == value
