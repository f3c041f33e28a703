"""The issue's 'done when': an admin adds an analyst and a partner from the command line; the partner sees
only their channel's counts; the analyst's dashboard drop-off and profile match the stored responses."""

from __future__ import annotations

import re
from collections.abc import Callable

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from tests.helpers import csrf_of
from tests.integration.staff.conftest import sign_in
from tests.integration.staff.test_channels import create
from tests.respondent import Respondent

QID = "safermk-2016"
NEW_PASSWORD = "a long passphrase nobody guesses"


def added(runner: FlaskCliRunner, *args: str) -> tuple[str, str]:
    """Run `survey staff add ...`; the email and its one-time password."""
    result = runner.invoke(args=["staff", "add", *args])
    assert result.exit_code == 0, result.output
    found = re.search(r"One-time password for (\S+): (\S+)", result.output)
    assert found, result.output
    return found.group(1), found.group(2)


def signed_in(app: Flask, email: str, one_time: str) -> FlaskClient:
    """A browser that signed in with the one-time password and chose its own."""
    browser = app.test_client()
    assert sign_in(browser, email, one_time).headers["Location"] == "/staff/password"
    page = browser.get("/staff/password")
    changed = browser.post(
        "/staff/password",
        data={
            "csrf_token": csrf_of(page),
            "current_password": one_time,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302, changed.get_data(as_text=True)
    return browser


def test_cli_accounts_partner_counts_and_analyst_dashboard(
    app: Flask, runner: FlaskCliRunner, respondent: Callable[..., Respondent]
) -> None:
    analyst = signed_in(app, *added(runner, "analyst@council.gov.uk", "--role", "analyst"))
    partner = signed_in(
        app, *added(runner, "outreach@trust.org.uk", "--role", "partner", "--partner-name", "Housing trust A")
    )
    create(analyst, code="hta-posters", partner_name="Housing trust A")
    create(analyst, code="p3-outreach", partner_name="P3", medium="outreach", label="Outreach")

    for code, answers in (
        ("hta-posters", {"sex": "male", "age": 20}),
        ("hta-posters", {"sex": "female"}),
        ("p3-outreach", {"sex": "female"}),
    ):
        resident = respondent(QID)
        resident.get(f"/c/{code}")
        resident.start(channel=code)
        resident.walk({"respondent_type": "resident", "ward": "olney", **answers})
        resident.submit()
    stopped = respondent(QID)
    stopped.get("/c/hta-posters")
    stopped.start(channel="hta-posters")
    stopped.walk({"respondent_type": "resident"}, stop_at="sex")  # answered ward and tenure, then left

    listing = BeautifulSoup(partner.get("/staff/channels").get_data(as_text=True), "html.parser")
    rows = listing.select("#channel-list tbody tr")
    assert [r["data-channel"] for r in rows] == ["hta-posters"]
    # two complete responses are under the first release step (10): partners see nothing move yet
    assert [td.get_text(strip=True) for td in rows[0].find_all("td")][-2:] == ["0", "0"]
    assert partner.get("/staff/channels/p3-outreach").status_code == 404
    assert partner.get(f"/staff/dashboard/{QID}").status_code == 403

    page = BeautifulSoup(analyst.get(f"/staff/dashboard/{QID}").get_data(as_text=True), "html.parser")
    drop = [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in page.select("#drop-off tbody tr")
    ]
    assert drop == [["3. Does your household own or rent your home?", "1", "100%"]]
    sex = {
        tr["data-category"]: tr.td.get_text(strip=True)  # type: ignore[union-attr]
        for tr in page.select("#profile-sex_age16to74 tbody tr")
    }
    assert sex == {"Female": "2", "Male": "1"}
    channels = {
        tr["data-channel"]: [td.get_text(strip=True) for td in tr.find_all("td")][:2]
        for tr in page.select("#channels tbody tr")
    }
    assert channels == {"hta-posters": ["3", "2"], "p3-outreach": ["1", "1"]}
