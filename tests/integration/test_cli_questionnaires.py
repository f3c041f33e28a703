"""`survey validate` and `survey paths` through click's CliRunner (no app context, no database)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.cli import cli
from tests.unit.engine.definitions import MINI

ROOT = Path(__file__).parents[2]


def _write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data), "utf-8")
    return path


def test_valid_files_exit_zero(tmp_path: Path) -> None:
    path = _write(tmp_path, "mini.json", MINI)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "mini.json: valid" in result.output


def test_mappings_are_checked_against_the_shipped_reference(tmp_path: Path) -> None:
    d = copy.deepcopy(MINI)
    d["demographics"][0]["ranges"][0]["category"] = "16-64"  # no category of the shipped reference
    path = _write(tmp_path, "mini.json", d)
    result = CliRunner().invoke(cli, ["validate", str(path)])  # the valid ones are named without --explain
    assert result.exit_code == 1
    out = result.output
    assert "maps '16-64' to '16-64', which is not one of its categories (UNKNOWN_CATEGORY)" in out
    assert "Use one of the dimension's categories: '16-24', '25-34', '35-49', '50-64', '65+'." in out


def test_an_unknown_option_prints_one_line_per_problem(tmp_path: Path) -> None:
    d = copy.deepcopy(MINI)
    d["sections"][1]["questions"][2]["show_if"]["value"] = "yes_please"
    d["sections"][0]["questions"][1]["show_if"]["q"] = "nope"
    path = _write(tmp_path, "safermk-2016.json", d)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        "safermk-2016.json: /sections/0/questions/1/show_if/q: 'nope' is not a question of this "
        "questionnaire (UNKNOWN_QUESTION)" in lines
    )
    assert (
        "safermk-2016.json: /sections/1/questions/2/show_if/value: 'yes_please' is not an option of "
        "question 'victim_any' (UNKNOWN_OPTION)" in lines
    )
    assert "safermk-2016.json: 2 error(s), 0 warning(s)" in lines


def test_explain_adds_advice(tmp_path: Path) -> None:
    d = copy.deepcopy(MINI)
    d["sections"][1]["questions"][2]["show_if"]["value"] = "yes_please"
    result = CliRunner().invoke(cli, ["validate", "--explain", str(_write(tmp_path, "x.json", d))])
    assert (
        "    Use one of the question's option codes: 'yes', 'no', 'prefer_not'." in result.output.splitlines()
    )


def test_warnings_are_printed_but_do_not_fail_unless_strict(tmp_path: Path) -> None:
    d = copy.deepcopy(MINI)
    d["sections"][0]["title"] = "English only"
    path = _write(tmp_path, "mini.json", d)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 0
    assert (
        "mini.json: /sections/0/title: warning: no 'cy' text; residents will see the 'en' text "
        "(MISSING_TRANSLATION)" in result.output.splitlines()
    )
    assert CliRunner().invoke(cli, ["validate", "--strict", str(path)]).exit_code == 1


def test_malformed_and_missing_files(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x",\n "version": }', "utf-8")
    result = CliRunner().invoke(cli, ["validate", str(broken), str(tmp_path / "absent.json")])
    assert result.exit_code == 1
    assert (
        "broken.json: line 2 column 13: the file is not valid JSON: Expecting value (MALFORMED_JSON)"
        in result.output
    )
    assert (
        "absent.json: /: the file cannot be read: No such file or directory (FILE_NOT_FOUND)" in result.output
    )
    assert "Traceback" not in result.output


def test_a_directory_validates_every_definition_but_not_the_schema() -> None:
    result = CliRunner().invoke(cli, ["validate", str(ROOT / "questionnaires")])
    assert result.exit_code == 0, result.output
    assert "questionnaire.schema.json" not in result.output
    assert "safermk-2016.json: valid" in result.output


def test_paths_report(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["paths", str(_write(tmp_path, "mini.json", MINI))])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Questions asked: 5 to 9" in lines
    assert "  victim_any (section 2) decides: support_info, crimes, reported" in lines
    assert any(
        line.startswith("Estimated time: ") and line.endswith("minutes (budget 30 questions, 10 minutes)")
        for line in lines
    )


def test_paths_as_json_and_on_an_invalid_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["paths", "--as-json", str(_write(tmp_path, "mini.json", MINI))])
    report = json.loads(result.output)
    assert (report["min_questions"], report["max_questions"]) == (5, 9)
    d = copy.deepcopy(MINI)
    del d["sections"][0]["questions"][0]["options"]
    result = CliRunner().invoke(cli, ["paths", str(_write(tmp_path, "bad.json", d))])
    assert result.exit_code == 1 and "(NO_OPTIONS)" in result.output


def test_commands_need_no_app_or_database(tmp_path: Path, monkeypatch: Any) -> None:
    from flask.cli import ScriptInfo

    def refuse(self: ScriptInfo) -> Any:
        raise AssertionError("the app must not be loaded")

    monkeypatch.setattr(ScriptInfo, "load_app", refuse)
    path = str(_write(tmp_path, "mini.json", MINI))
    for command in (["validate", path], ["paths", path]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 0, result.output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_file_content_gives_lines_not_a_traceback(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "random.json"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "random.json: " in result.output
