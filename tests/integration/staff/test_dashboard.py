"""The live dashboard shows the numbers of a hand-built set of stored responses."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.test import TestResponse

from survey.store import repository
from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_channels import Channel
from survey.store.repository_dashboard import responses_for_dashboard
from tests.unit.test_metrics_dashboard import HAND_BUILT

QID = "safermk-2016"


def store(app: Flask, rows: list[dict[str, object]], *, closes: date | None = date(2026, 6, 11)) -> None:
    """Store the hand-built responses and two channels; set the closing date."""
    with app.app_context(), Session(get_engine()) as session:
        for row in rows:
            session.add(
                Response(
                    token=secrets.token_urlsafe(16),
                    questionnaire_id=QID,
                    questionnaire_version="1",
                    channel=row["channel"],
                    mode=row["mode"],
                    status=row["status"],
                    started_on=row["started_on"],
                    completed_on=row["completed_on"],
                    duration_seconds=row["duration_seconds"],
                    last_question=row["last_question"],
                    answers=row["answers"],
                )
            )
        for code, partner in (("trust-a", "Partner A"), ("trust-b", "Partner B"), ("idle", "Partner C")):
            session.add(
                Channel(
                    code=code,
                    questionnaire_id=QID,
                    partner_name=partner,
                    medium="poster",
                    label="Posters",
                    created_by="test",
                    created_at=datetime.now(UTC),
                )
            )
        session.commit()
        repository.set_questionnaire_dates(session=session, questionnaire_id=QID, opens=None, closes=closes)


def table(page: BeautifulSoup, table_id: str) -> list[list[str]]:
    """A table's body as rows of cell texts (header cell first)."""
    found = page.find(id=table_id)
    assert isinstance(found, Tag), f"no table #{table_id}"
    found = BeautifulSoup(str(found), "html.parser")
    for meter in found.find_all("meter"):  # bars repeat the number beside them
        meter.decompose()
    return [
        [" ".join(c.get_text(" ", strip=True).split()) for c in tr.find_all(["th", "td"])]
        for tr in found.select("tbody tr")
    ]


def summary(page: BeautifulSoup) -> dict[str, str]:
    """The headline summary list: key -> value."""
    found: dict[str, str] = {}
    for row in page.select("#headline .govuk-summary-list__row"):
        key, value = row.select_one("dt"), row.select_one("dd")
        assert key is not None and value is not None
        found[key.get_text(strip=True)] = " ".join(value.get_text(" ", strip=True).split())
    return found


def open_dashboard(client: FlaskClient) -> tuple[TestResponse, BeautifulSoup]:
    """GET the SaferMK dashboard."""
    page = client.get(f"/staff/dashboard/{QID}")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    return page, BeautifulSoup(page.get_data(as_text=True), "html.parser")


def test_headline_figures(app: Flask, analyst: FlaskClient) -> None:
    store(app, HAND_BUILT)
    _, page = open_dashboard(analyst)
    assert summary(page) == {
        "Completed responses": "5",
        "Journeys started (all modes)": "10",
        "Completion rate (online)": "43% of 7 online journeys started",
        "Median completion time": "7 min",
        "Closing date": "11 June 2026",
        "Projected by the closing date": "15 completed responses",
    }
    basis = page.find(id="projection-basis")
    assert isinstance(basis, Tag)
    assert basis.get_text().startswith(
        "Linear projection: 1.0 completed responses a day (the average of the "
        "last 5 days) for the 10 days left until 11 June 2026."
    )


def test_responses_per_day_and_cumulative(app: Flask, analyst: FlaskClient) -> None:
    store(app, HAND_BUILT)
    _, page = open_dashboard(analyst)
    assert [row[:4] for row in table(page, "daily")] == [
        ["Thu 28 May 2026", "1", "1", "1"],
        ["Fri 29 May 2026", "2", "1", "2"],
        ["Sat 30 May 2026", "2", "0", "2"],
        ["Sun 31 May 2026", "2", "2", "4"],
        ["Mon 1 Jun 2026", "3", "1", "5"],
    ]
    meters = page.select("#daily meter")
    assert [(m["value"], m["max"]) for m in meters] == [
        ("1", "2"),
        ("1", "2"),
        ("0", "2"),
        ("2", "2"),
        ("1", "2"),
    ]


def test_drop_off_by_question_with_question_text(app: Flask, analyst: FlaskClient) -> None:
    store(app, HAND_BUILT)
    _, page = open_dashboard(analyst)
    assert table(page, "drop-off") == [
        ["Pressed start but answered no question", "1", "25%"],
        ["3. Does your household own or rent your home?", "2", "50%"],
        ["8. How concerned are you about each of these in Milton Keynes?", "1", "25%"],
    ]


def test_mode_mix(app: Flask, analyst: FlaskClient) -> None:
    store(app, HAND_BUILT)
    _, page = open_dashboard(analyst)
    assert table(page, "modes") == [
        ["Online", "3", "60%"],
        ["Paper form", "1", "20%"],
        ["Phone", "1", "20%"],
        ["Assisted (in person)", "0", "0%"],
    ]


