"""Suggested new themes are made by a background job: the request only enqueues, a worker makes them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.services import jobs
from survey.store import repository_jobs
from survey.store.db import get_engine
from tests.helpers import csrf_of, run_queue
from tests.integration.staff.conftest import FAST_HASHING
from tests.integration.staff.themes_helpers import (
    BUSES,
    QID,
    QUESTION,
    TAX,
    audit_actions,
    page,
    store_answers,
    suggest,
    text_of,
)

QUESTION_URL = f"/staff/themes/{QID}/{QUESTION}"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite, as in the other queue tests (test_jobs.py): huey keeps the queue in SQLite."""
    return f"sqlite:///{tmp_path / 'survey.db'}"


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Jobs wait on the queue (SQLite, huey) until a worker takes them: nothing runs in the request."""
    return {**FAST_HASHING, "SURVEY_JOBS_WORKER": "none"}


def _keys(html: str) -> list[str]:
    forms = page(html).select("#suggestions ~ div form input[name=action][value=accept]")
    return sorted(str(f.find_parent("form").find("input", attrs={"name": "key"})["value"]) for f in forms)


def test_the_request_only_enqueues_and_the_page_shows_the_workers_suggestions(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, BUSES + TAX)
    analyst = staff_client("analyst")
    before = text_of(analyst.get(QUESTION_URL).get_data(as_text=True))
    assert "No suggestions have been made for this question yet" in before
    location = suggest(analyst)
    job_id = int(location.rsplit("/", 1)[1])
    progress = analyst.get(location).get_data(as_text=True)
    assert "data-reload-after" in progress and "Waiting to start" in text_of(progress)
    waiting = analyst.get(QUESTION_URL).get_data(as_text=True)
    assert _keys(waiting) == [] and page(waiting).select_one("#suggestions-pending a")["href"] == location
    assert suggest(analyst) == location  # asked again while it waits: the same job, not a second one
    [event] = audit_actions(app, "themes.suggest")
    assert event.details == {"question": QUESTION, "job": job_id} and event.questionnaire_id == QID

    run_queue(app)
    done = analyst.get(location).get_data(as_text=True)
    assert "The suggested themes are ready" in text_of(done) and "data-reload-after" not in done
    see = page(done).find("a", string="See the suggested themes")
    assert see is not None and see["href"] == f"{QUESTION_URL}#suggestions"
    html = analyst.get(QUESTION_URL).get_data(as_text=True)
    assert _keys(html) == ["buses / late", "council tax / tax"]
    run = text_of(str(page(html).select_one("#suggestion-run")))
    assert "from the 12 answers no theme covered, of 12, with codebook version 1.0.0" in run
    assert "have changed since" not in run
    with app.app_context(), Session(get_engine()) as session:
        job = repository_jobs.job_by_id(session=session, job_id=job_id)
        assert job is not None and job.kind == "suggestions" and job.status == "done"
        assert job.summary["suggestions"] == 2 and job.summary["answers"] == 12

    store_answers(app, ["buses are late again"])  # a new answer: the page says the run is out of date
    run = text_of(str(page(analyst.get(QUESTION_URL).get_data(as_text=True)).select_one("#suggestion-run")))
    assert "have changed since these suggestions were made" in run and "Suggest new themes again" in run


def test_a_suggestion_job_for_a_question_that_is_not_free_text_fails_with_a_reason(app: Flask) -> None:
    with app.app_context(), app.test_request_context(), Session(get_engine()) as session:
        job = jobs.submit(
            session=session,
            kind="suggestions",
            questionnaire_id=QID,
            created_by="analyst@example.gov.uk",
            params={"question": "respondent_type"},
        )
    run_queue(app)
    with app.app_context(), Session(get_engine()) as session:
        assert job.id is not None
        failed = repository_jobs.job_by_id(session=session, job_id=job.id)
        assert failed is not None and failed.status == "failed" and failed.attempts == 1
        assert failed.error == f"'respondent_type' is not a free-text question of {QID}"


def test_partners_cannot_ask_for_suggestions(app: Flask, staff_client: Callable[..., FlaskClient]) -> None:
    partner = staff_client("partner")
    token = csrf_of(partner.get("/staff/"))
    assert partner.post(f"{QUESTION_URL}/suggest", data={"csrf_token": token}).status_code == 403
    assert audit_actions(app, "themes.suggest") == []
