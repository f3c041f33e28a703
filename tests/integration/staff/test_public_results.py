"""Public results: staff publish a stored report and write "we did" updates; the public page and open data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.engine import load_dict
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.services.results import MIN_CELL, public_results
from survey.store import repository, repository_reports
from survey.store.db import get_engine
from tests.integration.staff.conftest import csrf_of
from tests.integration.staff.themes_helpers import QID, audit_actions


@pytest.fixture
def demo(app: Flask) -> int:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        done, _ = store(
            session, QID, row.version, generate(load_dict(row.definition), 60, 11, date(2026, 4, 1), days=30)
        )
    return done


def _post(client: FlaskClient, url: str, page: str, **data: str) -> object:
    return client.post(url, data={"csrf_token": csrf_of(client.get(page)), **data})


def test_a_published_report_and_a_we_did_update_make_the_public_page(
    app: Flask, demo: int, staff_client: Callable[..., FlaskClient], client: FlaskClient
) -> None:
    assert client.get(f"/s/{QID}/results.json").status_code == 404
    assert "Results have not been published yet" in client.get(f"/s/{QID}/results").get_data(as_text=True)
    analyst = staff_client("analyst")
    made = _post(
        analyst,
        f"/staff/reports/{QID}/generate",
        f"/staff/reports/{QID}",
        kind="interim",
        format="json",
        as_of="2026-05-31",
        keep="yes",
    )
    assert made.status_code in {200, 303}  # type: ignore[attr-defined]  (303: a report job, run at once here)
    with app.app_context(), Session(get_engine()) as session:
        [snapshot] = repository_reports.list_snapshots(session=session, questionnaire_id=QID)
    staff_page = f"/staff/results/{QID}"
    assert _post(analyst, f"{staff_page}/publish/{snapshot.id}", staff_page).status_code == 302  # type: ignore[attr-defined]
    bad = _post(analyst, f"{staff_page}/we-did", staff_page, title="", body="")
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "Enter a title" in bad.get_data(as_text=True)  # type: ignore[attr-defined]
    _post(
        analyst,
        f"{staff_page}/we-did",
        staff_page,
        **{"on": ["14", "6", "2026"]},  # type: ignore[arg-type]
        title="Street lighting in Olney",
        body="We asked the council to repair 40 street lights.",
    )

    page = client.get(f"/s/{QID}/results")
    assert page.status_code == 200
    parsed = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    assert parsed.select_one("#took-part").get_text().startswith(f"{demo} people took part")
    assert "Street lighting in Olney" in parsed.get_text() and "14 June 2026" in parsed.get_text()
    assert parsed.select("table[id^=q-]") and parsed.select("table[id^=p-]")
    numbers = [td.get_text(strip=True) for td in parsed.select("table td.govuk-table__cell--numeric")]
    for text in numbers:  # a count shown is never under 10
        if text.replace(",", "").isdigit():
            assert int(text.replace(",", "")) >= MIN_CELL

    data = json.loads(client.get(f"/s/{QID}/results.json").data)
    assert data["responses"] == demo and data["min_cell"] == MIN_CELL
    rows = list(csv.DictReader(io.StringIO(client.get(f"/s/{QID}/results.csv").get_data(as_text=True))))
    assert rows and all(r["count"] == "" or int(r["count"]) >= MIN_CELL for r in rows)
    assert "free text" not in json.dumps(data).lower()

    polish = client.get(f"/s/{QID}/results?lang=pl", follow_redirects=True).get_data(as_text=True)
    assert "Wyniki" in polish and "Co zrobiliśmy" in polish
    assert {"results.publish", "results.we_did"} <= {
        e.action for a in ("results.publish", "results.we_did") for e in audit_actions(app, a)
    }
    assert _post(analyst, f"{staff_page}/unpublish/{snapshot.id}", staff_page).status_code == 302  # type: ignore[attr-defined]
    assert client.get(f"/s/{QID}/results.json").status_code == 404


def test_the_home_page_lists_open_and_closed_consultations(app: Flask, client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert page.select_one("#open-consultations") or page.select_one("#closed-consultations")
    links = [a["href"] for a in page.select("a")]
    assert any(href.endswith("/results") for href in links) or any(href.startswith("/s/") for href in links)


def test_small_cells_are_hidden_and_one_lone_small_cell_takes_another_with_it() -> None:
    numbers = {
        "questionnaire_id": "x",
        "kind": "final",
        "as_of": "2026-06-01",
        "headline": {"complete": 60},
        "questions": [
            {
                "id": "a",
                "item": None,
                "number": "1",
                "text": "A?",
                "base": 60,
                "sensitive": False,
                "rows": [
                    {"code": "y", "label": "Yes", "count": 45, "share": 0.75},
                    {"code": "n", "label": "No", "count": 11, "share": 0.18},
                    {"code": "d", "label": "Don't know", "count": 4, "share": 0.07},
                ],
            },
            {
                "id": "b",
                "item": None,
                "number": "2",
                "text": "B?",
                "base": 8,
                "sensitive": False,
                "rows": [{"code": "y", "label": "Yes", "count": 8, "share": 1.0}],
            },
            {
                "id": "c",
                "item": None,
                "number": "3",
                "text": "C?",
                "base": 60,
                "sensitive": True,
                "rows": [{"code": "y", "label": "Yes", "count": 60, "share": 1.0}],
            },
        ],
        "profile": [],
    }
    shown = public_results(numbers)
    assert [t.key for t in shown.questions] == ["a"]  # too few answers, and sensitive: not shown
    assert [(c.label, c.count) for c in shown.questions[0].cells] == [
        ("Yes", 45),
        ("No", None),
        ("Don't know", None),
    ]