def test_profile_against_the_population_and_under_represented_groups(
    app: Flask, analyst: FlaskClient
) -> None:
    store(app, HAND_BUILT)
    _, page = open_dashboard(analyst)
    assert table(page, "profile-sex_age16to74") == [
        ["Female", "3", "75%", "51%", "Over-represented"],
        ["Male", "1", "25%", "49%", "Under-represented"],
    ]
    ages = {row[0]: row[1:3] for row in table(page, "profile-age_adult16plus")}
    assert ages == {
        "16-24": ["0", "0%"],
        "25-34": ["1", "25%"],
        "35-49": ["1", "25%"],
        "50-64": ["1", "25%"],
        "65+": ["1", "25%"],
    }
    assert [m["value"] for m in page.select("#profile-sex_age16to74 meter")] == [
        "0.75",
        "0.5078",
        "0.25",
        "0.4922",
    ]
    tenure = {row[0]: row[1] for row in table(page, "profile-tenure_households_grouped")}
    assert tenure == {
        "Owner-occupied incl. shared ownership": "2",
        "Social rented": "1",
        "Private rented incl. rent free": "1",
    }
    wards = {row[0]: row[1] for row in table(page, "profile-ward") if row[1] != "0"}
    assert wards == {"Bradwell": "2", "Olney": "2", "Wolverton": "1"}
    callout = page.find(id="under-represented")
    assert isinstance(callout, Tag)
    items = {
        li["data-group"]: " ".join(li.get_text(" ", strip=True).split())
        for li in callout.find_all("li", attrs={"data-group": True})
    }
    assert [h.get_text(strip=True) for h in callout.find_all("h4")] == ["Age", "Sex", "Area (ward)"]
    assert len([g for g in items if g.startswith("ward:")]) == 5  # the five needing the most responses
    assert "and 11 more under-represented groups in the table below." in callout.get_text(" ", strip=True)
    assert items["sex_age16to74:Male"] == (
        "Male: 25% of respondents, 49% of the population; about 1 more response needed. "
        "Channels that reach them: Partner A – Posters (trust-a) (1)."
    )
    assert items["age_adult16plus:16-24"].endswith("No channel has reached this group yet.")
    assert "sex_age16to74:Female" not in items


def test_channels_started_completed_and_the_groups_they_bring(app: Flask, analyst: FlaskClient) -> None:
    store(app, HAND_BUILT)
    _, page = open_dashboard(analyst)
    rows = {row[0]: row[1:] for row in table(page, "channels")}
    assert list(rows) == [
        "Partner A – Posters (trust-a)",
        "Partner B – Posters (trust-b)",
        "Partner C – Posters (idle)",
        "No channel (direct link)",
    ]
    assert rows["Partner A – Posters (trust-a)"][:2] == ["2", "2"]
    brought = rows["Partner A – Posters (trust-a)"][2]
    for group in ("Female 1", "Male 1", "25-34 1", "65+ 1", "Social rented 1", "Bradwell 1", "Olney 1"):
        assert group in brought, group
    assert rows["Partner C – Posters (idle)"] == ["0", "0", "–"]
    assert rows["No channel (direct link)"][:2] == ["7", "2"]


def test_no_projection_without_a_closing_date_and_an_empty_survey_says_so(
    app: Flask, analyst: FlaskClient
) -> None:
    store(app, [], closes=None)
    _, page = open_dashboard(analyst)
    facts = summary(page)
    assert facts["Completed responses"] == "0"
    assert facts["Projected by the closing date"].startswith("No projection")
    assert facts["Median completion time"] == "no timed responses yet"
    assert "No responses yet." in page.get_text()
    assert page.find(id="drop-off") is None


def test_dashboard_index_lists_questionnaires_with_counts(app: Flask, analyst: FlaskClient) -> None:
    store(app, HAND_BUILT)
    page = BeautifulSoup(analyst.get("/staff/dashboard").get_data(as_text=True), "html.parser")
    rows = {
        r[0]: r[1:]
        for r in [
            [c.get_text(strip=True) for c in tr.find_all(["th", "td"])] for tr in page.select("tbody tr")
        ]
    }
    assert rows["SaferMK survey: crime and community safety in Milton Keynes"] == ["10", "5", "0", "50%"]


def test_unknown_questionnaire_is_404(analyst: FlaskClient) -> None:
    assert analyst.get("/staff/dashboard/no-such-survey").status_code == 404


def test_a_broken_reference_name_is_reported_on_the_page_not_a_500(app: Flask, analyst: FlaskClient) -> None:
    with app.app_context(), Session(get_engine()) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        row.definition = {**row.definition, "x-reference": "no-such-reference"}
        session.add(row)
        session.commit()
    _, page = open_dashboard(analyst)
    assert "no reference population called 'no-such-reference'" in page.get_text()


def test_the_dashboards_column_read_gives_exactly_the_report_dicts(app: Flask) -> None:
    store(app, HAND_BUILT)
    with app.app_context(), Session(get_engine()) as session:
        report = repository.responses_for_report(session=session, questionnaire_id=QID)
        fast = responses_for_dashboard(session=session, questionnaire_id=QID)
    assert len(report) == len(HAND_BUILT)
    assert fast == report


def test_after_the_closing_date_the_days_stop_there_unless_late_forms_came_in(
    app: Flask, analyst: FlaskClient
) -> None:
    store(app, HAND_BUILT[:2], closes=date(2026, 5, 30))  # completed on 28 and 29 May
    _, page = open_dashboard(analyst)
    days = [row[0] for row in table(page, "daily")]
    assert days == ["Thu 28 May 2026", "Fri 29 May 2026", "Sat 30 May 2026"]
    assert summary(page)["Projected by the closing date"].startswith("No projection")
    with app.app_context(), Session(get_engine()) as session:
        repository.set_questionnaire_dates(
            session=session, questionnaire_id=QID, opens=None, closes=date(2026, 5, 28)
        )
    days = [row[0] for row in table(open_dashboard(analyst)[1], "daily")]
    assert days == ["Thu 28 May 2026", "Fri 29 May 2026"]  # a form keyed after closing still shows
