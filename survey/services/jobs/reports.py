"""Job bodies for reports and exports: what the staff report page used to do inside the request.

The request checks the form and enqueues (survey/staff/reports.py); these run in a worker with progress
steps, keep the file on the job for download, and store a report snapshot when asked to.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from survey.services.jobs import JobError, Outcome, Progress
from survey.services.reporting import ReportProblem, export_table, keep_snapshot, make_report
from survey.store import repository
from survey.store.db import Session, get_engine
from survey.store.models_jobs import Job
from survey.store.repository_stream import count_responses

Rows = Callable[[int], None]
MIMETYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "sav": "application/x-spss-sav",
    "zip": "application/zip",
}


def _arrivals(session: Session, questionnaire_id: str, progress: Progress, start: int, end: int) -> Rows:
    """Progress as the rows arrive in chunks: from `start` to `end` percent of the responses stored."""
    total = max(1, count_responses(session=session, questionnaire_id=questionnaire_id))

    def arrived(count: int) -> None:
        progress(start + (end - start) * min(count, total) // total, f"Read {count:,} of {total:,} responses")

    return arrived


def audience_problem(audience: str, detail: str) -> str:
    """Staff's words for ReportProblem("too_few_for_audience") (the report page says the same)."""
    return (
        f"A {audience} report cannot be made yet: {detail}. Partner and public reports wait until enough "
        "responses have arrived that no one's answers can be worked out from them. Choose a later date, "
        "or make an internal report (for staff only, not for publication)."
    )


def run_report(job: Job, progress: Progress) -> Outcome:
    """Make an interim or final report (params: kind, format, as_of, keep, audience) and keep its file."""
    from analysis.disclosure import audience_of
    from analysis.report import STEPS

    params = job.params
    kind, fmt, day = params["kind"], params["format"], date.fromisoformat(params["as_of"])
    try:  # jobs queued before reports had audiences were internal ones
        audience = audience_of(str(params.get("audience") or "internal")).value
    except ValueError as error:
        raise JobError(str(error)) from None
    qid = str(job.questionnaire_id)
    done = iter(range(len(STEPS)))

    def step(name: str) -> None:
        progress(30 + 55 * (next(done, len(STEPS) - 1) + 1) // len(STEPS), f"Report: {name}")

    with Session(get_engine(), expire_on_commit=False) as session:
        arrived = _arrivals(session, qid, progress, 5, 30)
        progress(2, "Reading the responses")
        try:
            made = make_report(
                session=session,
                questionnaire_id=qid,
                kind=kind,
                fmt=fmt,
                as_of=day,
                created_by=job.created_by,
                keep=False,  # stored below, once it is sure nobody cancelled while the file was drawn
                on_step=step,
                on_rows=arrived,
                audience=audience,
            )
        except ReportProblem as problem:
            if problem.code == "reference":
                raise JobError(
                    f"The questionnaire's reference population cannot be loaded: {problem.detail}"
                ) from None
            if problem.code == "no_questionnaire":
                raise JobError(f"There is no questionnaire {qid!r} any more") from None
            if problem.code == "too_few_for_audience":
                raise JobError(audience_problem(audience, problem.detail)) from None
            raise JobError(
                f"There are no complete responses up to {day:%-d %B %Y}: nothing to report yet"
            ) from None
        # Rendering a PDF takes seconds after the last analysis step: a cancel pressed meanwhile stops the job
        # here, before a report staff cancelled joins the stored ones (and the interim a final compares with).
        progress(95, "Report: drawn")
        if bool(params.get("keep", True)):
            made = keep_snapshot(session=session, made=made, created_by=job.created_by)
    complete = made.report.headline.complete
    summary = {
        "kind": kind,
        "format": fmt,
        "audience": made.report.audience,
        "as_of": day.isoformat(),
        "release_point": made.report.disclosure.get("release_point"),
        "snapshot": made.snapshot_id,
        "responses": complete,
    }
    report = made.report
    whom = "" if report.audience == "internal" else f" for the {report.audience} audience"
    if whom:  # made as of the last release point on or before the date asked for
        whom += f", as of its release point {report.as_of:%-d %B %Y}"
    return Outcome(
        f"The {kind} report{whom} is ready ({complete:,} responses)",
        made.data,
        made.filename,
        MIMETYPES[fmt],
        summary,
    )


def run_export(job: Job, progress: Progress) -> Outcome:
    """Export responses (params: export_format, options, as_of or None) as CSV, ZIP, SAV or a dictionary."""
    from analysis.export import dictionary_csv, dictionary_markdown, write_csv, write_sav

    params, qid = job.params, str(job.questionnaire_id)
    fmt, options = params["export_format"], params["options"]
    day = date.fromisoformat(params["as_of"]) if params.get("as_of") else None
    with Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=qid)
        if row is None:
            raise JobError(f"There is no questionnaire {qid!r} any more")
        try:
            table = export_table(
                session=session,
                row=row,
                as_of=day,
                free_text=not options["no_free_text"],
                sensitive=not options["no_sensitive"],
                include_incomplete=options["include_incomplete"],
                on_rows=_arrivals(session, qid, progress, 5, 50),
                on_step=progress,
            )
        except ReportProblem as problem:
            if problem.code != "reference":
                raise
            message = f"The questionnaire's reference population cannot be loaded: {problem.detail}"
            raise JobError(message) from None
    progress(85, f"Writing the {fmt} file")
    stem = f"{qid}-responses-{params['today']}"
    if fmt == "csv":
        data, name, mime = write_csv(table, labels=options["labels"]), f"{stem}.csv", "csv"
    elif fmt == "dictionary":
        data, name, mime = dictionary_csv(table), f"{qid}-dictionary.csv", "csv"
    elif fmt == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{stem}.csv", write_csv(table, labels=options["labels"]))
            archive.writestr(f"{stem}-dictionary.csv", dictionary_csv(table))
            archive.writestr(f"{stem}-dictionary.md", dictionary_markdown(table))
        data, name, mime = buffer.getvalue(), f"{stem}.zip", "zip"
    else:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "export.sav"
            write_sav(table, path)
            data, name, mime = path.read_bytes(), f"{stem}.sav", "sav"
    kind = "dictionary" if fmt == "dictionary" else "responses"
    summary = {
        "kind": kind,
        "format": fmt,
        "rows": len(table.rows),
        "as_of": params.get("as_of"),
        "options": {k: v for k, v in options.items() if v},
    }
    return Outcome(f"The export is ready ({len(table.rows):,} rows)", data, name, MIMETYPES[mime], summary)
