"""Erasure and retention leave no copies of the answers they remove (second review, F2).

The review found a resident's erased answers still downloadable as the CSV export and report files kept in
the jobs table, unpublished *final* snapshots kept (only interim ones were deleted), and retention leaving
every export. Another reviewer saw erasure take the public results offline while its message said only
unpublished snapshots were removed. Now erasure deletes every unpublished snapshot (any kind) and the report
and export files that may hold the response, keeps published ones, and says so with true counts; retention
deletes the files too and says how many of the reports it deletes are published.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlmodel import Session, select

from survey.services import jobs
from survey.store import repository_jobs
from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_jobs import Job
from survey.store.models_reports import ReportSnapshot
from survey.store.models_results import PublishedReport
from survey.store.models_staff import AuditEvent
from tests.helpers import csrf_of
from tests.integration.staff.conftest import analyst, app_config, staff_client  # noqa: F401 (fixtures)
from tests.integration.staff.test_retention import set_retention
from tests.respondent import Respondent
from tests.security.test_receipts_and_erasure import (
    TEXT,
    add_snapshot,
    open_receipt,
    press,
    receipt_code,
    rows,
    send,
)

MakeRespondent = Callable[..., Respondent]
QID = "safermk-2016"
REPORTS = f"/staff/reports/{QID}"


def _ask(analyst: FlaskClient, action: str, **data: str) -> int:
    """Ask for a report or an export (the job runs inside the request in tests); the job's id."""
    token = csrf_of(analyst.get(REPORTS))
    response = analyst.post(f"{REPORTS}/{action}", data={"csrf_token": token, **data})
    assert response.status_code == 303, response.get_data(as_text=True)[:400]
    return int(str(response.headers["Location"]).rsplit("/", 1)[1])


def files(app: Flask, analyst: FlaskClient) -> dict[str, int]:
    """An export (CSV: every answer) and a kept interim report, both made after the response was sent."""
    export = _ask(analyst, "export", export_format="csv")
    report = _ask(analyst, "generate", kind="interim", format="json", as_of="2026-06-01")
    download = analyst.get(f"/staff/jobs/{export}/download")
    assert download.status_code == 200 and TEXT in download.get_data(as_text=True)
    assert analyst.get(f"/staff/jobs/{report}/download").status_code == 200
    return {"export": export, "report": report}


def publish(app: Flask, analyst: FlaskClient, snapshot_id: int) -> None:
    """Mark the snapshot published on the public results page, as the staff page's publish step does.

    Staff can publish only a public-audience report, which needs at least the disclosure threshold of
    complete responses (tests/integration/staff/test_public_results.py); these tests send one response, so
    the row is written directly: what matters here is what erasure and retention do with published rows.
    """
    with app.app_context(), Session(get_engine()) as session:
        session.add(
            PublishedReport(
                snapshot_id=snapshot_id,
                questionnaire_id=QID,
                published_at=datetime.now(UTC),
                published_by="analyst@example.org",
            )
        )
        session.commit()
    assert snapshot_id in {p.snapshot_id for p in rows(app, PublishedReport)}


def kept_files(app: Flask) -> dict[int, bytes | None]:
    with app.app_context(), Session(get_engine()) as session:
        return {int(job.id or 0): job.result for job in session.exec(select(Job))}


def test_a_residents_erasure_removes_files_and_every_unpublished_snapshot(
    app: Flask, respondent: MakeRespondent, analyst: FlaskClient
) -> None:
    code = receipt_code(send(respondent, receipt=True))
    made = files(app, analyst)
    [kept_report] = rows(app, ReportSnapshot)  # the interim report's snapshot: published below
    publish(app, analyst, int(kept_report.id or 0))
    add_snapshot(app, "final", date(2026, 6, 1))  # a final report never published: it goes too
    add_snapshot(app, "interim", date(2026, 6, 1))
    reader = respondent()
    open_receipt(reader, code)
    press(reader, f"/s/{QID}/receipt/erase")
    press(reader, f"/s/{QID}/receipt/erase")
    assert "Your answers have been erased" in reader.soup.get_text()

    assert rows(app, Response) == []
    assert [s.id for s in rows(app, ReportSnapshot)] == [kept_report.id]  # only the published one
    assert [p.snapshot_id for p in rows(app, PublishedReport)] == [kept_report.id]  # results stay online
    assert kept_files(app)[made["export"]] is None and kept_files(app)[made["report"]] is None
    for job in made.values():
        assert analyst.get(f"/staff/jobs/{job}/download").status_code == 404
        assert "Its file was deleted" in analyst.get(f"/staff/jobs/{job}").get_data(as_text=True)
    [event] = [e for e in rows(app, AuditEvent) if e.action == "response.erase.resident"]
    assert {k: event.details[k] for k in ("snapshots", "published_kept", "job_files")} == {
        "snapshots": 2,
        "published_kept": 1,
        "job_files": 2,
    }


