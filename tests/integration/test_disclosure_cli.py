"""`survey disclosure audit`: exit 1 naming every hidden count a report pins down, 0 otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner


def report(rows: list[dict[str, Any]], base: int | None = 50) -> dict[str, Any]:
    """A minimal report JSON: one single-choice question of 50 complete responses."""
    return {
        "format": "survey-report",
        "audience": "public",
        "headline": {"complete": 50, "started": 60},
        "questions": [{"id": "q", "item": None, "type": "single", "base": base, "rows": rows}],
        "numbers": [],
        "themes": [],
        "channels": [],
        "modes": [],
        "progress": [],
        "disclosure": {"threshold": 10, "links": []},
    }


def write(tmp_path: Path, doc: dict[str, Any]) -> str:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)


def test_a_pinned_count_is_named_and_exits_1(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"code": "a", "count": None, "share": None},
        {"code": "b", "count": 47, "share": 0.94},
    ]
    result = runner.invoke(args=["disclosure", "audit", write(tmp_path, report(rows))])
    assert result.exit_code == 1
    assert "question q: a: 3–3" in result.output


def test_a_percentage_that_gives_a_hidden_count_away_is_found(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    rows: list[dict[str, Any]] = [
        {"code": "a", "count": None, "share": 0.06},  # the count is hidden but its share is not
        {"code": "b", "count": None, "share": None},
        {"code": "c", "count": 30, "share": 0.6},
    ]
    result = runner.invoke(args=["disclosure", "audit", write(tmp_path, report(rows))])
    assert result.exit_code == 1 and "question q: a: 3–3" in result.output


def test_a_safe_report_exits_0(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {"code": "a", "count": None, "share": None},
        {"code": "b", "count": None, "share": None},
        {"code": "c", "count": 30, "share": 0.6},
    ]
    result = runner.invoke(args=["disclosure", "audit", write(tmp_path, report(rows))])
    assert result.exit_code == 0, result.output
    assert "no hidden count can be narrowed below 10 (audience: public)" in result.output
    narrower = runner.invoke(args=["disclosure", "audit", "--threshold", "25", write(tmp_path, report(rows))])
    assert narrower.exit_code == 1 and "0–20" in narrower.output


def test_bad_inputs_say_what_is_wrong(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    for args, message in (
        (["disclosure", "audit", "999"], "there is no stored report #999"),
        (["disclosure", "audit", str(tmp_path / "missing.json")], "neither a stored report number nor"),
    ):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output and "Traceback" not in result.output
    other = tmp_path / "other.json"
    other.write_text('{"format": "something-else"}', encoding="utf-8")
    result = runner.invoke(args=["disclosure", "audit", str(other)])
    assert result.exit_code != 0 and "is not a report JSON" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    result = runner.invoke(args=["disclosure", "audit", str(broken)])
    assert result.exit_code != 0 and "cannot read" in result.output
    rows: list[dict[str, Any]] = [
        {"code": "a", "count": None, "share": None},
        {"code": "b", "count": 60, "share": 1.2},
    ]
    result = runner.invoke(args=["disclosure", "audit", write(tmp_path, report(rows))])
    assert result.exit_code != 0 and "no count" in result.output  # figures that cannot all be true
