"""Issue 18: jobs nobody will finish, and results nobody will read again, on SQLite and Postgres.

A worker killed mid-job leaves its job `running` with a heartbeat that stops moving; an emptied queue leaves
a job `queued` that no worker will ever take. The workers' check (`jobs.recover_abandoned`) queues such a
job again once and then fails it with a message its page shows, never a page that waits for ever. A worker
taken for stopped that comes back cannot overwrite the attempt that replaced it. A page that shows only the
newest result of a family (partner figures, suggestions) has the older results deleted when a newer one is
done, and `survey retention apply` expires finished jobs' files after SURVEY_JOBS_KEEP_DAYS.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import update
from sqlmodel import Session, col

from survey.services import jobs, retention
from survey.store import repository_jobs
from survey.store.db import get_engine
from survey.store.models_jobs import Job
from tests.helpers import run_queue
from tests.integration.staff.conftest import FAST_HASHING
from tests.integration.staff.themes_helpers import audit_actions, text_of

pytestmark = pytest.mark.usefixtures("closed_queue")  # tests/integration/staff/conftest.py


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Jobs wait on the queue (huey on SQLite, or on Postgres) until a worker takes them."""
    return {**FAST_HASHING, "SURVEY_JOBS_WORKER": "none", "SURVEY_JOBS_RETRY_SECONDS": "0"}


@pytest.fixture(autouse=True)
def quick_kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap bodies for the kinds these tests make (the rules under test do not depend on the body)."""
    monkeypatch.setitem(jobs.KINDS, "quick", f"{__name__}:quick_body")
    for kind in ("report", "partner_report", "suggestions"):
        monkeypatch.setitem(jobs.KINDS, kind, f"{__name__}:quick_body")


def quick_body(job: Any, progress: jobs.Progress) -> jobs.Outcome:
    progress(50, "halfway")
    return jobs.Outcome("made", f"made by job {job.id}".encode(), f"job-{job.id}.txt", "text/plain", {})


def _submit(app: Flask, kind: str = "quick", qid: str | None = None, **params: Any) -> int:
    with app.test_request_context(), Session(get_engine(), expire_on_commit=False) as session:
        job = jobs.submit(session=session, kind=kind, questionnaire_id=qid, params=params, created_by="test")
        assert job.id is not None
        return job.id


def _submit_once(app: Flask, key: str, qid: str) -> int:
    with app.test_request_context(), Session(get_engine(), expire_on_commit=False) as session:
        job = jobs.submit_once(
            session=session,
            dedupe_key=key,
            kind="partner_report",
            questionnaire_id=qid,
            params={},
            created_by="t",
        )
        assert job.id is not None
        return job.id


def _job(app: Flask, job_id: int) -> Job:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        job = repository_jobs.job_by_id(session=session, job_id=job_id, with_result=True)
        assert job is not None
        return job


def _set(app: Flask, job_id: int, **values: Any) -> None:
    with app.app_context(), Session(get_engine()) as session:
        session.execute(update(Job).where(col(Job.id) == job_id).values(**values))
        session.commit()


def _held(app: Flask) -> list[int]:
    """Job ids on huey's queue, oldest first."""
    return [task.args[0] for task in jobs.queue_of(app).huey.pending()]


def _killed_worker(app: Flask, job_id: int, beat: datetime, worker: str = "another-host:4242") -> None:
    """What a worker killed mid-job leaves: the task taken off the queue, the job running, its last
    heartbeat at `beat` (the worker ran on another host, so only the silence tells it stopped)."""
    task = jobs.queue_of(app).huey.dequeue()
    assert task is not None and task.args == (job_id,)
    with app.app_context(), Session(get_engine()) as session:
        assert repository_jobs.claim_job(session=session, job_id=job_id, now=beat, worker=worker)


def _ago(**delta: float) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


