"""Journeys a screen-out page ended are counted on their own ("the survey was not for them"), never as
drop-outs: on the dashboard, its list, and a channel's page."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_channels import Channel
from tests.integration.staff.test_dashboard import summary, table

QID = "council-budget-2027"  # its first question sends "Neither" to a screen-out page
TITLE_START = "/staff/dashboard/" + QID


def _store(app: Flask) -> None:
    """3 complete responses; 2 journeys screened out (one through the channel); 1 that stopped."""
    day = date(2026, 5, 4)
    rows = [
        ("complete", {"connection": "live"}, "connection", None),
        ("complete", {"connection": "work"}, "connection", "libraries"),
        ("complete", {"connection": "live"}, "connection", None),
        ("in_progress", {"connection": "neither"}, "connection", "libraries"),
        ("in_progress", {"connection": "neither"}, "connection", None),
        ("in_progress", {"connection": "live"}, "connection", None),
    ]
    with app.app_context(), Session(get_engine()) as session:
        for status, answers, last, channel in rows:
            session.add(
                Response(
                    token=secrets.token_urlsafe(16),
                    questionnaire_id=QID,
                    questionnaire_version="1.0.0",
                    channel=channel,
                    mode="online",
                    status=status,
                    started_on=day,
                    completed_on=day if status == "complete" else None,
                    duration_seconds=300 if status == "complete" else None,
                    last_question=last,
                    answers=answers,
                )
            )
        session.add(
            Channel(
                code="libraries",
                questionnaire_id=QID,
                partner_name="Library service",
                medium="poster",
                label="Posters",
                created_by="test",
                created_at=datetime.now(UTC),
            )
        )
        session.commit()


@pytest.fixture
def analyst(app: Flask, staff_client: Callable[..., FlaskClient]) -> FlaskClient:
    _store(app)
    return staff_client("analyst")


def _page(client: FlaskClient, path: str) -> BeautifulSoup:
    page = client.get(path)
    assert page.status_code == 200, page.get_data(as_text=True)[:400]
    return BeautifulSoup(page.get_data(as_text=True), "html.parser")


def test_the_dashboard_counts_screened_out_journeys_on_their_own(analyst: FlaskClient) -> None:
    page = _page(analyst, f"/staff/dashboard/{QID}")
    facts = summary(page)
    assert facts["Journeys started (all modes)"] == "6"
    assert facts["Ended: the survey was not for them"].startswith("2 ")
    assert facts["Not finished"] == "1 (stopped before sending)"
    assert facts["Completion rate (online)"] == (
        "75% of 4 online journeys started, leaving out 2 the survey was not for"
    )
    drop_off = table(page, "drop-off")  # only the one that stopped, at 100% of the unfinished
    assert len(drop_off) == 1 and drop_off[0][1:] == ["1", "100%"]
    channels = {row[0]: row[1:4] for row in table(page, "channels")}
    assert channels["Library service – Posters (libraries)"] == ["2", "1", "1"]
    assert channels["No channel (direct link)"] == ["4", "2", "1"]


def test_the_dashboard_list_and_a_channel_page_say_the_same(analyst: FlaskClient) -> None:
    listing = _page(analyst, "/staff/dashboard")
    row = listing.select_one(f"a[href='{TITLE_START}']")
    assert row is not None
    cells = [c.get_text(strip=True) for c in row.find_parent("tr").find_all("td")]  # type: ignore[union-attr]
    assert cells == ["6", "3", "2", "75%"]
    facts = {
        " ".join(r.select_one("dt").get_text().split()): " ".join(r.select_one("dd").get_text().split())  # type: ignore[union-attr]
        for r in _page(analyst, "/staff/channels/libraries").select("#channel-facts .govuk-summary-list__row")
    }
    assert facts["Journeys started"] == "2" and facts["Responses completed"] == "1"
    assert facts["Ended: the survey was not for them"] == "1"  # analysts see the exact count
