"""Plain helpers shared by test modules (no fixtures): reading pages, reading tables, running the job queue.

A helper two test modules need lives here (or, for the small questionnaire's changes, in
tests/unit/engine/cases.py), not copied into each; fixtures stay in the conftest.py files.
"""

from __future__ import annotations

import ast
import threading
from typing import Any

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from survey.services import jobs
from survey.store.db import get_engine
from survey.store.models import QuestionnaireVersion, Response
from survey.store.models_staff import AuditEvent

# -- pages -----------------------------------------------------------------------------------------------


def soup(page: TestResponse) -> BeautifulSoup:
    """The page, parsed."""
    return BeautifulSoup(page.get_data(as_text=True), "html.parser")


def error_summary_items(page: TestResponse) -> list[str]:
    """Each item of the page's error summary, its text joined by spaces ([] when there is no summary)."""
    box = soup(page).find(class_="govuk-error-summary")
    return [li.get_text(" ", strip=True) for li in box.find_all("li")] if box else []


def error_summary_links(page: TestResponse) -> list[str]:
    """The text of each link in the page's error summary list."""
    return [a.get_text(strip=True) for a in soup(page).select(".govuk-error-summary__list a")]


def csrf_of(page: TestResponse) -> str:
    """The CSRF token of the first form on a page."""
    parsed = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    field = parsed.find("input", attrs={"name": "csrf_token"})
    assert field is not None, "the page has no form with a CSRF token"
    return str(field["value"])


def post_form(client: FlaskClient, url: str, page: str, **data: object) -> TestResponse:
    """POST `data` to `url` with the CSRF token of the form on `page` (fetched first)."""
    return client.post(url, data={"csrf_token": csrf_of(client.get(page)), **data})


# -- the database ----------------------------------------------------------------------------------------


def table_rows(app: Flask, model: Any) -> list[Any]:
    """Every row of a table, read outside any request."""
    with app.app_context(), Session(get_engine()) as session:
        return list(session.exec(select(model)))


def stored_counts(app: Flask) -> tuple[int, int]:
    """How many responses and how many questionnaire versions are stored."""
    with Session(get_engine(app)) as session:
        return len(session.exec(select(Response)).all()), len(
            session.exec(select(QuestionnaireVersion)).all()
        )


def audit_events_of(app: Flask, action: str) -> list[AuditEvent]:
    """The audit events of one action, in the order the table gives them."""
    with Session(get_engine(app)) as session:
        return [e for e in session.exec(select(AuditEvent)) if e.action == action]


# -- background jobs -------------------------------------------------------------------------------------


def run_queue(app: Flask) -> None:
    """What `survey worker --burst` does: take every queued job, then stop."""
    jobs.work(app, threading.Event(), poll_seconds=0.05, until_empty=True)


# -- source checks ---------------------------------------------------------------------------------------


def callee_name(call: ast.Call) -> str:
    """The name a call calls: `f` for f(...), `m` for x.m(...), "" for anything else."""
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else ""
