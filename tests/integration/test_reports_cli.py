"""`survey demo-data`, `survey report ...` and `survey export ...` against SQLite and Postgres."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import Session

from survey.store import repository
from survey.store.db import get_engine
from tests.unit.report.helpers import FIGURES_2016


def _ok(runner: FlaskCliRunner, *args: str) -> Any:
    result = runner.invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result


def _fails(runner: FlaskCliRunner, *args: str) -> str:
    result = runner.invoke(args=list(args))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    return str(result.output)


def test_demo_data_interim_report_reproduces_2016_and_every_format_opens(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    out = _ok(
        runner,
        "demo-data",
        "--questionnaire",
        "safermk-2016",
        "--responses",
        "557",
        "--seed",
        "2016",
        "--start",
        "2016-05-03",
    )
    assert "Stored 557 complete" in out.output
    with app.app_context(), Session(get_engine()) as session:
        stored = repository.responses_for_report(session=session, questionnaire_id="safermk-2016")
    assert sum(r["status"] == "complete" for r in stored) == 557
    assert any(r["status"] == "in_progress" and r["last_question"] for r in stored)

    report_json = tmp_path / "interim.json"
    _ok(
        runner,
        "report",
        "interim",
        "--questionnaire",
        "safermk-2016",
        "--as-of",
        "2016-06-13",
        "--format",
        "json",
        "--out",
        str(report_json),
    )
    numbers = json.loads(report_json.read_text())
    assert numbers["headline"]["complete"] == 557
    misses = [
        (what, round(f(numbers), 1), target)
        for what, f, target in FIGURES_2016
        if abs(f(numbers) - target) > 2
    ]
    assert misses == []

    xlsx = tmp_path / "interim.xlsx"
    _ok(
        runner,
        "report",
        "interim",
        "--questionnaire",
        "safermk-2016",
        "--as-of",
        "2016-06-13",
        "--format",
        "xlsx",
        "--out",
        str(xlsx),
    )
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    assert "Notes" in book.sheetnames and "Q20 Which of these, if any…" in book.sheetnames

    listing = _ok(runner, "report", "list").output
    assert "   1  interim  safermk-2016" in listing and "   2  interim" in listing and "xlsx" in listing
    again = tmp_path / "again.xlsx"
    _ok(runner, "report", "download", "2", "--out", str(again))
    assert again.read_bytes() == xlsx.read_bytes()
    numbers_again = tmp_path / "numbers.json"
    _ok(runner, "report", "download", "1", "--numbers", "--out", str(numbers_again))
    assert json.loads(numbers_again.read_text()) == numbers

    csv_file, dictionary, sav = tmp_path / "r.csv", tmp_path / "dict.md", tmp_path / "r.sav"
    _ok(
        runner,
        "export",
        "responses",
        "--questionnaire",
        "safermk-2016",
        "--out",
        str(csv_file),
        "--dictionary",
        str(dictionary),
        "--no-free-text",
    )
    frame = pd.read_csv(csv_file, encoding="utf-8-sig")
    assert len(frame) == 557 and "concerns_text" not in frame.columns and "weight" in frame.columns
    assert frame["weight"].notna().sum() == numbers["weighting"]["respondents"]
    assert "| substances_alcohol |" in dictionary.read_text()
    _ok(
        runner, "export", "responses", "--questionnaire", "safermk-2016", "--format", "sav", "--out", str(sav)
    )
    import pyreadstat

    sav_frame, meta = pyreadstat.read_sav(str(sav))
    assert len(sav_frame) == 557 and meta.variable_value_labels["sex"][1.0] == "Female"


def test_final_report_compares_with_the_latest_interim(runner: FlaskCliRunner, tmp_path: Path) -> None:
    _ok(
        runner,
        "demo-data",
        "--questionnaire",
        "safermk-2016",
        "--responses",
        "60",
        "--seed",
        "1",
        "--start",
        "2016-05-03",
        "--days",
        "20",
    )
    _ok(
        runner,
        "report",
        "interim",
        "--questionnaire",
        "safermk-2016",
        "--as-of",
        "2016-05-22",
        "--format",
        "json",
        "--out",
        str(tmp_path / "i.json"),
    )
    _ok(
        runner,
        "demo-data",
        "--questionnaire",
        "safermk-2016",
        "--responses",
        "60",
        "--seed",
        "2",
        "--start",
        "2016-06-01",
        "--days",
        "20",
    )
    final = _ok(
        runner,
        "report",
        "final",
        "--questionnaire",
        "safermk-2016",
        "--as-of",
        "2016-07-31",
        "--format",
        "html",
        "--out",
        str(tmp_path / "f.html"),
    )
    assert "Comparing with interim report #1" in final.output
    html = (tmp_path / "f.html").read_text()
    assert "What changed since the interim report" in html
    # the headline figures of residents answering by the interim (the first 60, less businesses and
    # visitors) against those answering after it
    assert re.search(r"among the (5\d|60) residents who had answered by the interim report", html)
    compared = _ok(runner, "report", "compare", "1", "2").output
    assert compared.startswith("#1 (60 responses) -> #2 (120)")


def test_clear_errors(runner: FlaskCliRunner, tmp_path: Path) -> None:
    out = str(tmp_path / "x.html")
    assert "there is no questionnaire 'nope'" in _fails(
        runner, "report", "interim", "--questionnaire", "nope", "--out", out
    )
    assert "no complete responses to tenant-satisfaction" in _fails(
        runner, "report", "interim", "--questionnaire", "tenant-satisfaction", "--out", out
    )
    assert "there is no stored report #9" in _fails(runner, "report", "download", "9", "--out", out)
    assert "'2016-13-01' does not match the format" in _fails(
        runner, "report", "interim", "--questionnaire", "safermk-2016", "--as-of", "2016-13-01", "--out", out
    )
    assert "'docx' is not one of" in _fails(
        runner, "report", "interim", "--questionnaire", "safermk-2016", "--format", "docx", "--out", out
    )
    _ok(runner, "demo-data", "--questionnaire", "safermk-2016", "--responses", "15", "--start", "2016-05-03")
    missing = str(tmp_path / "no" / "such" / "folder" / "r.html")
    assert "the folder" in _fails(
        runner,
        "report",
        "interim",
        "--questionnaire",
        "safermk-2016",
        "--as-of",
        "2016-07-01",
        "--out",
        missing,
    )
    assert "must be a .csv or .md file" in _fails(
        runner,
        "export",
        "responses",
        "--questionnaire",
        "safermk-2016",
        "--out",
        str(tmp_path / "a.csv"),
        "--dictionary",
        str(tmp_path / "d.txt"),
    )
    assert "No stored reports." in _ok(runner, "report", "list").output


def test_report_html_is_stored_and_listed_with_provenance(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _ok(runner, "demo-data", "--questionnaire", "safermk-2016", "--responses", "40", "--start", "2016-05-03")
    _ok(
        runner,
        "report",
        "interim",
        "--questionnaire",
        "safermk-2016",
        "--as-of",
        "2016-06-30",
        "--format",
        "json",
        "--out",
        str(tmp_path / "r.json"),
    )
    from survey.store import repository_reports

    with app.app_context(), Session(get_engine()) as session:
        (snap,) = repository_reports.list_snapshots(session=session)
        full = repository_reports.snapshot_by_id(session=session, snapshot_id=snap.id or 0)
    assert full is not None
    assert (snap.kind, snap.responses, snap.format, snap.questionnaire_version) == (
        "interim",
        40,
        "json",
        "1.0.0",
    )
    assert snap.reference_name == "milton-keynes-census-2021" and len(snap.reference_version) == 12
    assert snap.codebook_id == "community-safety" and full.numbers["headline"]["complete"] == 40
    assert full.content == (tmp_path / "r.json").read_bytes()
    assert json.loads(io.BytesIO(full.content).read()) == full.numbers


def test_report_uses_the_codebook_staff_saved(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    from analysis.text import codebook_to_dict, default_codebook
    from survey.store import repository_themes

    saved = codebook_to_dict(default_codebook())
    saved["version"] = "1.1.0"
    with app.app_context(), Session(get_engine()) as session:
        repository_themes.save_codebook_version(
            session=session,
            questionnaire_id="safermk-2016",
            definition=saved,
            created_by="analyst@example.org",
        )
    _ok(runner, "demo-data", "--questionnaire", "safermk-2016", "--responses", "20", "--start", "2016-05-03")
    out = tmp_path / "r.json"
    _ok(
        runner,
        "report",
        "interim",
        "--questionnaire",
        "safermk-2016",
        "--as-of",
        "2016-06-30",
        "--format",
        "json",
        "--out",
        str(out),
        "--no-store",
    )
    numbers = json.loads(out.read_text())
    assert (numbers["codebook"], numbers["codebook_version"]) == ("community-safety", "1.1.0")
    assert "No stored reports." in _ok(runner, "report", "list").output  # --no-store kept nothing


def test_demo_data_creates_the_partner_channels_its_responses_use(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    from survey.store import repository_channels

    args = ("demo-data", "--questionnaire", "safermk-2016", "--responses", "120", "--start", "2016-05-03")
    first = _ok(runner, *args)
    assert "Created the demo partner channels" in first.output
    second = _ok(runner, *args, "--seed", "7")  # a second run reuses them
    assert "Created the demo partner channels" not in second.output
    with app.app_context(), Session(get_engine()) as session:
        stored = repository.responses_for_report(session=session, questionnaire_id="safermk-2016")
        channels = repository_channels.list_channels(session=session, questionnaire_id="safermk-2016")
    used = {r["channel"] for r in stored if r["channel"]}
    known = {c.code: c for c in channels}
    assert len(used) >= 3 and used <= set(known)  # the dashboard names every channel the responses carry
    assert len(channels) == len(known) == len(used)
    assert known["housing-trust-a"].partner_name == "Housing trust A" and known["housing-trust-a"].active
    assert known["p3-outreach"].medium == "outreach"
    assert all(c.created_by == "survey demo-data" for c in channels)
    out = tmp_path / "r.json"
    args = ("--as-of", "2016-06-13", "--no-store", "--format", "json", "--out", str(out))
    _ok(runner, "report", "interim", "--questionnaire", "safermk-2016", *args)
    names = {t["name"] for t in json.loads(out.read_text())["channels"]}
    assert "Housing trust A – Posters in blocks and offices" in names  # no staff codes in a reader's words
    assert names - {"(direct link)"} == {f"{c.partner_name} – {c.label}" for c in channels}


def test_channel_names_leave_codes_out_unless_two_channels_read_the_same(app: Flask) -> None:
    from datetime import UTC, datetime

    from survey.store import repository_channels, repository_reports

    now = datetime(2016, 5, 3, tzinfo=UTC)
    made = {"questionnaire_id": "safermk-2016", "created_by": "test", "created_at": now}
    with app.app_context(), Session(get_engine()) as session:
        for code, partner, label in (
            ("trust-a-posters", "Trust A", "Posters"),
            ("trust-a-posters-2", "Trust A", "Posters"),  # the same words: only the code tells them apart
            ("youth-club", "Youth club", "Leaflets"),
        ):
            repository_channels.create_channel(
                session=session, partner_name=partner, medium="poster", label=label, code=code, **made
            )
        session.commit()
        names = repository_reports.channel_names(session=session, questionnaire_id="safermk-2016")
    assert names == {
        "trust-a-posters": "Trust A – Posters (trust-a-posters)",
        "trust-a-posters-2": "Trust A – Posters (trust-a-posters-2)",
        "youth-club": "Youth club – Leaflets",
    }


def test_report_uses_the_staff_closing_date_and_invents_none(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    from datetime import date

    _ok(runner, "demo-data", "--questionnaire", "safermk-2016", "--responses", "40", "--start", "2016-05-03")
    args = ("report", "interim", "--questionnaire", "safermk-2016", "--as-of", "2016-06-01", "--no-store")
    _ok(runner, *args, "--format", "json", "--out", str(tmp_path / "open.json"))
    head = json.loads((tmp_path / "open.json").read_text())["headline"]
    assert (head["closes"], head["days_left"], head["projected_at_close"]) == (None, None, None)
    with app.app_context(), Session(get_engine()) as session:
        repository.set_questionnaire_dates(
            session=session, questionnaire_id="safermk-2016", opens=None, closes=date(2016, 6, 30)
        )
    _ok(runner, *args, "--format", "json", "--out", str(tmp_path / "dated.json"))
    head = json.loads((tmp_path / "dated.json").read_text())["headline"]
    assert (head["closes"], head["days_left"]) == ("2016-06-30", 29)
    assert head["projected_at_close"] >= head["complete"]
