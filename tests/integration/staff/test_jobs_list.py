"""Your jobs (/staff/jobs): the signed-in member of staff's background jobs, newest first, with links back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.staff import jobs as jobs_view
from survey.store import repository_jobs
from survey.store.db import get_engine
from tests.helpers import csrf_of
from tests.integration.staff.conftest import FAST_HASHING
from tests.integration.staff.themes_helpers import QID, text_of

pytestmark = pytest.mark.usefixtures("closed_queue")  # tests/integration/staff/conftest.py

URL = "/staff/jobs"
START = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Jobs wait on the queue until a worker takes them (none runs here): the tests set their states."""
    return {**FAST_HASHING, "SURVEY_JOBS_WORKER": "none"}


def _add(app: Flask, created_by: str, kind: str = "report", state: str = "queued", **params: Any) -> int:
    """A job asked for by `created_by`, brought to `state` as a worker would (a report's own kind is
    `report_kind`)."""
    if "report_kind" in params:
        params["kind"] = params.pop("report_kind")
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        count = len(repository_jobs.recent_jobs(session=session, limit=1000))
        now = START + timedelta(minutes=count)
        job = repository_jobs.create_job(
            session=session, kind=kind, questionnaire_id=QID, params=params, created_by=created_by, now=now
        )
        assert job.id is not None
        if state == "queued":
            return job.id
        assert repository_jobs.claim_job(session=session, job_id=job.id, now=now)
        if state == "running":
            repository_jobs.set_progress(session=session, job_id=job.id, progress=40, message="Counting")
        elif state in ("done", "deleted"):
            name = f"{kind}-{job.id}.csv"
            repository_jobs.finish_job(
                session=session,
                job_id=job.id,
                now=now,
                result=b"a,b\n",
                result_name=name,
                result_type="text/csv",
                summary={},
                message="Ready",
            )
            if state == "deleted":
                repository_jobs.remove_results(session=session, job_ids=[job.id], why="Expired")
                session.commit()
        elif state == "failed":
            repository_jobs.fail_job(session=session, job_id=job.id, now=now, error="Broken", retrying=False)
        elif state == "cancelled":
            repository_jobs.cancel_job(session=session, job_id=job.id, now=now)
            repository_jobs.mark_cancelled(session=session, job_id=job.id, now=now)
        return job.id


def _rows(client: FlaskClient, url: str = URL) -> list[Any]:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser").select("#jobs tbody tr")


