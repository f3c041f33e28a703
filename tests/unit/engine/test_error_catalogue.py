"""Table-driven: a definition goes in, a problem code (and JSON path) comes out; every code is covered."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema.exceptions import ValidationError

from survey.engine import CATALOGUE, DefinitionError, load_dict, load_file, validate_dict, validate_file
from survey.engine.schema import _to_problems
from tests.unit.engine.cases import (
    CASES,
    FILE_CASES,
    REFERENCE_CASES,
    WARNING_CASES,
    WHY,
    Def,
    _set,
    changed_mini,
)
from tests.unit.engine.definitions import MINI


def test_the_base_definition_is_clean() -> None:
    result = validate_dict(MINI, "mini.json")
    assert result.errors == () and result.warnings == ()
    assert result.questionnaire is not None


@pytest.mark.parametrize(
    ("code", "change", "path", "words"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_error_cases(code: str, change: Callable[[Def], None], path: str, words: str) -> None:
    result = validate_dict(changed_mini(change), "mini.json")
    found = [(p.code, p.path) for p in result.errors]
    assert (code, path) in found, found
    problem = next(p for p in result.errors if (p.code, p.path) == (code, path))
    assert words in problem.message
    assert problem.file == "mini.json" and problem.severity == "error" and problem.advice
    assert str(problem) == f"mini.json: {path or '/'}: {problem.message} ({code})"
    assert result.questionnaire is None
    with pytest.raises(DefinitionError) as raised:
        load_dict(changed_mini(change), "mini.json")
    assert code in raised.value.codes


@pytest.mark.parametrize(
    ("code", "change", "path", "words"),
    WARNING_CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(WARNING_CASES)],
)
def test_warning_cases(code: str, change: Callable[[Def], None], path: str, words: str) -> None:
    result = validate_dict(changed_mini(change), "mini.json")
    assert result.errors == ()
    found = [p for p in result.warnings if (p.code, p.path) == (code, path)]
    assert found, [(p.code, p.path) for p in result.warnings]
    assert words in found[0].message and found[0].severity == "warning"
    assert result.questionnaire is not None  # warnings never stop a questionnaire from loading


@pytest.mark.parametrize(("code", "content", "words"), FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_file_cases(tmp_path: Path, code: str, content: bytes | None, words: str) -> None:
    path = tmp_path / "broken.json"
    if content is not None:
        path.write_bytes(content)
    result = validate_file(path)
    assert [p.code for p in result.errors] == [code]
    assert words in result.errors[0].message and result.errors[0].file == "broken.json"
    with pytest.raises(DefinitionError):
        load_file(path)


def test_malformed_json_reports_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "id": "x",\n  "version": }', "utf-8")
    error = validate_file(path).errors[0]
    assert (error.line, error.column) == (3, 14)
    assert str(error).startswith("broken.json: line 3 column 14: the file is not valid JSON")


def test_fallback_schema_code_for_unexpected_validators() -> None:
    error = ValidationError("must be 'x'", validator="const", path=["id"], validator_value="x", instance="y")
    assert [p.code for p in _to_problems(error)] == ["SCHEMA_VIOLATION"]


def test_every_code_in_the_catalogue_is_exercised() -> None:
    covered = (
        {c[0] for c in CASES + WARNING_CASES + REFERENCE_CASES}
        | {c[0] for c in FILE_CASES}
        | {"SCHEMA_VIOLATION"}
    )
    assert covered == set(CATALOGUE)


def test_severity_in_the_tables_matches_the_catalogue() -> None:
    assert all(CATALOGUE[c[0]].severity == "error" for c in CASES + FILE_CASES)
    assert all(CATALOGUE[c[0]].severity == "warning" for c in WARNING_CASES)


def test_errors_are_kept_apart_from_warnings() -> None:
    d = changed_mini(_set(f"{WHY}/show_if/value", "scared"))
    d["sections"][0]["title"] = "English only"
    result = validate_dict(d, "mini.json")
    assert {p.severity for p in result.errors} == {"error"}
    assert {p.severity for p in result.warnings} == {"warning"}
    assert "MISSING_TRANSLATION" in {p.code for p in result.warnings}


def test_the_format_document_lists_every_code_with_its_message() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "questionnaire-format.md").read_text("utf-8")
    for entry in CATALOGUE.values():
        assert f"| `{entry.code}` | {entry.severity} | {entry.template} | {entry.advice} |" in doc, entry.code
