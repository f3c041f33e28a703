"""Issue 18: the partner page's partner report is a background job, made once and read by every process.

Without a worker in the request (SURVEY_JOBS_WORKER=none) the page says the figures are being prepared and
reloads itself; many partners at once make one job; a failed job is said plainly with a Try again button;
a result made by one process is read by another; a result whose file was deleted is made again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import Session, col, select

from survey.engine import load_dict
from survey.services import jobs
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.services.jobs.partner import CHANGED
from survey.store import repository
from survey.store.db import dispose_engine, get_engine
from survey.store.models import Response
from survey.store.models_jobs import Job
from survey.store.repository_security import remove_job_files
from tests.conftest import make_app
from tests.helpers import csrf_of, run_queue
from tests.integration.staff.conftest import FAST_HASHING, make_staff, sign_in
from tests.integration.staff.test_channels import create
from tests.integration.staff.test_partner_needs import _partner_report

pytestmark = pytest.mark.usefixtures("closed_queue")  # tests/integration/staff/conftest.py

QID = "safermk-2016"
PREPARING = "We are preparing the figures for this page"


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Jobs wait on the queue until a worker takes them: nothing runs in the request."""
    return {**FAST_HASHING, "SURVEY_JOBS_WORKER": "none"}


@pytest.fixture
def partner(app: Flask, staff_client: Callable[..., FlaskClient]) -> FlaskClient:
    """A partner with a link on SaferMK, and 300 demo responses (40 through the link)."""
    assert create(staff_client("analyst"), partner_name="Partner A", code="pa-one").status_code == 302
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        store(
            session, QID, row.version, generate(load_dict(row.definition), 300, 5, date(2026, 4, 1), days=30)
        )
        session.execute(update(Response).where(col(Response.id) <= 40).values(channel="pa-one"))
        session.commit()
    return staff_client("partner")


def _jobs(app: Flask) -> list[Job]:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return list(session.exec(select(Job).where(Job.kind == "partner_report").order_by(col(Job.id))))


def _page(client: FlaskClient) -> tuple[int, str, BeautifulSoup]:
    response = client.get("/staff/partner")
    text = response.get_data(as_text=True)
    return response.status_code, text, BeautifulSoup(text, "html.parser")


def _status(parsed: BeautifulSoup) -> str | None:
    found = parsed.select_one("#partner-figures-status")
    return str(found["data-status"]) if found is not None else None


def _shows_figures(parsed: BeautifulSoup) -> bool:
    return parsed.select_one(f"#needs-{QID}") is not None or "completed responses" in parsed.get_text()


def test_without_a_worker_the_page_says_the_figures_are_being_prepared_then_shows_them(
    app: Flask, partner: FlaskClient, tmp_path: Path, staff_client: Callable[..., FlaskClient]
) -> None:
    status, text, parsed = _page(partner)
    assert status == 200 and _status(parsed) == "preparing"
    assert PREPARING in parsed.get_text() and "This usually takes under a minute." in parsed.get_text()
    assert 'data-reload-after="5"' in text
    assert parsed.select_one("progress#partner-figures-progress") is not None
    assert parsed.select_one("label[for=partner-figures-progress]") is not None
    assert parsed.title is not None and "Preparing the figures" in parsed.title.get_text()
    assert not _shows_figures(parsed)  # never partial figures
    assert parsed.select_one("a[href='/staff/partner?refresh=off']") is not None
    still = partner.get("/staff/partner?refresh=off").get_data(as_text=True)  # WCAG 2.2.1: turned off
    assert "data-reload-after" not in still and PREPARING in still and "Check again" in still
    assert _page(partner)[0] == 200
    [job] = _jobs(app)  # asked for twice, made once
    assert (job.status, job.created_by, job.questionnaire_id) == ("queued", "partner page", QID)

    run_queue(app)
    [job] = _jobs(app)
    assert job.status == "done" and job.result is not None
    status, text, parsed = _page(partner)
    assert status == 200 and _status(parsed) is None and "data-reload-after" not in text
    table = parsed.select_one(f"#needs-{QID}")
    assert table is not None, parsed.get_text()[:2000]
    flags = {(d.dimension, r.category): r.flag for d in _partner_report(app).profile for r in d.rows}
    rows = table.select("tbody tr")
    assert rows
    for tr in rows:  # the stored report decides, as the report made here says
        assert flags[(tr["data-dimension"], tr["data-category"])] == "under"

    # The stored report is the partner report; only admins may open its job ("partner page" asked for it).
    assert partner.get(f"/staff/jobs/{job.id}/download").status_code == 403
    assert staff_client("analyst").get(f"/staff/jobs/{job.id}/download").status_code == 404
    download = staff_client("admin").get(f"/staff/jobs/{job.id}/download")
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/json"
    assert download.json is not None and download.json["audience"] == "partner"

    # Another process (a restart, another app instance) reads the same result: no new job.
    other = make_app(
        app.config["DATABASE_URL"], tmp_path / "other", **FAST_HASHING, SURVEY_JOBS_WORKER="none"
    )
    try:
        make_staff(other, "partner9@example.org", "partner", partner_name="Partner A")
        client = other.test_client()
        assert sign_in(client, "partner9@example.org").status_code in (302, 303)
        status, _, elsewhere = _page(client)
        assert status == 200 and _status(elsewhere) is None
        assert str(elsewhere.select_one(f"#needs-{QID}")) == str(table)
    finally:
        jobs.close_queue(other)
        dispose_engine(other)
    assert len(_jobs(app)) == 1

    # Retention or an erasure deletes the kept file: the page prepares it again (the same job, queued again).
    with app.app_context(), Session(get_engine()) as session:
        assert remove_job_files(session=session, where=[col(Job.kind) == "partner_report"], why="test") == 1
        session.commit()
    status, _, parsed = _page(partner)
    assert status == 200 and _status(parsed) == "preparing" and not _shows_figures(parsed)
    [again] = _jobs(app)
    assert (again.id, again.status, again.attempts) == (job.id, "queued", 0)
    run_queue(app)
    assert _page(partner)[2].select_one(f"#needs-{QID}") is not None


