"""Background jobs from the staff report page: enqueue, progress page, restart, cancel, retries, access."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update
from sqlmodel import Session, col

from survey.engine import load_dict
from survey.services import jobs, reporting
from survey.services.demo import generate
from survey.services.demo.store import store
from survey.store import repository, repository_jobs, repository_reports
from survey.store.db import dispose_engine, get_engine
from survey.store.models_jobs import Job
from tests.conftest import make_app
from tests.helpers import csrf_of, run_queue, soup
from tests.integration.staff.conftest import FAST_HASHING, make_staff, sign_in
from tests.integration.staff.themes_helpers import QID, audit_actions, text_of

BASE = f"/staff/reports/{QID}"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'survey.db'}"


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Jobs wait on the queue (SQLite, huey) until a worker takes them: nothing runs in the request."""
    return {**FAST_HASHING, "SURVEY_JOBS_WORKER": "none"}


@pytest.fixture
def demo(app: Flask) -> int:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=QID)
        assert row is not None
        done, _ = store(
            session, QID, row.version, generate(load_dict(row.definition), 20, 7, date(2026, 4, 1), days=30)
        )
    return done


def _ask(client: FlaskClient, url: str, **data: str) -> str:
    token = csrf_of(client.get(BASE))
    response = client.post(url, data={"csrf_token": token, **data})
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    return str(response.headers["Location"])


def _job(app: Flask, job_id: int) -> Any:
    with app.app_context(), Session(get_engine()) as session:
        return repository_jobs.job_by_id(session=session, job_id=job_id, with_result=True)


def test_a_report_request_returns_at_once_with_a_progress_page_and_the_file_survives_a_restart(
    app: Flask, analyst: FlaskClient, demo: int, tmp_path: Path
) -> None:
    location = _ask(analyst, f"{BASE}/generate", kind="interim", format="json", as_of="2026-05-31")
    page = analyst.get(location).get_data(as_text=True)
    assert 'data-status="queued"' in page and "data-reload-after" in page
    assert "Waiting to start" in text_of(page) and "Cancel" in page
    assert analyst.get(location + "/download").status_code == 404  # nothing to download yet
    run_queue(app)
    # A restart of the web process: a new app on the same database and instance folder serves the file.
    restarted = make_app(app.config["DATABASE_URL"], tmp_path, **FAST_HASHING, SURVEY_JOBS_WORKER="none")
    try:
        client = restarted.test_client()
        assert sign_in(client, "analyst1@example.gov.uk").status_code in (302, 303)
        page = client.get(location).get_data(as_text=True)
        assert 'data-status="done"' in page and "data-reload-after" not in page
        assert "Your report is ready" in text_of(page)
        download = client.get(location + "/download")
        assert download.status_code == 200 and download.headers["Content-Type"] == "application/json"
        assert download.json is not None and download.json["headline"]["complete"] == demo
        [event] = audit_actions(restarted, "report.download")
        assert event.details["format"] == "json" and event.details["responses"] == demo
    finally:
        dispose_engine(restarted)


def test_an_export_runs_as_a_job_too(app: Flask, analyst: FlaskClient, demo: int) -> None:
    location = _ask(analyst, f"{BASE}/export", export_format="csv")
    run_queue(app)
    download = analyst.get(location + "/download")
    assert download.status_code == 200 and download.headers["Content-Type"].startswith("text/csv")
    assert download.data.decode("utf-8-sig").count("\n") >= demo
    assert [e.details["rows"] for e in audit_actions(app, "export.download")] == [demo]


def test_a_running_job_asked_to_cancel_says_so_and_offers_no_second_cancel(
    app: Flask, analyst: FlaskClient, demo: int
) -> None:
    location = _ask(analyst, f"{BASE}/generate", kind="interim", format="json")
    job_id = int(location.rsplit("/", 1)[1])
    with app.app_context(), Session(get_engine()) as session:  # as the worker does when it takes the job
        session.exec(update(Job).where(col(Job.id) == job_id).values(status="running", progress=40))
        session.commit()
    token = csrf_of(analyst.get(location))
    assert analyst.post(location + "/cancel", data={"csrf_token": token}).status_code == 303
    page = soup(analyst.get(location))  # until the worker reaches its next step
    assert page.find("div", id="job-status")["data-status"] == "running"
    assert page.find("button", string=lambda s: bool(s and "Cancel" in s)) is None
    assert "You asked for this job to be cancelled" in page.get_text(" ", strip=True)