def test_a_job_whose_worker_was_killed_is_queued_again_once_then_fails_plainly_on_its_page(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    admin = staff_client("admin")
    job_id = _submit(app)
    _killed_worker(app, job_id, _ago(minutes=jobs.STALE_MINUTES + 5))
    page = admin.get(f"/staff/jobs/{job_id}").get_data(as_text=True)
    assert 'data-status="running"' in page and "data-reload-after" in page  # still looks alive

    assert jobs.recover_abandoned(app) == [job_id]
    job = _job(app, job_id)
    assert (job.status, job.attempts, job.recoveries, job.error) == ("queued", 1, 1, None)
    assert _held(app) == [job_id]  # on the queue again, for any worker
    assert jobs.recover_abandoned(app) == []  # just queued again: its clock started again

    _killed_worker(app, job_id, _ago(minutes=jobs.STALE_MINUTES + 5))  # the next worker dies too
    assert jobs.recover_abandoned(app) == []  # not queued a second time
    job = _job(app, job_id)
    assert (job.status, job.attempts, job.recoveries) == ("failed", 2, 1)
    assert job.error == jobs.STOPPED == "The job stopped without finishing; start it again."
    assert job.finished_at is not None and _held(app) == []
    page = admin.get(f"/staff/jobs/{job_id}").get_data(as_text=True)
    assert 'data-status="failed"' in page and "data-reload-after" not in page  # no page spinning for ever
    assert jobs.STOPPED in text_of(page) and "could not be made" in text_of(page)
    assert "It was tried 2 time(s)." in text_of(page)
    assert f"/staff/jobs/{job_id}/cancel" not in page
    assert jobs.recover_abandoned(app) == [] and _job(app, job_id).status == "failed"  # settled


def test_a_dead_process_on_this_host_is_noticed_at_once_and_a_quiet_one_elsewhere_only_when_stale(
    app: Flask,
) -> None:
    dead = _submit(app)
    _killed_worker(app, dead, datetime.now(UTC), worker=f"{jobs.worker_id().rpartition(':')[0]}:999999999")
    assert jobs.recover_abandoned(app) == [dead]
    run_queue(app)
    assert (_job(app, dead).status, _job(app, dead).attempts, _job(app, dead).result) == (
        "done",
        2,
        f"made by job {dead}".encode(),
    )

    quiet = _submit(app)
    _killed_worker(app, quiet, _ago(minutes=jobs.STALE_MINUTES - 2))
    assert jobs.recover_abandoned(app) == [] and _job(app, quiet).status == "running"  # may be working
    with app.app_context(), Session(get_engine()) as session:  # staff cancel it; nobody is there to stop
        assert jobs.cancel(session=session, job_id=quiet) == "running"
    _set(app, quiet, heartbeat_at=_ago(minutes=jobs.STALE_MINUTES + 1))
    assert jobs.recover_abandoned(app) == []
    assert _job(app, quiet).status == "cancelled"  # what was asked for, not run again


@pytest.mark.parametrize(
    "app_config", [{**FAST_HASHING, "SURVEY_JOBS_WORKER": "none", "SURVEY_JOBS_STALE_MINUTES": "2"}]
)
def test_the_silence_allowed_is_configured(app: Flask) -> None:
    job_id = _submit(app)
    _killed_worker(app, job_id, _ago(minutes=3))  # within the default 10 minutes, past the 2 configured
    assert jobs.stale_after(app) == timedelta(minutes=2) < timedelta(minutes=jobs.STALE_MINUTES)
    assert jobs.recover_abandoned(app) == [job_id]


def test_a_queued_job_whose_queue_entry_was_lost_is_queued_again_but_a_long_queue_is_left_alone(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    lost, young = _submit(app), _submit(app)
    jobs.queue_of(app).huey.storage.flush_queue()  # the queue emptied (a Redis flushed, a file deleted)
    waiting = _submit(app)  # still on the queue, only behind a long backlog
    old = _ago(minutes=jobs.STALE_MINUTES + 1)
    _set(app, lost, created_at=old)
    _set(app, waiting, created_at=old)
    assert jobs.recover_abandoned(app) == [lost]
    assert _held(app) == [waiting, lost]
    assert (_job(app, young).status, _job(app, young).recoveries) == ("queued", 0)  # too young to tell
    run_queue(app)
    assert [_job(app, i).status for i in (lost, young, waiting)] == ["done", "queued", "done"]
    assert _job(app, lost).attempts == 1

    _set(app, young, created_at=old)
    assert jobs.recover_abandoned(app) == [young]
    jobs.queue_of(app).huey.storage.flush_queue()  # lost once more: failed, said plainly
    _set(app, young, heartbeat_at=old)
    assert jobs.recover_abandoned(app) == []
    job = _job(app, young)
    assert (job.status, job.error, job.attempts, job.recoveries) == ("failed", jobs.STOPPED, 0, 1)
    page = staff_client("admin").get(f"/staff/jobs/{young}").get_data(as_text=True)
    assert jobs.STOPPED in text_of(page) and "data-reload-after" not in page
    assert "It was tried" not in text_of(page)  # it never started


def test_a_worker_taken_for_stopped_that_comes_back_cannot_overwrite_the_attempt_that_replaced_it(
    app: Flask,
) -> None:
    job_id = _submit(app)
    _killed_worker(app, job_id, _ago(minutes=jobs.STALE_MINUTES + 5))  # attempt 1: only slow, in fact
    assert jobs.recover_abandoned(app) == [job_id]
    _killed_worker(app, job_id, datetime.now(UTC), worker="host-b:7")  # attempt 2 is running
    now = datetime.now(UTC)
    with app.app_context(), Session(get_engine()) as session:  # attempt 1 wakes up
        with pytest.raises(jobs.Cancelled):  # it stops at its next step, writing nothing
            jobs.Progress(session, job_id, attempt=1)(60, "still going")
        kept = {"result_name": "stale.txt", "result_type": "text/plain", "summary": {}, "message": "late"}
        assert not repository_jobs.finish_job(
            session=session, job_id=job_id, now=now, result=b"stale", attempt=1, **kept
        )
        assert not repository_jobs.mark_cancelled(session=session, job_id=job_id, now=now, attempt=1)
        assert not repository_jobs.fail_job(
            session=session, job_id=job_id, now=now, error="late", retrying=True, attempt=1
        )
        job = repository_jobs.job_by_id(session=session, job_id=job_id)
        assert job is not None
        assert (job.status, job.attempts, job.worker, job.progress) == ("running", 2, "host-b:7", 0)
        jobs.Progress(session, job_id, attempt=2)(70, "attempt 2")  # its owner goes on
        assert repository_jobs.finish_job(
            session=session, job_id=job_id, now=now, result=b"fresh", attempt=2, **kept
        )
    assert (_job(app, job_id).status, _job(app, job_id).result) == ("done", b"fresh")


def test_a_newer_result_of_the_same_family_deletes_the_older_ones_never_a_newer_or_another_family(
    app: Flask,
) -> None:
    first = _submit_once(app, "partner_report:a", "safermk-2016")
    other = _submit_once(app, "partner_report:b", "other-questionnaire")
    run_queue(app)
    second = _submit_once(app, "partner_report:c", "safermk-2016")  # the release point moved
    run_queue(app)
    assert _job(app, second).result == f"made by job {second}".encode()
    gone = _job(app, first)
    assert (gone.status, gone.result, gone.result_name) == ("done", None, None)
    assert gone.message == jobs.SUPERSEDED.format(job_id=second)
    assert _job(app, other).result is not None  # another questionnaire's figures

    # An older job that finishes after a newer one deletes nothing newer, and keeps its own result (a page
    # may be asking for exactly it); the newer one, when done, had deleted only what was older than it.
    older = _submit_once(app, "partner_report:d", "safermk-2016")
    newer = _submit_once(app, "partner_report:e", "safermk-2016")
    held = jobs.queue_of(app).huey.dequeue()
    assert held is not None and held.args == (older,)
    run_queue(app)
    assert _job(app, second).result is None and _job(app, newer).result is not None
    jobs.queue_of(app).huey.execute(held)
    assert _job(app, older).result is not None and _job(app, newer).result is not None

    # Suggestions: the family is the question.
    q1_old, q2 = (
        _submit(app, "suggestions", "safermk-2016", question="q1"),
        _submit(app, "suggestions", "safermk-2016", question="q2"),
    )
    run_queue(app)
    q1_new = _submit(app, "suggestions", "safermk-2016", question="q1")
    run_queue(app)
    assert [_job(app, i).result is not None for i in (q1_old, q2, q1_new)] == [False, True, True]


def test_retention_expires_finished_jobs_files_after_the_configured_days_but_not_what_a_page_shows(
    app: Flask, runner: FlaskCliRunner, staff_client: Callable[..., FlaskClient]
) -> None:
    old_report, new_report = _submit(app, "report", "safermk-2016"), _submit(app, "report", "safermk-2016")
    shown = _submit_once(app, "partner_report:x", "safermk-2016")
    suggested = _submit(app, "suggestions", "safermk-2016", question="q1")
    run_queue(app)
    long_ago = _ago(days=retention_days(app) + 1)
    for job_id in (old_report, shown, suggested):
        _set(app, job_id, finished_at=long_ago)
    _set(app, new_report, finished_at=_ago(days=retention_days(app) - 1))

    dry = runner.invoke(args=["retention", "apply"])
    assert dry.exit_code == 0, dry.output
    assert "Files of finished jobs older than 30 days: would delete 1 file" in dry.output
    assert "This was a dry run" in dry.output and _job(app, old_report).result is not None
    done = runner.invoke(args=["retention", "apply", "--commit"])
    assert done.exit_code == 0, done.output
    assert "Files of finished jobs older than 30 days: deleted 1 file" in done.output
    expired = _job(app, old_report)
    assert (expired.status, expired.result, expired.result_name) == ("done", None, None)
    assert expired.message == retention.EXPIRED_FILE.format(days=30)
    # the newest partner figures and suggestions are still shown by their pages; a recent report is kept
    assert all(_job(app, i).result is not None for i in (new_report, shown, suggested))
    [event] = [e for e in audit_actions(app, "retention.apply") if "job_files_expired" in e.details]
    assert event.details == {"job_files_expired": 1, "keep_days": 30}
    admin = staff_client("admin")
    page = admin.get(f"/staff/jobs/{old_report}").get_data(as_text=True)
    assert "Its file was deleted" in text_of(page) and retention.EXPIRED_FILE.format(days=30) in text_of(page)
    assert admin.get(f"/staff/jobs/{old_report}/download").status_code == 404
    again = runner.invoke(args=["retention", "apply", "--commit"])
    assert "deleted 0 files" in again.output  # safe to run again

    # The retention job does the same (and says so in its file).
    _set(app, new_report, finished_at=long_ago)
    job_id = _submit(app, "retention", None, commit=True)
    run_queue(app)
    job = _job(app, job_id)
    assert job.status == "done" and job.result is not None, job.error
    assert "Files of finished jobs older than 30 days: deleted 1 file" in job.result.decode()
    assert _job(app, new_report).result is None and job.summary["job_files_expired"] == 1


def retention_days(app: Flask) -> int:
    return jobs.keep_days(app.config)


@pytest.mark.parametrize(
    "app_config", [{**FAST_HASHING, "SURVEY_JOBS_WORKER": "none", "SURVEY_JOBS_KEEP_DAYS": 0}]
)
def test_keep_days_zero_keeps_every_file(app: Flask, runner: FlaskCliRunner) -> None:
    job_id = _submit(app, "report", "safermk-2016")
    run_queue(app)
    _set(app, job_id, finished_at=_ago(days=3650))
    result = runner.invoke(args=["retention", "apply", "--commit"])
    assert "Files of finished jobs: kept for ever (SURVEY_JOBS_KEEP_DAYS=0)" in result.output
    assert _job(app, job_id).result is not None
