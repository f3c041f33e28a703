"""Helpers for the theme and report page tests: store free-text answers, read the audit trail, codebooks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.store import repository, repository_staff, repository_themes
from survey.store.db import get_engine
from survey.store.models_staff import AuditEvent
from tests.helpers import csrf_of

QID = "safermk-2016"
QUESTION = "concerns_text"
BUSES = [
    "buses are always late",
    "late buses every day",
    "the buses run late at night",
    "waiting for late buses in the rain",
    "buses late again this morning",
    "night buses late and crowded",
]
TAX = [
    "council tax is too high",
    "council tax keeps going up",
    "high council tax for poor services",
    "council tax rise again",
    "we pay too much council tax",
    "council tax high and rising",
]
BURGLARY = [
    "burglaries in our street",
    "there was a burglary next door",
    "burglars broke into the shed",
    "my house was burgled last year",
]
SPEEDING = [
    "speeding on the grid roads",
    "cars speeding past the school",
    "speeding drivers at night",
    "boy racers speeding on the redways road",
]
# Answers the shipped codebook tags (road safety): a suggestion's terms are distinctive only against others.
TAGGED = [f"{t} {d}" for t in SPEEDING for d in ("on monday", "on tuesday", "on friday")]
XSS = '<script>alert("xss")</script> burglary next door <img src=x onerror=alert(1)>'


def store_answers(
    app: Flask, texts: Sequence[str], question: str = QUESTION, extra: dict[str, Any] | None = None
) -> list[int]:
    """Store one complete response per text (answering `question`); returns their ids."""
    ids: list[int] = []
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        for text in texts:
            response = repository.start_response(
                session=session,
                questionnaire_id=QID,
                questionnaire_version=row.version,
                started_on=date(2026, 5, 20),
                language="en",
            )
            assert response.id is not None
            repository.submit_response(
                session=session,
                response_id=response.id,
                answers={question: text, **(extra or {})},
                completed_on=date(2026, 5, 20),
                duration_seconds=300,
            )
            ids.append(response.id)
    return ids


def suggest(client: FlaskClient, question: str = QUESTION) -> str:
    """Ask for suggested new themes on a question's page; returns the job's progress page. The job runs in
    the background (in the tests' immediate mode: inside this request, so it is done on return)."""
    url = f"/staff/themes/{QID}/{question}"
    response = client.post(f"{url}/suggest", data={"csrf_token": csrf_of(client.get(url))})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return str(response.headers["Location"])


def audit_actions(app: Flask, action: str) -> list[AuditEvent]:
    """Audit events of one action, newest first."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        events, _total = repository_staff.audit_events(
            session=session, where=repository_staff.AuditFilter(action=action), limit=100
        )
        return events


def stored_codebook_versions(app: Flask) -> list[str]:
    """The saved codebook versions of the questionnaire, newest first."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return [
            row.version for row in repository_themes.codebook_history(session=session, questionnaire_id=QID)
        ]


def manual_codes(app: Flask) -> dict[int, list[str]]:
    """Response id -> the themes an analyst gave its answer."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return repository_themes.manual_codes(session=session, questionnaire_id=QID, question_id=QUESTION)


def page(html: str) -> BeautifulSoup:
    """A parsed page."""
    return BeautifulSoup(html, "html.parser")


def text_of(html: str) -> str:
    """The page's visible text, whitespace collapsed."""
    return " ".join(page(html).get_text(" ").split())