def test_your_jobs_lists_your_jobs_newest_first_with_their_states_links_and_files(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst", email="me@example.gov.uk")
    me = "me@example.gov.uk"
    report = _add(app, me, "report", "done", report_kind="interim", format="pdf", audience="public")
    export = _add(app, me, "export", "running", export_format="sav")
    expired = _add(app, me, "export", "deleted", export_format="csv")
    failed = _add(app, me, "report", "failed", report_kind="final", format="json", audience="internal")
    cancelled = _add(app, me, "export", "cancelled", export_format="zip")
    queued = _add(app, me, "report", "queued", report_kind="interim", format="xlsx", audience="partner")
    rows = _rows(analyst)
    assert [int(row["data-job"]) for row in rows] == [queued, cancelled, failed, expired, export, report]
    by_id = {int(row["data-job"]): row for row in rows}
    for job_id, row in by_id.items():  # each links to its own progress page
        assert row.find("a", href=f"/staff/jobs/{job_id}") is not None
    done = text_of(str(by_id[report]))
    assert f"Report {report}" in done and QID in done and "interim · PDF · public" in done and "Done" in done
    assert by_id[report].find("a", href=f"/staff/jobs/{report}/download") is not None
    assert f"report-{report}.csv" in done
    running = text_of(str(by_id[export]))
    assert f"Export {export}" in running and "SAV" in running and "Running 40%" in running
    assert by_id[export].find("a", href=f"/staff/jobs/{export}/download") is None
    gone = text_of(str(by_id[expired]))  # done, but its file expired: no download link
    assert "Done" in gone and "Its file was deleted" in gone
    assert by_id[expired].find("a", href=f"/staff/jobs/{expired}/download") is None
    assert "Failed" in text_of(str(by_id[failed])) and "final · JSON · internal" in text_of(
        str(by_id[failed])
    )
    assert "Cancelled" in text_of(str(by_id[cancelled]))
    assert "Waiting to start" in text_of(str(by_id[queued]))
    for job_id in (failed, cancelled, queued):
        assert by_id[job_id].find("a", href=f"/staff/jobs/{job_id}/download") is None
    assert analyst.get(f"/staff/jobs/{report}/download").data == b"a,b\n"  # the link works


def test_a_job_asked_for_on_the_reports_page_is_found_again_from_the_reports_and_job_pages(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst")
    reports = analyst.get(f"/staff/reports/{QID}")
    assert BeautifulSoup(reports.get_data(as_text=True), "html.parser").find("a", href=URL) is not None
    sent = analyst.post(
        f"/staff/reports/{QID}/export", data={"csrf_token": csrf_of(reports), "export_format": "csv"}
    )
    assert sent.status_code == 303
    location = str(sent.headers["Location"])
    job_page = BeautifulSoup(analyst.get(location).get_data(as_text=True), "html.parser")
    back = job_page.find("a", href=URL)
    assert back is not None and back.get_text(strip=True) == "All your jobs"
    [row] = _rows(analyst)
    assert row.find("a", href=location) is not None and "Waiting to start" in text_of(str(row))
    home = BeautifulSoup(analyst.get("/staff/").get_data(as_text=True), "html.parser")
    assert home.find("a", href=URL) is not None
    index = BeautifulSoup(analyst.get("/staff/reports").get_data(as_text=True), "html.parser")
    assert index.find("a", href=URL) is not None


def test_another_persons_jobs_are_never_listed_not_even_to_an_admin(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    mine = _add(app, "analyst1@example.gov.uk", "export", "done", export_format="csv")
    theirs = _add(
        app, "other@example.gov.uk", "report", "done", report_kind="final", format="pdf", audience="public"
    )
    system = _add(app, "partner page", "partner_report", "done")  # made for a page, not by a person
    analyst = staff_client("analyst")
    page = analyst.get(URL).get_data(as_text=True)
    assert [int(row["data-job"]) for row in _rows(analyst)] == [mine]
    for other in (theirs, system):
        assert f"/staff/jobs/{other}" not in page and f"report-{other}.csv" not in page
        assert f"partner_report-{other}.csv" not in page
    assert "1 job" in text_of(page) and "final" not in text_of(page)
    admin = staff_client("admin")  # an admin may open anyone's job page, but this list is their own
    assert _rows(admin) == [] and f"/staff/jobs/{mine}" not in admin.get(URL).get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in_and_partners_are_refused(
    app: Flask, client: FlaskClient, staff_client: Callable[..., FlaskClient]
) -> None:
    _add(app, "partner1@example.gov.uk", "report", "done")
    response = client.get(URL)
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")
    refused = staff_client("partner").get(URL)
    assert refused.status_code == 403 and "/staff/jobs/" not in refused.get_data(as_text=True)


def test_with_no_jobs_the_page_says_so_and_points_to_the_reports(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    _add(app, "someone@example.gov.uk", "export", "done")
    page = BeautifulSoup(staff_client("analyst").get(URL).get_data(as_text=True), "html.parser")
    assert page.select("#jobs") == []
    empty = page.select_one("#no-jobs")
    assert empty is not None and "You have not asked for any jobs yet" in empty.get_text()
    assert empty.find("a", href="/staff/reports") is not None


def test_many_jobs_are_paged(
    app: Flask, staff_client: Callable[..., FlaskClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jobs_view, "PAGE_SIZE", 2)
    analyst = staff_client("analyst")
    made = [_add(app, "analyst1@example.gov.uk", "export", "queued") for _ in range(5)]
    first = analyst.get(URL).get_data(as_text=True)
    assert [int(row["data-job"]) for row in _rows(analyst)] == made[:-3:-1]
    assert "5 jobs, page 1 of 3" in text_of(first) and f"{URL}?page=2" in first
    assert [int(row["data-job"]) for row in _rows(analyst, f"{URL}?page=3")] == made[:1]
    beyond = analyst.get(f"{URL}?page=9").get_data(as_text=True)
    assert "There are no jobs on this page" in text_of(beyond) and f"{URL}?page=1" in beyond
