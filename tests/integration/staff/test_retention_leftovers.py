"""Retention removes what it promised everywhere: pages seen, last question, theme codes, stored reports."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import Session, select

from survey.store import repository_reports, repository_themes
from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_reports import ReportSnapshot
from survey.store.models_themes import ManualCode
from tests.integration.staff.test_retention import FIRST, OTHER, QID, SECOND, THIRD, set_retention, store

SAID_YES_PATH = ["respondent_type", "tenure", "age", "da_ever", "da_recent", "da_support", "smoke_alarms"]


def walked(app: Flask, response_id: int, visited: list[str], last_question: str | None) -> None:
    """Give a stored response the pages it went through (as an in-progress journey records them)."""
    with Session(get_engine(app)) as session:
        response = session.get(Response, response_id)
        assert response is not None
        response.visited, response.last_question = visited, last_question
        session.add(response)
        session.commit()


def coded(app: Flask, questionnaire: str, question: str, response_id: int) -> None:
    with Session(get_engine(app)) as session:
        repository_themes.set_manual_codes(
            session=session,
            questionnaire_id=questionnaire,
            question_id=question,
            codes={response_id: ["speeding"]},
            coded_by="analyst@example.gov.uk",
        )


def snapshot(app: Flask, questionnaire: str) -> None:
    numbers = {
        "questionnaire_id": questionnaire,
        "kind": "interim",
        "as_of": "2026-05-01",
        "headline": {"complete": 2, "started": 3},
        "themes": [{"label": "Speeding", "quotes": ["Speeding on Elm Road"]}],
    }
    with Session(get_engine(app)) as session:
        repository_reports.save_snapshot(
            session=session,
            numbers=numbers,
            content=b"%PDF quotes",
            fmt="pdf",
            filename="interim.pdf",
            created_at=datetime(2026, 5, 1, 9, tzinfo=UTC),
            created_by="analyst@example.gov.uk",
        )


def journeys(app: Flask) -> dict[int, tuple[list[str], str | None]]:
    with Session(get_engine(app)) as session:
        return {
            r.id: (list(r.visited), r.last_question)
            for r in session.exec(select(Response))
            if r.id is not None
        }


def leftovers(app: Flask) -> tuple[list[tuple[str, str, int]], list[str]]:
    with Session(get_engine(app)) as session:
        codes = sorted(
            (c.questionnaire_id, c.question_id, c.response_id) for c in session.exec(select(ManualCode))
        )
        reports = sorted(s.questionnaire_id for s in session.exec(select(ReportSnapshot)))
    return codes, reports


def test_free_text_policy_leaves_no_trace_of_removed_questions(app: Flask, runner: FlaskCliRunner) -> None:
    first, second = store(app, FIRST), store(app, SECOND)
    stopped = store(app, {"respondent_type": "resident", "da_ever": "yes", "da_recent": "no"}, complete=False)
    kept = store(app, THIRD, complete=False)
    walked(app, second, SAID_YES_PATH, None)
    walked(app, stopped, SAID_YES_PATH[:5], "da_recent")
    walked(app, kept, ["respondent_type", "tenure"], "tenure")
    coded(app, QID, "concerns_text", first)
    other = store(app, {"tenure": "owned"}, questionnaire=OTHER)
    coded(app, OTHER, "comments", other)
    snapshot(app, QID)
    snapshot(app, OTHER)
    set_retention(app, QID, date(2026, 5, 31), "free_text_and_sensitive")

    dry = runner.invoke(args=["retention", "apply"])
    assert (
        "safermk-2016: would remove 7 free-text or sensitive answers from 3 responses, "
        "1 hand-coded theme, 1 stored report and 0 report, export or suggestion files kept for download "
        "(retention date 2026-05-31)"
    ) in dry.output, dry.output
    assert journeys(app)[second][0] == SAID_YES_PATH and len(leftovers(app)[0]) == 2

    done = runner.invoke(args=["retention", "apply", "--commit"])
    assert (
        "removed 7 free-text or sensitive answers from 3 responses, 1 hand-coded theme, 1 stored report "
        "and 0 report, export or suggestion files" in done.output
    ), done.output
    after = journeys(app)
    assert after[second] == (["respondent_type", "tenure", "age", "smoke_alarms"], None)
    assert after[stopped] == (["respondent_type", "tenure", "age"], None)  # last question named da_recent
    assert after[kept] == (["respondent_type", "tenure"], "tenure")
    assert leftovers(app) == ([(OTHER, "comments", other)], [OTHER])
    again = runner.invoke(args=["retention", "apply", "--commit"])
    assert (
        "removed 0 free-text or sensitive answers from 0 responses, 0 hand-coded themes, 0 stored reports "
        "and 0 report, export or suggestion files" in again.output
    ), again.output


def test_whole_responses_policy_also_removes_codes_and_stored_reports(
    app: Flask, runner: FlaskCliRunner
) -> None:
    first = store(app, FIRST)
    coded(app, QID, "concerns_text", first)
    coded(app, QID, "closing_text", first)
    snapshot(app, QID)
    snapshot(app, QID)
    set_retention(app, QID, date(2026, 4, 30), "whole_responses")
    dry = runner.invoke(args=["retention", "apply"])
    assert (
        "safermk-2016: would remove 1 whole response, 2 hand-coded themes, 2 stored reports and "
        "0 report, export or suggestion files kept for download (retention date 2026-04-30)"
    ) in dry.output, dry.output
    runner.invoke(args=["retention", "apply", "--commit"])
    assert leftovers(app) == ([], [])
    assert journeys(app) == {}