def test_many_partners_loading_the_page_at_once_make_one_job(
    app: Flask, partner: FlaskClient, staff_client: Callable[..., FlaskClient]
) -> None:
    clients = [partner] + [staff_client("partner", partner_name="Partner A") for _ in range(5)]
    start = threading.Barrier(len(clients))
    seen: list[str | None] = []

    def load(client: FlaskClient) -> None:
        start.wait()
        status, _, parsed = _page(client)
        assert status == 200
        seen.append(_status(parsed))

    threads = [threading.Thread(target=load, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == ["preparing"] * len(clients)
    assert [j.status for j in _jobs(app)] == ["queued"]


def test_a_job_for_responses_that_changed_meanwhile_fails_and_the_page_asks_for_the_new_ones(
    app: Flask, partner: FlaskClient
) -> None:
    assert _status(_page(partner)[2]) == "preparing"
    with app.app_context(), Session(get_engine()) as session:  # a released response is no longer complete
        first = session.exec(select(col(Response.id)).where(col(Response.status) == "complete")).first()
        session.execute(update(Response).where(col(Response.id) == first).values(status="in_progress"))
        session.commit()
    run_queue(app)
    [stale] = _jobs(app)
    assert stale.status == "failed" and stale.error == CHANGED and stale.result is None
    status, _, parsed = _page(partner)  # not "could not be prepared": these are other responses
    assert status == 200 and _status(parsed) == "preparing"
    assert [j.status for j in _jobs(app)] == ["failed", "queued"]
    run_queue(app)
    assert _page(partner)[2].select_one(f"#needs-{QID}") is not None


def test_new_figures_delete_the_previous_ones_once_they_are_ready_never_before(
    app: Flask, partner: FlaskClient
) -> None:
    _page(partner)
    run_queue(app)
    [first] = _jobs(app)
    assert first.status == "done" and first.result is not None
    with app.app_context(), Session(get_engine()) as session:  # the released responses change
        gone = session.exec(select(col(Response.id)).where(col(Response.status) == "complete")).first()
        session.execute(update(Response).where(col(Response.id) == gone).values(status="in_progress"))
        session.commit()
    assert _status(_page(partner)[2]) == "preparing"
    assert [(j.status, j.result is not None) for j in _jobs(app)] == [("done", True), ("queued", False)]
    run_queue(app)
    old, new = _jobs(app)
    assert (old.status, old.result, old.result_name) == ("done", None, None)  # not left until retention
    assert old.message == jobs.SUPERSEDED.format(job_id=new.id)
    assert new.status == "done" and new.result is not None
    assert _page(partner)[2].select_one(f"#needs-{QID}") is not None


def broken_body(job: Any, progress: jobs.Progress) -> jobs.Outcome:
    progress(10, "first step")
    raise RuntimeError("the report could not be made: secret detail")


@pytest.mark.parametrize("app_config", [{**FAST_HASHING, "SURVEY_JOBS_WORKER": "immediate"}])
def test_a_failed_job_is_said_plainly_and_try_again_makes_it_once_more(
    app: Flask, partner: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = jobs.KINDS["partner_report"]
    monkeypatch.setitem(jobs.KINDS, "partner_report", f"{__name__}:broken_body")
    status, text, parsed = _page(partner)
    assert status == 200 and _status(parsed) == "failed"
    assert "The figures for this page could not be prepared" in parsed.get_text()
    assert "data-reload-after" not in text and "secret detail" not in text and not _shows_figures(parsed)
    form = parsed.select_one("form[action='/staff/partner/prepare']")
    assert form is not None and form.select_one("input[name=csrf_token]") is not None
    assert "Try again" in form.get_text()
    [job] = _jobs(app)
    assert (job.status, job.attempts) == ("failed", 1 + jobs.RETRIES)
    assert _status(_page(partner)[2]) == "failed"  # a visit alone does not try again
    assert _jobs(app)[0].attempts == 1 + jobs.RETRIES

    assert partner.post("/staff/partner/prepare", data={}).status_code == 400  # no CSRF token: refused
    monkeypatch.setitem(jobs.KINDS, "partner_report", real)
    token = csrf_of(partner.get("/staff/partner"))
    answer = partner.post("/staff/partner/prepare", data={"csrf_token": token})
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/staff/partner")
    [job] = _jobs(app)
    assert (job.status, job.attempts, job.error) == ("done", 1, None)
    status, _, parsed = _page(partner)
    assert status == 200 and parsed.select_one(f"#needs-{QID}") is not None
