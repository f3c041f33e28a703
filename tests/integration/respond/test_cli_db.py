"""`survey init-db`: migrates and loads every bundled questionnaire; versions are kept."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import select

from survey.store.db import get_session
from survey.store.models import QuestionnaireVersion


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
        rows = [
            (r.version, r.is_current)
            for r in get_session().exec(
                select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "safermk-2016")
            )
        ]
    assert sorted(rows) == [("1.0.0", False), ("9.9.9", True)]


def test_an_invalid_questionnaire_is_reported_and_the_valid_ones_still_load(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    source = Path(app.config["SURVEY_QUESTIONNAIRE_DIR"]) / "safermk-2016.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    data["version"] = "9.9.8"
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "broken.json").write_text('{"id": "broken"}', encoding="utf-8")
    data_bad = dict(data, id="bad-mapping", demographics=[dict(data["demographics"][0], dimension="gender")])
    (folder / "bad-mapping.json").write_text(json.dumps(data_bad), encoding="utf-8")
    (folder / "safermk-2016.json").write_text(json.dumps(data), encoding="utf-8")
    app.config["SURVEY_QUESTIONNAIRE_DIR"] = str(folder)
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "invalid   broken.json: " in result.output and "MISSING_FIELD" in result.output
    # a mapping naming a dimension the reference population lacks is an error naming the valid ones
    assert "invalid   bad-mapping.json" in result.output
    assert "dimension 'gender', which reference 'milton-keynes-census-2021' does not have" in result.output
    assert "added     safermk-2016 version 9.9.8" in result.output
    assert "2 file(s) invalid and not loaded" in result.output
    strict = runner.invoke(args=["init-db", "--strict"])
    assert strict.exit_code == 1
    assert "unchanged safermk-2016 version 9.9.8" in strict.output


def _bundle(app: Flask, tmp_path: Path, **changes: object) -> Path:
    """A questionnaires folder holding safermk-2016.json with `changes` applied; the app loads from it."""
    source = Path(app.config["SURVEY_QUESTIONNAIRE_DIR"]) / "safermk-2016.json"
    data = json.loads(source.read_text(encoding="utf-8"))
    data.update(changes)
    folder = tmp_path / "bundle"
    folder.mkdir(exist_ok=True)
    (folder / "safermk-2016.json").write_text(json.dumps(data), encoding="utf-8")
    app.config["SURVEY_QUESTIONNAIRE_DIR"] = str(folder)
    return folder


def _versions(app: Flask) -> dict[str, tuple[bool, str]]:
    with app.app_context():
        session = get_session()
        session.expire_all()
        rows = session.exec(
            select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == "safermk-2016")
        )
        return {r.version: (r.is_current, str(r.definition.get("title"))) for r in rows}


def _publish(app: Flask, version: str) -> None:
    """Store a newer version as the web publish page does (it becomes current)."""
    from survey.config import today
    from survey.store import repository

    with app.app_context():
        session = get_session()
        row = repository.current_questionnaire(session=session, questionnaire_id="safermk-2016")
        assert row is not None
        definition = {**row.definition, "version": version}
        repository.store_questionnaire(session=session, definition=definition, loaded_on=today())


def test_init_db_keeps_a_version_published_on_the_website_current(app: Flask, runner: FlaskCliRunner) -> None:
    _publish(app, "1.1.0")
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "unchanged safermk-2016 version 1.0.0" in result.output
    versions = _versions(app)
    assert versions["1.1.0"][0] is True
    assert versions["1.0.0"][0] is False


def test_an_older_bundled_version_is_stored_but_does_not_become_current(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _publish(app, "1.10.0")
    _bundle(app, tmp_path, version="1.9.0")  # 1.9.0 < 1.10.0 as version numbers (not as text)
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "added     safermk-2016 version 1.9.0" in result.output
    assert "not made current: version 1.10.0 stays current" in result.output
    versions = _versions(app)
    assert versions["1.10.0"][0] is True and versions["1.9.0"][0] is False


def test_a_stored_version_with_changed_content_is_refused_and_not_overwritten(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = _versions(app)["1.0.0"]
    folder = _bundle(app, tmp_path, title="Edited without a new version")
    other = json.loads((folder / "safermk-2016.json").read_text(encoding="utf-8"))
    other.update({"id": "other-survey", "version": "2.0.0"})
    (folder / "other-survey.json").write_text(json.dumps(other), encoding="utf-8")
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output  # `make run` still starts with what is stored
    assert "refused   safermk-2016 version 1.0.0" in result.output
    assert "already stored with different content" in result.output
    assert "added     other-survey version 2.0.0" in result.output  # the other files still load
    assert _versions(app)["1.0.0"] == before
    strict = runner.invoke(args=["init-db", "--strict"])
    assert strict.exit_code == 1
    assert "refused   safermk-2016 version 1.0.0" in strict.output
    assert _versions(app)["1.0.0"] == before
