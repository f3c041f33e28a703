"""The staff report form asks who a report is for (issue 12): internal, partner or public.

The choice travels in the background job's parameters to make_report; the file says its audience; a
partner or public report asked for before the first release point is refused on the form with the reason;
the download's audit entry names the audience.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.engine import load_dict
from survey.services import jobs
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.store import repository, repository_reports, repository_stream
from survey.store.db import get_engine
from tests.helpers import csrf_of
from tests.integration.staff.themes_helpers import QID, audit_actions

BASE = f"/staff/reports/{QID}"
LAST_DAY = date(2026, 5, 31)


@pytest.fixture
def demo(app: Flask) -> int:
    """30 demo responses completed over April 2026."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        done, _ = store(
            session, QID, row.version, generate(load_dict(row.definition), 30, 7, date(2026, 4, 1), days=30)
        )
    return done


def _complete_by(app: Flask, day: date) -> int:
    with app.app_context(), Session(get_engine()) as session:
        return repository_stream.count_complete(session=session, questionnaire_id=QID, as_of=day)


def _early_day(app: Flask) -> date:
    """A day by which some, but fewer than the threshold (10), responses were complete."""
    day = date(2026, 4, 1)
    while _complete_by(app, day + timedelta(days=1)) < 10:
        day += timedelta(days=1)
    assert 0 < _complete_by(app, day) < 10
    return day


def _ask(client: FlaskClient, **data: str) -> tuple[int, str, str]:
    """Post the report form; (status, page text, job page) or, once its job is done, the job's page."""
    token = csrf_of(client.get(BASE))
    response = client.post(f"{BASE}/generate", data={"csrf_token": token, **data})
    location = response.headers.get("Location", "")
    if response.status_code == 303:
        return 303, client.get(location).get_data(as_text=True), location
    return response.status_code, response.get_data(as_text=True), ""


def test_the_form_offers_the_three_audiences_and_internal_is_chosen_at_first(
    staff_client: Callable[..., FlaskClient], demo: int
) -> None:
    page = BeautifulSoup(staff_client("analyst").get(BASE).get_data(as_text=True), "html.parser")
    radios = page.select('input[name="audience"]')
    assert [r["value"] for r in radios] == ["internal", "partner", "public"]
    assert [r["value"] for r in radios if r.has_attr("checked")] == ["internal"]
    assert "not for publication" in page.select_one(f"label[for={radios[0]['id']}]").get_text()


@pytest.mark.parametrize(
    ("audience", "says"),
    [
        ("internal", "Internal: not for publication"),
        ("public", "For publication: small counts are hidden"),
    ],
)
def test_the_report_is_made_for_the_audience_chosen_and_says_so(
    app: Flask, staff_client: Callable[..., FlaskClient], demo: int, audience: str, says: str
) -> None:
    client = staff_client("analyst")
    status, job_page, job_url = _ask(
        client, kind="interim", format="json", as_of=LAST_DAY.isoformat(), keep="yes", audience=audience
    )
    assert status == 303 and 'data-status="done"' in job_page, job_page[:2000]
    download = client.get(f"{job_url}/download")
    numbers = json.loads(download.data)
    assert numbers["audience"] == audience and numbers["disclosure"]["notice"].startswith(says)
    suffix = "" if audience == "internal" else f"-{audience}"
    assert (
        f'filename="{QID}-interim-{LAST_DAY.isoformat()}{suffix}.json"'
        in download.headers["Content-Disposition"]
    )
    with app.app_context(), Session(get_engine()) as session:
        [snapshot] = repository_reports.list_snapshots(session=session, questionnaire_id=QID)
        assert repository_reports.snapshot_audiences(session=session, questionnaire_id=QID) == {
            snapshot.id: audience
        }
    [entry] = audit_actions(app, "report.download")
    assert entry.details["audience"] == audience and entry.details["kind"] == "interim"
    listed = BeautifulSoup(client.get(BASE).get_data(as_text=True), "html.parser")
    assert listed.select_one("#snapshots td[data-audience]")["data-audience"] == audience

    html = client.get(f"/staff/reports/snapshots/{snapshot.id}")  # the stored copy, downloaded again
    assert html.status_code == 200 and json.loads(html.data)["audience"] == audience
    assert audit_actions(app, "report.download")[0].details["audience"] == audience


def test_an_html_report_shows_its_audience_on_its_banner(
    staff_client: Callable[..., FlaskClient], demo: int
) -> None:
    client = staff_client("analyst")
    for audience, banner in (("internal", "Internal version."), ("partner", "Partner version.")):
        status, job_page, job_url = _ask(client, kind="interim", format="html", keep="no", audience=audience)
        assert status == 303 and 'data-status="done"' in job_page
        text = BeautifulSoup(client.get(f"{job_url}/download").data, "html.parser").get_text(" ")
        assert banner in " ".join(text.split())


def test_a_partner_or_public_report_before_the_first_release_point_is_refused_on_the_form(
    app: Flask, staff_client: Callable[..., FlaskClient], demo: int
) -> None:
    client = staff_client("analyst")
    day = _early_day(app)
    have = _complete_by(app, day)
    for audience in ("partner", "public"):
        status, page, _ = _ask(client, kind="interim", format="pdf", as_of=day.isoformat(), audience=audience)
        assert status == 400
        parsed = BeautifulSoup(page, "html.parser")
        message = " ".join(parsed.select_one("#audience-error").get_text(" ").split())
        assert f"A {audience} report cannot be made yet" in message
        assert f"{have} complete response" in message and f"up to {day:%-d %B %Y}" in message
        assert f"a {audience} report needs at least 10" in message and "internal report" in message
        assert parsed.select_one(f'input[name="audience"][value="{audience}"]').has_attr("checked")
        assert parsed.select_one("#as_of")["value"] == day.isoformat()  # what was typed is kept
    with app.app_context(), Session(get_engine()) as session:
        assert repository_reports.list_snapshots(session=session, questionnaire_id=QID) == []
    status, page, _ = _ask(client, kind="interim", format="json", as_of=day.isoformat(), audience="internal")
    assert status == 303 and 'data-status="done"' in page  # internal reports may be made for any date


def test_an_audience_that_is_not_one_of_the_three_is_refused(
    staff_client: Callable[..., FlaskClient], demo: int
) -> None:
    status, page, _ = _ask(staff_client("analyst"), kind="interim", format="pdf", audience="press")
    assert status == 400
    assert "Select who the report is for" in page


def test_a_report_job_that_finds_too_few_responses_for_its_audience_fails_with_the_reason(
    app: Flask, demo: int
) -> None:
    day = _early_day(app)
    with app.test_request_context(), Session(get_engine(), expire_on_commit=False) as session:
        job = jobs.submit(
            session=session,
            kind="report",
            questionnaire_id=QID,
            created_by="analyst@example.gov.uk",
            params={"kind": "interim", "format": "json", "as_of": day.isoformat(), "audience": "public"},
        )
        assert job.status == "failed" and job.error is not None
        assert job.error.startswith("A public report cannot be made yet: there are ")
        assert "nothing to report" not in job.error
