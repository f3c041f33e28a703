"""`survey init-db`: migrates and loads every bundled questionnaire; versions are kept."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import select

from survey.db import get_session
from survey.models import QuestionnaireVersion


def test_init_db_is_repeatable_and_reports_what_it_did(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "Schema at 0001_responses" in result.output or "Schema at 0" in result.output
    assert "unchanged safermk-2016 version" in result.output


def test_a_new_version_is_added_and_the_old_one_kept(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = Path(app.config["SURVEY_QUESTIONNAIRE_DIR"]) / "safermk-2016.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    data["version"] = "9.9.9"
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "safermk-2016.json").write_text(json.dumps(data), encoding="utf-8")
    app.config["SURVEY_QUESTIONNAIRE_DIR"] = str(folder)
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "added     safermk-2016 version 9.9.9" in result.output
    with app.app_context():
        rows = [(r.version, r.is_current) for r in get_session().exec(
            select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "safermk-2016"))]
    assert sorted(rows) == [("1.0.0", False), ("9.9.9", True)]


def test_an_invalid_questionnaire_stops_init_db_with_its_problems(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "broken.json").write_text('{"id": "broken"}', encoding="utf-8")
    app.config["SURVEY_QUESTIONNAIRE_DIR"] = str(folder)
    result = runner.invoke(args=["init-db"])
    assert result.exit_code != 0
    assert "not valid" in result.output
