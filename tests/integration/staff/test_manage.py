"""Survey management: list with versions and status, dates (12-week default), close early, reopen, publish."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from survey.store import repository
from survey.store.db import get_engine
from survey.store.models import QuestionnaireVersion, Response
from tests.conftest import PROJECT_ROOT
from tests.helpers import audit_events_of, csrf_of, error_summary_items, soup
from tests.respondent import Respondent

QID = "safermk-2016"
PAGE = f"/staff/questionnaires/{QID}"


def summary(response: TestResponse) -> dict[str, str]:
    rows = soup(response).select(".govuk-summary-list__row")
    return {
        row.select_one(".govuk-summary-list__key").get_text(strip=True):  # type: ignore[union-attr]
        row.select_one(".govuk-summary-list__value").get_text(" ", strip=True)  # type: ignore[union-attr]
        for row in rows
    }


def post(client: FlaskClient, path: str, data: dict[str, Any]) -> TestResponse:
    return client.post(path, data={**data, "csrf_token": csrf_of(client.get(PAGE))})


def day_fields(name: str, value: date | None) -> dict[str, str]:
    if value is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}


def test_list_shows_each_questionnaire_with_version_status_and_counts(
    app: Flask, staff_client: Callable[..., FlaskClient], respondent: Callable[..., Respondent]
) -> None:
    resident = respondent(QID)
    resident.start()
    resident.walk()
    resident.submit()
    analyst = staff_client("analyst")
    page = analyst.get("/staff/questionnaires")
    assert page.status_code == 200
    row = soup(page).find("tr", attrs={"data-questionnaire": QID})
    assert row is not None
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[1] == "1.0.0" and cells[2] == "Open, no closing date" and cells[5] == "1"
    assert soup(page).find("tr", attrs={"data-questionnaire": "tenant-satisfaction"}) is not None
    assert "Publish a questionnaire" not in page.get_data(as_text=True)  # analysts only read
    detail = analyst.get(PAGE)
    assert detail.status_code == 200 and soup(detail).find("form", action=f"{PAGE}/dates") is None


def test_unknown_questionnaire_is_404(admin: FlaskClient) -> None:
    assert admin.get("/staff/questionnaires/no-such-survey").status_code == 404


def test_closing_date_defaults_to_twelve_weeks_after_opening(app: Flask, admin: FlaskClient) -> None:
    fields = {**day_fields("opens", date(2026, 6, 1)), **day_fields("closes", None)}
    response = post(admin, f"{PAGE}/dates", fields)
    assert response.status_code == 302
    page = admin.get(PAGE)
    assert "Dates saved: open from 1 June 2026 to 24 August 2026" in page.get_data(as_text=True)
    assert summary(page)["Closes"] == "24 August 2026" and summary(page)["Status"] == "Open"
    start = app.test_client().get(f"/s/{QID}").get_data(as_text=True)
    assert "This survey closes on 24 August 2026." in start
    [event] = audit_events_of(app, "questionnaire.dates")
    assert event.questionnaire_id == QID and event.actor == "admin1@example.gov.uk"
    assert event.details["closes"] == {"old": None, "new": "2026-08-24"}
    assert event.details["opens"] == {"old": None, "new": "2026-06-01"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({**day_fields("opens", None)}, "Enter the opening date"),
        ({"opens-day": "31", "opens-month": "2", "opens-year": "2026"}, "Opening date must be a real date"),
        ({"opens-day": "1", "opens-month": "", "opens-year": "2026"}, "Opening date must include a month"),
        (
            {**day_fields("opens", date(2026, 6, 1)), **day_fields("closes", date(2026, 5, 1))},
            "Closing date must be the same as or after the opening date",
        ),
    ],
)
def test_bad_dates_are_explained_and_nothing_changes(
    app: Flask, admin: FlaskClient, fields: dict[str, str], message: str
) -> None:
    response = post(admin, f"{PAGE}/dates", fields)
    assert response.status_code == 200
    shown = error_summary_items(response)
    assert any(line.startswith(message) for line in shown), shown
    assert audit_events_of(app, "questionnaire.dates") == []
    with app.app_context():
        from survey.store.db import get_session

        row = repository.current_questionnaire(session=get_session(), questionnaire_id=QID)
        assert row is not None and row.closes_override is None


def test_close_early_needs_confirming_then_stops_residents(app: Flask, admin: FlaskClient) -> None:
    unconfirmed = post(admin, f"{PAGE}/close", {})
    assert error_summary_items(unconfirmed) == ["Select ‘Yes, close it now’ to confirm"]
    assert app.test_client().get(f"/s/{QID}").status_code == 200
    assert post(admin, f"{PAGE}/close", {"confirm": "yes"}).status_code == 302
    closed = app.test_client().get(f"/s/{QID}").get_data(as_text=True)
    assert "This survey has closed" in closed and "31 May 2026" in closed  # test today is 1 June 2026
    assert summary(admin.get(PAGE))["Status"] == "Closed"
    [event] = audit_events_of(app, "questionnaire.close")
    assert event.details["closes"] == {"old": None, "new": "2026-05-31"}
    again = post(admin, f"{PAGE}/close", {"confirm": "yes"})
    assert error_summary_items(again) == ["This questionnaire is not open (it is closed)"]


def test_reopen_sets_a_new_closing_date(app: Flask, admin: FlaskClient) -> None:
    post(admin, f"{PAGE}/close", {"confirm": "yes"})
    page = admin.get(PAGE)
    filled = {i["name"]: i.get("value") for i in soup(page).select("input[name^=reopen_closes]")}
    assert filled == {"reopen_closes-day": "24", "reopen_closes-month": "8", "reopen_closes-year": "2026"}
    past = post(admin, f"{PAGE}/reopen", day_fields("reopen_closes", date(2026, 5, 1)))
    assert error_summary_items(past) == ["New closing date must be today or in the future"]
    assert post(admin, f"{PAGE}/reopen", day_fields("reopen_closes", date(2026, 7, 31))).status_code == 302
    start = app.test_client().get(f"/s/{QID}").get_data(as_text=True)
    assert "This survey closes on 31 July 2026." in start
    [event] = audit_events_of(app, "questionnaire.reopen")
    assert event.details["closes"] == {"old": "2026-05-31", "new": "2026-07-31"}


def definition_file(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PROJECT_ROOT / "questionnaires" / f"{QID}.json").read_text("utf-8"))
    data.update(changes)
    return data


def publish(admin: FlaskClient, content: bytes, name: str = "safermk.json") -> TestResponse:
    token = csrf_of(admin.get("/staff/questionnaires/publish"))
    return admin.post(
        "/staff/questionnaires/publish",
        data={
            "csrf_token": token,
            "definition": (io.BytesIO(content), name),
        },
        content_type="multipart/form-data",
    )


def test_publishing_a_new_version_keeps_earlier_responses_on_their_version(
    app: Flask, admin: FlaskClient, respondent: Callable[..., Respondent]
) -> None:
    resident = respondent(QID)
    resident.start()
    resident.walk()
    resident.submit()
    with Session(get_engine(app)) as session:
        [before] = session.exec(select(Response)).all()
    new = definition_file(version="1.1.0", title={"en": "Community safety survey (revised)", "pl": "Ankieta"})
    response = publish(admin, json.dumps(new).encode())
    assert response.status_code == 302, error_summary_items(response)
    with Session(get_engine(app)) as session:
        [after] = session.exec(select(Response)).all()
        versions = {
            row.version: row.is_current
            for row in session.exec(select(QuestionnaireVersion))
            if row.questionnaire_id == QID
        }
    assert (after.questionnaire_version, after.answers, after.status) == ("1.0.0", before.answers, "complete")
    assert versions == {"1.0.0": False, "1.1.0": True}
    newcomer = respondent(QID)
    newcomer.start()
    newcomer.walk()
    newcomer.submit()
    with Session(get_engine(app)) as session:
        stored = sorted(r.questionnaire_version for r in session.exec(select(Response)))
    assert stored == ["1.0.0", "1.1.0"]
    rows = soup(admin.get(PAGE)).select("#versions tbody tr")
    assert [[td.get_text(" ", strip=True) for td in tr.find_all("td")][:4] for tr in rows] == [
        ["1.0.0", "1 June 2026", "1", "0"],
        ["1.1.0", "1 June 2026", "1", "0"],
    ]
    [event] = audit_events_of(app, "questionnaire.publish")
    assert event.details["version"] == {"old": "1.0.0", "new": "1.1.0"}


def test_same_version_with_other_content_is_refused(app: Flask, admin: FlaskClient) -> None:
    changed = definition_file(title={"en": "Changed without a new version", "pl": "Zmieniona"})
    response = publish(admin, json.dumps(changed).encode())
    assert error_summary_items(response) == ["The selected file cannot be published"]
    assert "already published with different content" in response.get_data(as_text=True)
    assert audit_events_of(app, "questionnaire.publish") == []


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b'{"id": "x",', "MALFORMED_JSON"),
        (b"\xff\xfe not text", "is not a UTF-8 text file"),
        (json.dumps({"id": "broken", "version": "1"}).encode(), "the required field 'sections' is missing"),
    ],
)
def test_invalid_files_are_explained(app: Flask, admin: FlaskClient, content: bytes, shown: str) -> None:
    response = publish(admin, content)
    assert response.status_code == 200
    assert len(error_summary_items(response)) == 1
    problems = soup(response).find(id="problems")
    assert problems is not None and shown in problems.get_text(), problems
    assert audit_events_of(app, "questionnaire.publish") == []


def test_no_file_chosen(admin: FlaskClient) -> None:
    token = csrf_of(admin.get("/staff/questionnaires/publish"))
    response = admin.post("/staff/questionnaires/publish", data={"csrf_token": token})
    assert error_summary_items(response) == ["Select a questionnaire file"]


def test_bundled_file_needs_no_publishing(admin: FlaskClient) -> None:
    response = publish(admin, Path(PROJECT_ROOT / "questionnaires" / f"{QID}.json").read_bytes())
    assert "already published with exactly this content" in response.get_data(as_text=True)
