"""Job bodies for reports and exports: what the staff report page used to do inside the request.

The request checks the form and enqueues (survey/staff/reports.py); these run in a worker with progress
steps, keep the file on the job for download, and store a report snapshot when asked to.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import current_app

from survey.engine import load_dict
from survey.services.jobs import JobError, Outcome, Progress
from survey.services.reference import imported_reference_dir
from survey.store import repository, repository_reports, repository_themes
from survey.store.db import Session, get_engine
from survey.store.models_jobs import Job

MIMETYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "sav": "application/x-spss-sav",
    "zip": "application/zip",
}
CODEBOOK_FOLDER = "codebooks"


def _reference(raw: dict[str, Any]) -> Any:
    from analysis.reference import ReferenceDataError, reference_name_for, resolve_reference

    try:
        return resolve_reference(reference_name_for(raw), imported_reference_dir())
    except (KeyError, ReferenceDataError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        raise JobError(f"The questionnaire's reference population cannot be loaded: {message}") from error


def codebook_in_use(session: Session, questionnaire_id: str) -> Any:
    """The newest codebook version staff saved, else a file in instance/codebooks, else the shipped one."""
    from analysis.text import CodebookError, codebook_for, codebook_from_dict

    row = repository_themes.latest_codebook(session=session, questionnaire_id=questionnaire_id)
    if row is not None:
        try:
            return codebook_from_dict(row.definition, f"saved version {row.version}")
        except CodebookError:
            pass  # the staff codebook page says why; fall back as it does
    folder = Path(current_app.instance_path) / CODEBOOK_FOLDER
    try:
        return codebook_for(questionnaire_id, folders=[folder] if folder.is_dir() else [])
    except CodebookError:
        return codebook_for(questionnaire_id)


def _responses(session: Session, questionnaire_id: str, as_of: date | None,
               progress: Progress, start: int, end: int) -> list[dict[str, Any]]:
    """The report rows, read in chunks (progress moves from `start` to `end` percent as they arrive)."""
    from survey.store.repository_stream import count_responses, iter_responses_for_report

    total = max(1, count_responses(session=session, questionnaire_id=questionnaire_id))
    rows: list[dict[str, Any]] = []
    for chunk in iter_responses_for_report(session=session, questionnaire_id=questionnaire_id, as_of=as_of):
        rows.extend(chunk)
        progress(start + (end - start) * min(len(rows), total) // total,
                 f"Read {len(rows):,} of {total:,} responses")
    return rows


def run_report(job: Job, progress: Progress) -> Outcome:
    """Make an interim or final report (params: kind, format, as_of, keep) and keep its file."""
    from analysis.report import STEPS, build_report, render, report_to_dict

    params = job.params
    kind, fmt, day = params["kind"], params["format"], date.fromisoformat(params["as_of"])
    qid = str(job.questionnaire_id)
    with Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=qid)
        if row is None:
            raise JobError(f"There is no questionnaire {qid!r} any more")
        q = load_dict(row.definition)
        progress(2, "Loading the reference population and codebook")
        reference, codebook = _reference(q.raw), codebook_in_use(session, qid)
        responses = _responses(session, qid, day, progress, 5, 30)
        if not any(r["status"] == "complete" for r in responses):
            raise JobError(f"There are no complete responses up to {day:%-d %B %Y}: nothing to report yet")
        previous = repository_reports.latest_snapshot(session=session, questionnaire_id=qid) \
            if kind == "final" else None
        names = repository_reports.channel_names(session=session, questionnaire_id=qid)
        done = iter(range(len(STEPS)))

        def step(name: str) -> None:
            progress(30 + 55 * (next(done, len(STEPS) - 1) + 1) // len(STEPS), f"Report: {name}")

        report = build_report(kind, q.raw, responses, day, reference, codebook,
                              previous=previous.numbers if previous else None,
                              previous_id=previous.id if previous else None,
                              opens=row.opens_override or q.opens, closes=row.closes_override or q.closes,
                              channel_names=names, on_step=step)
        del responses
        progress(88, f"Writing the {fmt.upper()} file")
        data = render(report, fmt)
        name = f"{qid}-{kind}-{day.isoformat()}.{fmt}"
        snapshot_id = None
        if params.get("keep", True):
            progress(96, "Keeping a copy as a stored report")
            snapshot = repository_reports.save_snapshot(
                session=session, numbers=report_to_dict(report), content=data, fmt=fmt, filename=name,
                created_at=datetime.now(UTC), created_by=job.created_by)
            snapshot_id = snapshot.id
    summary = {"kind": kind, "format": fmt, "as_of": day.isoformat(), "snapshot": snapshot_id,
               "responses": report.headline.complete}
    return Outcome(f"The {kind} report is ready ({report.headline.complete:,} responses)", data, name,
                   MIMETYPES[fmt], summary)


def run_export(job: Job, progress: Progress) -> Outcome:
    """Export responses (params: export_format, options, as_of or None) as CSV, ZIP, SAV or a dictionary."""
    from analysis.export import dictionary_csv, dictionary_markdown, flatten, write_csv, write_sav
    from analysis.report.profile import weigh

    params, qid = job.params, str(job.questionnaire_id)
    fmt, options = params["export_format"], params["options"]
    day = date.fromisoformat(params["as_of"]) if params.get("as_of") else None
    with Session(get_engine(), expire_on_commit=False) as session:
        row = repository.current_questionnaire(session=session, questionnaire_id=qid)
        if row is None:
            raise JobError(f"There is no questionnaire {qid!r} any more")
        q = load_dict(row.definition)
        reference = _reference(q.raw)
        responses = _responses(session, qid, day, progress, 5, 50)
    progress(55, "Weighting")
    result, _ = weigh(responses, q.raw, reference, None, 5.0)
    progress(70, "Flattening the answers")
    table = flatten(responses, q.raw, result.weights if result else {}, free_text=not options["no_free_text"],
                    sensitive=not options["no_sensitive"], include_incomplete=options["include_incomplete"])
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
    summary = {"kind": kind, "format": fmt, "rows": len(table.rows), "as_of": params.get("as_of"),
               "options": {k: v for k, v in options.items() if v}}
    return Outcome(f"The export is ready ({len(table.rows):,} rows)", data, name, MIMETYPES[mime], summary)
