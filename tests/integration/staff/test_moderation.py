"""Moderation: a response left out with a reason leaves reports, which say so; restore; quality flags."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.engine import load_dict
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.services.moderation import FLAG_RULES, quality_flags
from survey.store import repository
from survey.store.db import get_engine
from survey.store.models import Response
from tests.helpers import csrf_of
from tests.integration.staff.test_channels import create
from tests.integration.staff.themes_helpers import QID, audit_actions

REPORT = f"/staff/reports/{QID}/generate"


@pytest.fixture
def demo(app: Flask) -> int:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        done, _ = store(
            session, QID, row.version, generate(load_dict(row.definition), 30, 7, date(2026, 4, 1), days=30)
        )
    return done


def _report(client: FlaskClient, fmt: str) -> bytes:
    token = csrf_of(client.get(f"/staff/reports/{QID}"))
    response = client.post(
        REPORT,
        data={"csrf_token": token, "kind": "interim", "format": fmt, "as_of": "2026-05-31", "keep": "no"},
    )
    if response.status_code == 303 and "/staff/jobs/" in response.headers["Location"]:  # a report job
        response = client.get(response.headers["Location"] + "/download")  # (tests run jobs at once)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return bytes(response.data)


def _complete_ids(app: Flask) -> list[int]:
    with app.app_context(), Session(get_engine()) as session:
        rows = repository.responses_for_report(session=session, questionnaire_id=QID)
    return [r["id"] for r in rows if r["status"] == "complete"]


def test_an_excluded_response_leaves_the_report_which_says_why_and_can_be_restored(
    app: Flask, demo: int, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst")
    before = json.loads(_report(analyst, "json"))["headline"]["complete"]
    target = _complete_ids(app)[0]
    page_url = f"/staff/moderation/{QID}/responses/{target}"
    missing = analyst.post(page_url, data={"csrf_token": csrf_of(analyst.get(page_url))})
    assert missing.status_code == 400 and "Select why it is left out" in missing.get_data(as_text=True)
    done = analyst.post(
        page_url,
        data={
            "csrf_token": csrf_of(analyst.get(page_url)),
            "reason": "test",
            "note": "Keyed by the team to try the form",
        },
    )
    assert done.status_code == 302
    assert target not in _complete_ids(app)
    after = json.loads(_report(analyst, "json"))["headline"]["complete"]
    assert after == before - 1
    html = _report(analyst, "html").decode()
    assert "Responses left out" in html and "1 complete response was left out" in html
    assert "test response: 1" in html
    listing = BeautifulSoup(analyst.get(f"/staff/moderation/{QID}").get_data(as_text=True), "html.parser")
    assert listing.select_one(f"#excluded tr[data-response='{target}']") is not None
    rules = listing.select_one("#flag-rules")
    assert rules is not None and "first 3 days are not counted" in rules.get_text()
    restore = analyst.post(f"{page_url}/restore", data={"csrf_token": csrf_of(analyst.get(page_url))})
    assert restore.status_code == 302 and target in _complete_ids(app)
    assert audit_actions(app, "response.excluded")[0].details["reason"] == "test"
    assert audit_actions(app, "response.restored")


def test_finding_a_response_that_does_not_exist_says_so(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    page = staff_client("analyst").get(f"/staff/moderation/{QID}?response=999")
    assert page.status_code == 400 and "There is no response 999" in page.get_data(as_text=True)
    assert staff_client("partner").get(f"/staff/moderation/{QID}").status_code == 403


def _row(rid: int, answers: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "status": "complete",
        "mode": "online",
        "channel": None,
        "completed_on": date(2026, 4, 1 + rid % 20),
        "duration_seconds": 300,
        "answers": answers,
        **extra,
    }


def test_quality_flags_find_speeders_straight_liners_duplicates_and_bursts() -> None:
    questionnaire = {
        "sections": [{"questions": [{"id": "worry", "type": "rating", "items": [{"id": x} for x in "abcd"]}]}]
    }
    varied = {"worry": {"a": "1", "b": "2", "c": "3", "d": "4"}}
    rows = [
        _row(i, {**varied, "q1": str(i), "q2": "x", "q3": "y", "q4": "z", "q5": str(i * 7)})
        for i in range(1, 20)
    ]
    rows.append(_row(50, {**varied, "q1": "a"}, duration_seconds=40))  # fast
    rows.append(_row(51, {"worry": {"a": "4", "b": "4", "c": "4", "d": "4"}}))  # straight line
    twin = dict(rows[0]["answers"])
    rows.append(_row(52, twin, completed_on=rows[0]["completed_on"]))  # duplicate of 1
    rows += [_row(100 + i, {"q1": str(i)}, channel="club", completed_on=date(2026, 4, 30)) for i in range(12)]
    rows += [
        _row(200 + i, {"q1": str(i)}, channel="club", completed_on=date(2026, 4, 1 + i)) for i in range(5)
    ]
    flags = {f.response_id: {kind for kind, _ in f.flags} for f in quality_flags(rows, questionnaire)}
    assert "fast" in flags[50] and "straight_line" in flags[51] and "duplicate" in flags[52]
    assert all("burst" in flags[100 + i] for i in range(12))
    assert not any(rid in flags for rid in range(2, 20))  # ordinary responses raise nothing


def test_a_launch_rush_is_not_a_burst_but_a_later_one_is() -> None:
    """Launch day: the direct link's first three days are busy (40, 30, 20 completions), then 2 a day for
    three weeks; a later day of 15 is a burst, the launch is not."""
    launch = date(2026, 4, 1)
    rows: list[dict[str, Any]] = []
    for offset, count in [(0, 40), (1, 30), (2, 20), *((d, 2) for d in range(3, 24)), (24, 15)]:
        for _ in range(count):
            rid = len(rows) + 1
            rows.append(_row(rid, {"q1": str(rid)}, completed_on=launch + timedelta(days=offset)))
    flagged = {f.response_id: f for f in quality_flags(rows, {"sections": []})}
    bursts = [rid for rid, f in flagged.items() if any(kind == "burst" for kind, _ in f.flags)]
    late = {r["id"] for r in rows if r["completed_on"] == launch + timedelta(days=24)}
    assert set(bursts) == late  # only the later rush: 15, not the 90 launch-day responses
    assert FLAG_RULES["burst"].endswith("brings an expected rush")


def test_an_excluded_response_leaves_the_channel_list_and_the_channel_pages(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst")
    assert create(analyst, code="trust-a", partner_name="Partner A").status_code == 302
    with app.app_context(), Session(get_engine()) as session:
        for i in range(13):  # 12 complete through the link, one unfinished
            session.add(
                Response(
                    token=f"ch{i}",
                    questionnaire_id=QID,
                    questionnaire_version="1",
                    channel="trust-a",
                    status="complete" if i < 12 else "in_progress",
                    started_on=date(2026, 5, 20),
                    completed_on=date(2026, 5, 20) if i < 12 else None,
                    answers={"respondent_type": "resident", "sex": "female"},
                )
            )
        session.commit()
    partner = staff_client("partner")

    def counts() -> list[tuple[str, str]]:
        out = []
        for client in (analyst, partner):
            listing = BeautifulSoup(client.get("/staff/channels").get_data(as_text=True), "html.parser")
            [cells] = [tr.find_all("td") for tr in listing.select("#channel-list tbody tr")]
            out.append((cells[-2].get_text(strip=True), cells[-1].get_text(strip=True)))
            page = BeautifulSoup(client.get("/staff/channels/trust-a").get_data(as_text=True), "html.parser")
            facts = {
                row.dt.get_text(strip=True): row.dd.get_text(strip=True)  # type: ignore[union-attr]
                for row in page.select("#channel-facts .govuk-summary-list__row")
            }
            out.append((facts["Journeys started"], facts["Responses completed"]))
        return out

    assert counts() == [("13", "12")] * 4
    target = _complete_ids(app)[0]
    page_url = f"/staff/moderation/{QID}/responses/{target}"
    done = analyst.post(
        page_url, data={"csrf_token": csrf_of(analyst.get(page_url)), "reason": "spam", "note": ""}
    )
    assert done.status_code == 302
    # The analyst's list and page, then the partner's (stepped: as of the release point) lose it too.
    assert counts() == [("12", "11")] * 4
