"""`survey reference import|list|show` through the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from analysis.reference import DEFAULT_REFERENCE
from survey.app import create_app
from survey.cli import cli

HEADER = "dimension,category,count,share,source\n"
GOOD = HEADER + "sex_age16to74,Female,520,0.52,ONS test\nsex_age16to74,Male,480,0.48,ONS test\n"


@pytest.fixture
def reference_app(tmp_path: Path) -> Flask:
    """An app whose imported references go to a temporary folder (no database needed)."""
    return create_app(
        {
            "TESTING": True,
            "SURVEY_ENV": "test",
            "SECRET_KEY": "test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'survey.db'}",
            "SURVEY_REFERENCE_DIR": str(tmp_path / "reference"),
        }
    )


@pytest.fixture
def cli_runner(reference_app: Flask) -> FlaskCliRunner:
    return reference_app.test_cli_runner()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_list_and_show(cli_runner: FlaskCliRunner, tmp_path: Path) -> None:
    source = write(tmp_path, "Bedford-2021.csv", GOOD)
    result = cli_runner.invoke(cli, ["reference", "import", str(source)])
    assert result.exit_code == 0, result.output
    assert "Imported reference 'bedford-2021': 1 dimensions, 2 rows." in result.output
    assert (tmp_path / "reference" / "bedford-2021.csv").read_text(encoding="utf-8") == GOOD
    listed = cli_runner.invoke(cli, ["reference", "list"])
    assert f"{DEFAULT_REFERENCE} (shipped)" in listed.output
    assert "bedford-2021 (imported, " in listed.output
    assert "  ward: 19 categories (margin, persons)" in listed.output
    shown = cli_runner.invoke(cli, ["reference", "show", "bedford-2021", "sex_age16to74"])
    assert shown.exit_code == 0
    assert "Female" in shown.output and "52.00%" in shown.output and "source: ONS test" in shown.output


def test_malformed_file_lists_every_problem_with_its_line_and_keeps_nothing(
    cli_runner: FlaskCliRunner, tmp_path: Path
) -> None:
    bad = write(
        tmp_path,
        "bad.csv",
        HEADER
        + "sex_age16to74,Female,520,0.52,t\n"
        + "sex_age16to74,Female,480,0.48,t\n"
        + "age_adult,16-24,5,1,t\n"
        + "age_adult16plus,16-24,-5,0.2,t\n",
    )
    result = cli_runner.invoke(cli, ["reference", "import", str(bad)])
    assert result.exit_code == 1
    assert (
        f"{bad}: line 3: duplicate category 'Female' in dimension 'sex_age16to74' (first on line 2)"
        in result.output
    )
    assert f"{bad}: line 4: unknown dimension 'age_adult'" in result.output
    assert f"{bad}: line 5: count -5 is negative" in result.output
    assert "was not imported: 3 problem(s) listed above" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "reference").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", DEFAULT_REFERENCE], "is the name of a shipped reference"),
        (["--name", "Bad Name"], "is not a usable reference name"),
    ],
)
def test_refused_names(cli_runner: FlaskCliRunner, tmp_path: Path, args: list[str], message: str) -> None:
    result = cli_runner.invoke(cli, ["reference", "import", str(write(tmp_path, "x.csv", GOOD)), *args])
    assert result.exit_code == 1 and message in result.output


def test_existing_import_needs_replace(cli_runner: FlaskCliRunner, tmp_path: Path) -> None:
    source = write(tmp_path, "luton.csv", GOOD)
    assert cli_runner.invoke(cli, ["reference", "import", str(source)]).exit_code == 0
    again = cli_runner.invoke(cli, ["reference", "import", str(source)])
    assert again.exit_code == 1 and "use --replace" in again.output
    assert cli_runner.invoke(cli, ["reference", "import", str(source), "--replace"]).exit_code == 0


def test_missing_file_and_unknown_names(cli_runner: FlaskCliRunner, tmp_path: Path) -> None:
    missing = cli_runner.invoke(cli, ["reference", "import", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    unknown = cli_runner.invoke(cli, ["reference", "show", "luton"])
    assert unknown.exit_code == 1 and "no reference called 'luton'" in unknown.output
    no_dim = cli_runner.invoke(cli, ["reference", "show", DEFAULT_REFERENCE, "shoe_size"])
    assert no_dim.exit_code == 1 and "has no dimension 'shoe_size'" in no_dim.output


def test_list_flags_an_imported_file_broken_by_hand(cli_runner: FlaskCliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "reference"
    folder.mkdir()
    write(folder, "edited.csv", HEADER + "sex_age16to74,Female,1,0.9,t\nsex_age16to74,Male,1,0.9,t\n")
    listed = cli_runner.invoke(cli, ["reference", "list"])
    assert listed.exit_code == 0
    assert "edited (imported, " in listed.output and "INVALID, line 2:" in listed.output


def test_a_folder_that_cannot_be_written_is_a_clear_error(reference_app: Flask, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    reference_app.config["SURVEY_REFERENCE_DIR"] = str(blocker / "reference")
    result = reference_app.test_cli_runner().invoke(
        cli, ["reference", "import", str(write(tmp_path, "a.csv", GOOD))]
    )
    assert result.exit_code == 1
    assert "could not keep a copy at" in result.output and "Traceback" not in result.output