def test_staff_erasure_says_what_goes_and_what_stays_truly(
    app: Flask,
    respondent: MakeRespondent,
    analyst: FlaskClient,
    staff_client: Callable[..., FlaskClient],
) -> None:
    """Another reviewer saw erasure take the public results offline under a message claiming otherwise."""
    send(respondent)
    [row] = rows(app, Response)
    made = files(app, analyst)
    [published] = rows(app, ReportSnapshot)
    assert published.kind == "interim"  # an interim report can be published too
    publish(app, analyst, int(published.id or 0))
    add_snapshot(app, "final", date(2026, 6, 1))
    admin = staff_client("admin")
    page = admin.get("/staff/responses/erase")
    confirm = admin.post(
        "/staff/responses/erase", data={"response_id": str(row.id), "csrf_token": csrf_of(page)}
    )
    said = " ".join(confirm.get_data(as_text=True).split())
    assert "1 unpublished report snapshot that may count it will be deleted" in said
    assert "2 report, export or suggestion files kept for download will be deleted" in said
    assert "1 report published on the public results page stays as published (not recomputed)" in said
    assert len(rows(app, ReportSnapshot)) == 2 and kept_files(app)[made["export"]] is not None  # not yet
    done = admin.post(
        "/staff/responses/erase",
        data={"response_id": str(row.id), "confirm": "yes", "csrf_token": csrf_of(confirm)},
        follow_redirects=True,
    )
    said = " ".join(done.get_data(as_text=True).split())
    assert (
        f"Erased response {row.id}" in said
        and "1 unpublished report snapshot that may count it deleted" in said
    )
    assert "1 report published on the public results page stays as published" in said
    assert [s.id for s in rows(app, ReportSnapshot)] == [published.id]
    assert [p.snapshot_id for p in rows(app, PublishedReport)] == [published.id]  # still published
    assert all(result is None for result in kept_files(app).values())


def test_erasure_stops_report_and_export_jobs_that_have_not_finished(
    app: Flask, respondent: MakeRespondent, analyst: FlaskClient
) -> None:
    code = receipt_code(send(respondent, receipt=True))
    with app.app_context(), Session(get_engine()) as session:  # waiting for a worker: it would read it later
        waiting = repository_jobs.create_job(
            session=session,
            kind="export",
            questionnaire_id=QID,
            params={"export_format": "csv", "options": {}, "as_of": None, "today": "2026-06-01"},
            created_by="analyst1@example.gov.uk",
            now=datetime.now(UTC),
        ).id
    reader = respondent()
    open_receipt(reader, code)
    press(reader, f"/s/{QID}/receipt/erase")
    press(reader, f"/s/{QID}/receipt/erase")
    [job] = [j for j in rows(app, Job) if j.id == waiting]
    assert job.status == "cancelled" and job.result is None


def test_retention_deletes_export_files_and_says_which_reports_were_published(
    app: Flask, respondent: MakeRespondent, analyst: FlaskClient, runner: FlaskCliRunner
) -> None:
    send(respondent)
    made = files(app, analyst)
    [published] = rows(app, ReportSnapshot)
    publish(app, analyst, int(published.id or 0))
    set_retention(app, QID, date(2026, 5, 31), "whole_responses")
    dry = " ".join(runner.invoke(args=["retention", "apply"]).output.split())
    assert (
        "would remove 1 whole response, 0 hand-coded themes, 1 stored report (1 of them published on the "
        "public results page, which then shows no report until a new one is published) and 2 report, "
        "export or suggestion files kept for download"
    ) in dry, dry
    assert kept_files(app)[made["export"]] is not None  # a dry run deletes nothing
    done = " ".join(runner.invoke(args=["retention", "apply", "--commit"]).output.split())
    assert (
        "removed 1 whole response," in done
        and "2 report, export or suggestion files kept for download" in done
    )
    assert kept_files(app)[made["export"]] is None and kept_files(app)[made["report"]] is None
    [event] = [e for e in rows(app, AuditEvent) if e.action == "retention.apply"]
    assert event.details["job_files_deleted"] == 2 and event.details["published_reports_deleted"] == 1


def test_erasure_and_retention_delete_theme_suggestions_made_from_the_answers(
    app: Flask, respondent: MakeRespondent, runner: FlaskCliRunner
) -> None:
    """A suggestion run keeps example answers and response ids: it goes with the answers it was made from."""
    send(respondent)
    with app.app_context(), Session(get_engine()) as session:
        job = Job(
            kind="suggestions",
            questionnaire_id=QID,
            params={"question": "improve"},
            status="done",
            created_by="analyst1@example.gov.uk",
            created_at=datetime.now(UTC),
            finished_at=datetime.now(UTC),
            result_name="suggestions.json",
            result_type="application/json",
            result=json.dumps({"found": [{"examples": [TEXT]}]}).encode(),
            summary={},
        )
        session.add(job)
        session.commit()
        made = int(job.id or 0)
    set_retention(app, QID, date(2026, 5, 31), "whole_responses")
    done = " ".join(runner.invoke(args=["retention", "apply", "--commit"]).output.split())
    assert "1 report, export or suggestion file kept for download" in done, done
    assert kept_files(app)[made] is None


def stopped_after_its_last_step(job: Job, progress: jobs.Progress) -> jobs.Outcome:
    """A job body: an erasure asks it to stop after its last step, before the file is kept."""
    progress(90, "last step")
    with Session(get_engine()) as session:
        jobs.cancel(session=session, job_id=int(job.id or 0))
    return jobs.Outcome("made", TEXT.encode(), "export.csv", "text/csv")


def test_a_job_asked_to_stop_after_its_last_step_keeps_no_file(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(jobs.KINDS, "late_stop", f"{__name__}:stopped_after_its_last_step")
    with app.test_request_context(), Session(get_engine(), expire_on_commit=False) as session:
        job = jobs.submit(session=session, kind="late_stop", questionnaire_id=QID, params={}, created_by="t")
    [kept] = [j for j in rows(app, Job) if j.id == job.id]
    assert (kept.status, kept.result) == ("cancelled", None)
