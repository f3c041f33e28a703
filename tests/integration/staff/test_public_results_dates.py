"""The public results say when the consultation ran, when the report shown was published, and the open
data's licence (page, JSON, and the CSV's CSV-on-the-Web description)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from survey.services.results_meta import OGL_NAME, OGL_URL
from survey.store import repository
from survey.store.db import get_engine
from survey.store.models_results import PublishedReport
from tests.helpers import post_form
from tests.integration.staff.test_public_results import _make
from tests.integration.staff.test_public_results import demo as demo  # the fixture, shared
from tests.integration.staff.themes_helpers import QID


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Today is pinned after the consultation closed."""
    return {"SURVEY_FIXED_DATE": "2026-06-20"}


def _dates(app: Flask, opens: date | None, closes: date | None) -> None:
    with app.app_context(), Session(get_engine()) as session:
        repository.set_questionnaire_dates(session=session, questionnaire_id=QID, opens=opens, closes=closes)


def _said(client: FlaskClient, query: str = "") -> BeautifulSoup:
    page = client.get(f"/s/{QID}/results{query}", follow_redirects=True)
    assert page.status_code == 200
    return BeautifulSoup(page.get_data(as_text=True), "html.parser")


def _text(page: BeautifulSoup, selector: str) -> str:
    found = page.select_one(selector)
    assert found is not None, f"the page has no {selector}"
    return " ".join(found.get_text(" ").split())


def test_the_results_say_when_it_ran_when_they_were_published_and_the_licence(
    app: Flask, demo: int, staff_client: Callable[..., FlaskClient], client: FlaskClient
) -> None:
    _dates(app, date(2026, 4, 1), date(2026, 5, 31))
    before = _said(client)
    assert _text(before, "#when-ran") == "This consultation ran from 1 April 2026 to 31 May 2026."
    assert before.select_one("#published-on") is None and before.select_one("#licence") is None

    analyst = staff_client("analyst")
    public = _make(app, analyst, "public")
    post_form(analyst, f"/staff/results/{QID}/publish/{public}", f"/staff/results/{QID}")
    with app.app_context(), Session(get_engine()) as session:
        published_on = session.exec(select(PublishedReport)).one().published_at.date()
    page = _said(client)
    assert _text(page, "#published-on") == f"These results were published on {published_on:%-d %B %Y}."
    licence = page.select_one("#licence a[rel=license]")
    assert licence is not None and licence.get_text() == OGL_NAME and licence["href"] == OGL_URL
    polish = _said(client, "?lang=pl")  # the survey's languages are English and Polish
    assert _text(polish, "#when-ran") == "Konsultacje trwały od 1 kwietnia 2026 do 31 maja 2026."
    assert _text(polish, "#published-on").startswith("Te wyniki opublikowano")
    assert _text(polish, "#licence").startswith("Możesz ponownie wykorzystać otwarte dane")

    data = json.loads(client.get(f"/s/{QID}/results.json").data)
    assert data["licence"] == {"name": OGL_NAME, "url": OGL_URL}
    assert data["published_on"] == published_on.isoformat()
    assert (data["opened_on"], data["closes_on"]) == ("2026-04-01", "2026-05-31")

    download = client.get(f"/s/{QID}/results.csv")
    header = next(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert header[0] == "table"  # a plain table: no comment line before the header
    link = download.headers["Link"]
    assert link == f'</s/{QID}/results.csv-metadata.json>; rel="describedby"; type="application/csvw+json"'
    assert page.select_one(f"a[href='/s/{QID}/results.csv-metadata.json']") is not None
    described = client.get(f"/s/{QID}/results.csv-metadata.json")
    assert described.status_code == 200 and described.mimetype == "application/csvw+json"
    meta = json.loads(described.data)
    assert meta["url"] == "results.csv" and meta["dc:license"]["@id"] == OGL_URL
    assert meta["dc:issued"]["@value"] == published_on.isoformat()
    assert meta["dc:temporal"] == "2026-04-01/2026-05-31"
    assert [c["name"] for c in meta["tableSchema"]["columns"]] == header

    _dates(app, date(2026, 6, 1), date(2026, 7, 31))  # reopened: still running on 20 June
    assert _text(_said(client, "?lang=en"), "#when-ran") == (
        "This consultation opened on 1 June 2026 and is open until 31 July 2026."
    )
    _dates(app, date(2026, 6, 1), None)
    assert _text(_said(client), "#when-ran") == "This consultation opened on 1 June 2026."
    assert json.loads(client.get(f"/s/{QID}/results.json").data)["closes_on"] is None
    assert (
        json.loads(client.get(f"/s/{QID}/results.csv-metadata.json").data)["dc:temporal"] == "2026-06-01/.."
    )


def test_without_a_published_report_there_is_no_csv_description(app: Flask, client: FlaskClient) -> None:
    assert client.get(f"/s/{QID}/results.csv-metadata.json").status_code == 404
    assert client.get("/s/no-such-survey/results.csv-metadata.json").status_code == 404