def test_a_queued_job_cancelled_never_runs(app: Flask, analyst: FlaskClient, demo: int) -> None:
    location = _ask(analyst, f"{BASE}/generate", kind="interim", format="json")
    token = csrf_of(analyst.get(location))
    assert analyst.post(location + "/cancel", data={"csrf_token": token}).status_code == 303
    run_queue(app)
    job = _job(app, int(location.rsplit("/", 1)[1]))
    assert job.status == "cancelled" and job.attempts == 0 and job.result is None
    page = analyst.get(location).get_data(as_text=True)
    assert "Cancelled" in text_of(page) and "data-reload-after" not in page


@pytest.fixture
def test_kinds(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, int]]:
    """Job kinds defined by this module: flaky (fails once), broken (always fails), slow (cancelled)."""
    calls = {"flaky": 0, "broken": 0}
    monkeypatch.setitem(jobs.KINDS, "flaky", f"{__name__}:flaky_body")
    monkeypatch.setitem(jobs.KINDS, "broken", f"{__name__}:broken_body")
    monkeypatch.setitem(jobs.KINDS, "refused", f"{__name__}:refused_body")
    monkeypatch.setitem(jobs.KINDS, "cancelled_midway", f"{__name__}:cancelled_midway_body")
    CALLS.clear()
    CALLS.update(calls)
    yield CALLS


CALLS: dict[str, int] = {}


def flaky_body(job: Any, progress: jobs.Progress) -> jobs.Outcome:
    CALLS["flaky"] += 1
    if CALLS["flaky"] == 1:
        raise ConnectionError("the database went away")
    progress(50, "halfway")
    return jobs.Outcome("ok", b"data", "data.txt", "text/plain", {"n": 1})


def broken_body(job: Any, progress: jobs.Progress) -> jobs.Outcome:
    CALLS["broken"] += 1
    raise RuntimeError("always broken")


def refused_body(job: Any, progress: jobs.Progress) -> jobs.Outcome:
    raise jobs.JobError("There are no complete responses: nothing to report yet")


def cancelled_midway_body(job: Any, progress: jobs.Progress) -> jobs.Outcome:
    progress(10, "first step")
    with Session(get_engine()) as session:  # staff press Cancel while it runs
        assert jobs.cancel(session=session, job_id=job.id) == "running"
    progress(20, "second step")  # raises Cancelled
    raise AssertionError("a cancelled job went on")


def _submit(app: Flask, kind: str) -> int:
    with app.test_request_context(), Session(get_engine(), expire_on_commit=False) as session:
        job = jobs.submit(session=session, kind=kind, questionnaire_id=None, params={}, created_by="test")
        assert job.id is not None
        return job.id


@pytest.mark.parametrize(
    "app_config",
    [{"SURVEY_JOBS_WORKER": "immediate"}, {"SURVEY_JOBS_WORKER": "none", "SURVEY_JOBS_RETRY_SECONDS": "0"}],
)
def test_a_failed_attempt_is_retried_and_a_hopeless_job_fails_with_its_error(
    app: Flask, test_kinds: dict[str, int]
) -> None:
    flaky, broken, refused = _submit(app, "flaky"), _submit(app, "broken"), _submit(app, "refused")
    run_queue(app)
    job = _job(app, flaky)
    assert (job.status, job.attempts, job.progress, job.result_name) == ("done", 2, 100, "data.txt")
    job = _job(app, broken)
    assert (job.status, job.attempts) == ("failed", 1 + jobs.RETRIES)
    assert job.error == "RuntimeError: always broken" and test_kinds["broken"] == 1 + jobs.RETRIES
    job = _job(app, refused)  # bad input is not tried again
    assert (job.status, job.attempts) == ("failed", 1) and "nothing to report yet" in job.error


@pytest.mark.parametrize("app_config", [{**FAST_HASHING, "SURVEY_JOBS_WORKER": "immediate"}])
def test_a_running_job_stops_at_its_next_step_when_cancelled(app: Flask, test_kinds: dict[str, int]) -> None:
    job = _job(app, _submit(app, "cancelled_midway"))
    assert (job.status, job.progress, job.result) == ("cancelled", 10, None)


