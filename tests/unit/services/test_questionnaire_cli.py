"""`survey questionnaire to-xlsx | from-xlsx | new` from the command line (no database needed)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from survey.cli.questionnaire_files import questionnaire_group

ROOT = Path(__file__).parents[3]


def test_to_xlsx_by_id_and_back_gives_the_same_definition(tmp_path: Path) -> None:
    runner = CliRunner()
    workbook, out = tmp_path / "s.xlsx", tmp_path / "s.json"
    result = runner.invoke(questionnaire_group, ["to-xlsx", "safermk-2016", "--out", str(workbook)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(questionnaire_group, ["from-xlsx", str(workbook), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output
    original = json.loads((ROOT / "questionnaires" / "safermk-2016.json").read_text("utf-8"))
    assert json.loads(out.read_text("utf-8")) == original


def test_from_xlsx_with_errors_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    runner = CliRunner()
    workbook, out = tmp_path / "t.xlsx", tmp_path / "t.json"
    runner.invoke(
        questionnaire_group,
        ["to-xlsx", str(ROOT / "questionnaires" / "tenant-satisfaction.json"), "--out", str(workbook)],
    )
    book = load_workbook(workbook)
    book["survey"]["A3"] = "singel"
    book.save(workbook)
    result = runner.invoke(questionnaire_group, ["from-xlsx", str(workbook), "--out", str(out)])
    assert result.exit_code == 1
    assert 't.xlsx: survey sheet, row 3, column A (type): "singel" is not allowed here' in result.output
    assert not out.exists()


def test_from_xlsx_lists_every_problem_it_finds_before_failing(tmp_path: Path) -> None:
    runner = CliRunner()
    workbook, out = tmp_path / "t.xlsx", tmp_path / "t.json"
    runner.invoke(
        questionnaire_group,
        ["to-xlsx", str(ROOT / "questionnaires" / "tenant-satisfaction.json"), "--out", str(workbook)],
    )
    book = load_workbook(workbook)
    survey = book["survey"]
    headings = {str(c.value): c.column_letter for c in survey[1]}
    survey["A3"] = "singel"  # the engine's problem (an unknown type)
    survey[f"{headings['required']}5"] = "perhaps"  # the workbook's own problem (not TRUE or FALSE)
    survey[f"{headings['label']}6"] = "x" * 501  # too long for a line
    book.save(workbook)
    result = runner.invoke(questionnaire_group, ["from-xlsx", str(workbook), "--out", str(out)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("t.xlsx: ")]
    assert any("row 3, column A (type)" in line and "(BAD_VALUE)" in line for line in lines)
    assert any("row 5, column" in line and "'perhaps' should be TRUE or FALSE" in line for line in lines)
    assert any("row 6, column" in line and "(XLSX_TOO_LONG)" in line for line in lines)
    assert not out.exists()


def test_unknown_source_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        questionnaire_group, ["to-xlsx", "no-such", "--out", str(tmp_path / "x.xlsx")]
    )
    assert result.exit_code == 1
    assert "'no-such' is neither a file nor the id of a bundled questionnaire" in result.output


def test_new_from_blocks_writes_a_valid_definition(tmp_path: Path) -> None:
    out = tmp_path / "new.json"
    result = CliRunner().invoke(
        questionnaire_group,
        [
            "new",
            "--blocks",
            "equality,fire",
            "--id",
            "fire-2027",
            "--title",
            "Fire safety 2027",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text("utf-8"))["id"] == "fire-2027"
    listing = CliRunner().invoke(questionnaire_group, ["new", "--list"])
    assert "equality:" in listing.output and "safermk-2016" in listing.output
    usage = CliRunner().invoke(questionnaire_group, ["new", "--id", "x", "--title", "X", "--out", str(out)])
    assert usage.exit_code == 2 and "exactly one of --from or --blocks" in usage.output
