"""Public results: staff publish a stored report and write "we did" updates; the public page and open data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.engine import load_dict
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.store import repository, repository_reports, repository_results
from survey.store.db import get_engine
from tests.helpers import post_form
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


def _make(app: Flask, analyst: FlaskClient, audience: str) -> int:
    """Make and keep an interim JSON report for `audience` through the report form; its snapshot id."""
    made = post_form(
        analyst,
        f"/staff/reports/{QID}/generate",
        f"/staff/reports/{QID}",
        kind="interim",
        format="json",
        as_of="2026-05-31",
        keep="yes",
        audience=audience,
    )
    assert made.status_code == 303  # a report job, run at once here
    assert 'data-status="done"' in analyst.get(made.headers["Location"]).get_data(as_text=True)
    with app.app_context(), Session(get_engine()) as session:
        snapshot = repository_reports.list_snapshots(session=session, questionnaire_id=QID)[0]
    assert snapshot.id is not None
    return snapshot.id


def test_a_published_report_and_a_we_did_update_make_the_public_page(
    app: Flask, demo: int, staff_client: Callable[..., FlaskClient], client: FlaskClient
) -> None:
    assert client.get(f"/s/{QID}/results.json").status_code == 404
    assert "Results have not been published yet" in client.get(f"/s/{QID}/results").get_data(as_text=True)
    analyst = staff_client("analyst")
    staff_page = f"/staff/results/{QID}"
    internal = _make(app, analyst, "internal")
    public = _make(app, analyst, "public")
    refused = post_form(analyst, f"{staff_page}/publish/{internal}", staff_page)
    assert refused.status_code == 400
    words = " ".join(BeautifulSoup(refused.get_data(as_text=True), "html.parser").get_text(" ").split())
    assert f"Report #{internal} was made for the internal audience, so it cannot be published" in words
    assert "choosing “Public” as who the report is for" in words
    assert client.get(f"/s/{QID}/results.json").status_code == 404  # nothing was published
    listing = BeautifulSoup(analyst.get(staff_page).get_data(as_text=True), "html.parser")
    assert listing.select_one(f"tr[data-snapshot='{internal}'] td[data-audience]").get_text() == "Internal"
    assert listing.select_one(f"tr[data-snapshot='{internal}'] button") is None  # no Publish button

    assert post_form(analyst, f"{staff_page}/publish/{public}", staff_page).status_code == 302
    bad = post_form(analyst, f"{staff_page}/we-did", staff_page, title="", body="")
    assert bad.status_code == 400
    assert "Enter a title" in bad.get_data(as_text=True)
    post_form(
        analyst,
        f"{staff_page}/we-did",
        staff_page,
        **{"on": ["14", "6", "2026"]},
        title="Street lighting in Olney",
        body="We asked the council to repair 40 street lights.",
    )

    page = client.get(f"/s/{QID}/results")
    assert page.status_code == 200
    parsed = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    with app.app_context(), Session(get_engine()) as session:
        snapshot = repository_reports.snapshot_by_id(session=session, snapshot_id=public)
        assert snapshot is not None and snapshot.numbers["audience"] == "public"
        numbers = snapshot.numbers
    counted = numbers["headline"]["complete"]  # up to the public audience's last release point
    assert demo - 10 < counted <= demo
    assert parsed.select_one("#took-part").get_text().startswith(f"{counted} people took part")
    release = date.fromisoformat(numbers["disclosure"]["release_point"])
    assert f"counting responses up to {release:%-d %B %Y}" in parsed.get_text()
    assert "Street lighting in Olney" in parsed.get_text() and "14 June 2026" in parsed.get_text()
    assert parsed.select("table[id^=q-]") and parsed.select("table[id^=p-]")
    assert "fewer than" not in " ".join(td.get_text() for td in parsed.select("td"))  # never "the small ones"

    data = json.loads(client.get(f"/s/{QID}/results.json").data)
    assert data["responses"] == counted and data["threshold"] == 10
    by_key = {str(q["id"]) + (f".{q['item']}" if q.get("item") else ""): q for q in numbers["questions"]}
    shown = 0
    for table in data["questions"]:  # the page shows the public report's cells as they are
        report = by_key[table["key"]]
        assert table["base"] == report["base"]
        assert [c["count"] for c in table["cells"]] == [r["count"] for r in report["rows"]]
        rows = parsed.select(f"table[id='q-{table['key']}'] tbody tr")
        assert len(rows) == len(table["cells"])
        for row, cell in zip(rows, table["cells"], strict=True):
            people = row.select("td")[0].get_text(strip=True)
            assert people == ("hidden" if cell["hidden"] else f"{cell['count']:,}")
            shown += not cell["hidden"]
    assert shown and any(c["hidden"] for t in data["questions"] for c in t["cells"])
    rows = list(csv.DictReader(io.StringIO(client.get(f"/s/{QID}/results.csv").get_data(as_text=True))))
    assert rows and {r["note"] for r in rows} <= {"", "hidden"}
    assert all((r["count"] == "") == (r["note"] == "hidden") for r in rows if r["table"] == "question")
    assert "free text" not in json.dumps(data).lower()

    polish = client.get(f"/s/{QID}/results?lang=pl", follow_redirects=True).get_data(as_text=True)
    assert "Wyniki" in polish and "Co zrobiliśmy" in polish and "ukryte" in polish
    [entry] = audit_actions(app, "results.publish")
    assert entry.details["snapshot"] == public and entry.details["audience"] == "public"
    assert {"results.publish", "results.we_did"} <= {
        e.action for a in ("results.publish", "results.we_did") for e in audit_actions(app, a)
    }
    assert post_form(analyst, f"{staff_page}/unpublish/{public}", staff_page).status_code == 302
    assert client.get(f"/s/{QID}/results.json").status_code == 404


def test_a_report_of_another_audience_published_before_the_rule_is_not_shown(
    app: Flask, demo: int, staff_client: Callable[..., FlaskClient], client: FlaskClient
) -> None:
    """An internal report published before publishing required a public one stays off the public page."""
    analyst = staff_client("analyst")
    internal = _make(app, analyst, "internal")
    with app.app_context(), Session(get_engine()) as session:
        snapshot = repository_reports.snapshot_by_id(session=session, snapshot_id=internal)
        assert snapshot is not None
        assert repository_results.publish(session=session, snapshot=snapshot, by="old", now=datetime.now(UTC))
    assert client.get(f"/s/{QID}/results.json").status_code == 404
    page = client.get(f"/s/{QID}/results").get_data(as_text=True)
    assert "Results have not been published yet" in page
    home = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert f"/s/{QID}/results" not in [a["href"] for a in home.select("a")]


def test_the_home_page_lists_open_and_closed_consultations(app: Flask, client: FlaskClient) -> None:
    page = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    assert page.select_one("#open-consultations") or page.select_one("#closed-consultations")
    links = [a["href"] for a in page.select("a")]
    assert any(href.endswith("/results") for href in links) or any(href.startswith("/s/") for href in links)