def test_staff_see_only_their_own_jobs_and_admins_see_all(
    app: Flask, analyst: FlaskClient, staff_client: Callable[..., FlaskClient], demo: int
) -> None:
    location = _ask(analyst, f"{BASE}/generate", kind="interim", format="json")
    make_staff(app, "other@example.org", "analyst")
    other = app.test_client()
    sign_in(other, "other@example.org")
    assert other.get(location).status_code == 404
    assert other.get(location + "/download").status_code == 404
    assert staff_client("admin").get(location).status_code == 200
    assert app.test_client().get(location).status_code in (302, 303)  # anonymous: sign in first


def test_the_embedded_worker_thread_runs_jobs_without_a_separate_process(
    app: Flask, analyst: FlaskClient, demo: int
) -> None:
    location = _ask(analyst, f"{BASE}/generate", kind="interim", format="json")
    thread = jobs.start_worker_thread(app)
    try:
        job_id = int(location.rsplit("/", 1)[1])
        for _ in range(600):
            if _job(app, job_id).status == "done":
                break
            threading.Event().wait(0.1)
        assert _job(app, job_id).status == "done"
    finally:
        app.extensions[jobs.EXTENSION_KEY + "_thread"][1].set()
        thread.join(10)


def _abandon(app: Flask, job_id: int, worker: str, beat: datetime) -> None:
    """What a worker killed mid-job leaves: the task taken off the queue, the job marked running."""
    assert jobs.queue_of(app).huey.dequeue() is not None
    with app.app_context(), Session(get_engine()) as session:
        assert repository_jobs.claim_job(session=session, job_id=job_id, now=beat, worker=worker)


def test_a_job_whose_worker_stopped_is_run_again(app: Flask, analyst: FlaskClient, demo: int) -> None:
    location = _ask(analyst, f"{BASE}/generate", kind="interim", format="json")
    job_id = int(location.rsplit("/", 1)[1])
    _abandon(app, job_id, f"{socket.gethostname()}:{999_999_999}", datetime.now(UTC))
    assert _job(app, job_id).status == "running"
    assert jobs.recover_abandoned(app) == [job_id]  # its process is gone from this host: at once
    run_queue(app)
    job = _job(app, job_id)
    assert (job.status, job.attempts) == ("done", 2)


def test_a_silent_job_on_another_host_is_run_again_only_when_stale_and_fails_after_its_attempts(
    app: Flask, analyst: FlaskClient, demo: int
) -> None:
    location = _ask(analyst, f"{BASE}/generate", kind="interim", format="json")
    job_id = int(location.rsplit("/", 1)[1])
    _abandon(app, job_id, "another-host:1", datetime.now(UTC) - timedelta(minutes=5))
    assert jobs.recover_abandoned(app) == []  # 5 minutes of silence: it may still be working
    with app.app_context(), Session(get_engine()) as session:
        session.execute(
            update(Job)
            .where(col(Job.id) == job_id)
            .values(heartbeat_at=datetime.now(UTC) - timedelta(hours=2), attempts=1 + jobs.RETRIES)
        )
        session.commit()
    assert jobs.recover_abandoned(app) == []  # no attempts left: failed, not queued
    job = _job(app, job_id)
    assert job.status == "failed" and job.error == jobs.STOPPED


def test_a_report_cancelled_while_its_file_is_drawn_is_not_stored(
    app: Flask, analyst: FlaskClient, demo: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel pressed after the last analysis step, while the PDF is rendered (seconds for a big report):
    the job ends cancelled and leaves no stored report behind (the list of stored reports, and the interim
    a final report compares with, would otherwise hold a report staff cancelled)."""
    location = _ask(analyst, f"{BASE}/generate", kind="interim", format="json", keep="yes")
    job_id = int(location.rsplit("/", 1)[1])
    drawn = reporting.render

    def cancel_while_drawing(report: Any, fmt: str) -> bytes:
        with Session(get_engine()) as session:
            jobs.cancel(session=session, job_id=job_id)
        return drawn(report, fmt)

    monkeypatch.setattr(reporting, "render", cancel_while_drawing)
    run_queue(app)
    job = _job(app, job_id)
    assert (job.status, job.result) == ("cancelled", None)
    with app.app_context(), Session(get_engine()) as session:
        assert repository_reports.list_snapshots(session=session, questionnaire_id=QID) == []
