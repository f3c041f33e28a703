"""Reports and exports in the staff area: make an interim or final report, download earlier ones, export data.

A report is made for an audience (internal, partner or public: analysis.disclosure): staff choose it on the
form. A POST checks the form (a partner or public report before the first release point is refused there,
with the reason) and enqueues a background job (survey/services/jobs/reports.py makes the file, passing the
audience to services.reporting.make_report); staff follow the job's progress page (survey/staff/jobs.py)
and download the file there. Every download is audited: "report.download" and "export.download" with
questionnaire, kind, format and, for reports, audience.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from flask import Response, abort, redirect, render_template, request
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.reference import Reference
from analysis.report import FORMATS, KINDS
from survey.config import today
from survey.engine import Questionnaire
from survey.services import jobs
from survey.services.jobs.reports import audience_problem
from survey.services.questionnaires import closing_date
from survey.services.reporting import ReportProblem, audience_ready, reference_for
from survey.staff import audit, bp
from survey.staff.auth import on_home_page, require_role
from survey.staff.dashboard import current_or_404
from survey.staff.jobs import job_url
from survey.staff.themes_common import staff_name
from survey.store import repository, repository_reports, repository_stream
from survey.store.db import get_session
from survey.store.models import QuestionnaireVersion

Page = str | WerkzeugResponse | tuple[str, int]
MIMETYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "sav": "application/x-spss-sav",
    "zip": "application/zip",
}
FORMAT_NAMES = {
    "html": "Web page (HTML)",
    "pdf": "PDF (A4, for printing)",
    "xlsx": "Spreadsheet (XLSX)",
    "json": "Numbers only (JSON)",
}
AUDIENCE_NAMES = {
    "internal": "Internal: for analysts and admins only, not for publication",
    "partner": "Partner organisations: small counts hidden (audited), sensitive sections left out",
    "public": "Public: for publication and the public results page; small counts hidden (audited), "
    "sensitive sections left out, counts rounded if the questionnaire says so",
}
EXPORT_FORMATS = {
    "csv": "CSV (one row per response)",
    "zip": "CSV with its data dictionary (ZIP)",
    "sav": "SPSS (.sav, with variable and value labels)",
    "dictionary": "Data dictionary only (CSV)",
}


def _attachment(data: bytes, fmt: str, name: str) -> Response:
    response = Response(data, content_type=MIMETYPES[fmt])  # whole header: mimetype= adds a second charset
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _page(
    row: QuestionnaireVersion,
    q: Questionnaire,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    db = get_session()
    snapshots = repository_reports.list_snapshots(session=db, questionnaire_id=q.id)
    return render_template(
        "staff/reports.html",
        row=row,
        q=q,
        snapshots=snapshots,
        audiences=repository_reports.snapshot_audiences(session=db, questionnaire_id=q.id),
        errors=errors or {},
        values=values or {},
        kinds=KINDS,
        formats=FORMAT_NAMES,
        audience_names=AUDIENCE_NAMES,
        export_formats=EXPORT_FORMATS,
        today=today(),
        closes=closing_date(row, q),
    ), status


@bp.get("/reports")
@on_home_page
@require_role("analyst")
def reports_index() -> str:
    """Reports and exports: interim and final reports, earlier reports, and data exports (CSV, SPSS)."""
    db = get_session()
    rows = repository.current_questionnaires(session=db)
    counts = {
        row.questionnaire_id: len(
            repository_reports.list_snapshots(session=db, questionnaire_id=row.questionnaire_id)
        )
        for row in rows
    }
    return render_template("staff/reports_index.html", rows=rows, counts=counts)


@bp.get("/reports/<questionnaire_id>")
@require_role("analyst")
def reports(questionnaire_id: str) -> Page:
    """One questionnaire's reports and exports."""
    row, q = current_or_404(questionnaire_id)
    return _page(row, q)


def _as_of(errors: dict[str, str]) -> date:
    raw = request.form.get("as_of", "").strip()
    if not raw:
        return today()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors["as_of"] = "Enter the date in the format 2026-05-31"
        return today()
    if day > today():
        errors["as_of"] = "The date must be today or in the past"
    return day


def _reference(q: Questionnaire, errors: dict[str, str], field: str) -> Reference | None:
    try:
        return reference_for(q.raw)
    except ReportProblem as problem:
        errors[field] = f"The questionnaire's reference population cannot be loaded: {problem.detail}"
        return None


@bp.post("/reports/<questionnaire_id>/generate")
@require_role("analyst")
def reports_generate(questionnaire_id: str) -> Page:
    """Ask for an interim or final report: checks the form, then a background job makes it (kept as a
    snapshot unless asked not to) and staff follow its progress page until the file is ready."""
    row, q = current_or_404(questionnaire_id)
    kind, fmt = request.form.get("kind", ""), request.form.get("format", "")
    audience = request.form.get("audience", "internal")  # a form without the field: the internal report
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = "Select an interim or a final report"
    if fmt not in FORMATS:
        errors["format"] = "Select the format of the report"
    if audience not in AUDIENCE_NAMES:
        errors["audience"] = "Select who the report is for: internal, partner organisations or the public"
    day = _as_of(errors)
    reference = _reference(q, errors, "kind") if not errors else None
    db = get_session()
    if not errors and not repository_stream.count_complete(session=db, questionnaire_id=q.id, as_of=day):
        errors["as_of"] = f"There are no complete responses up to {day:%-d %B %Y}: nothing to report yet"
    if not errors:
        try:
            audience_ready(session=db, questionnaire_id=q.id, audience=audience, as_of=day)
        except ReportProblem as problem:
            if problem.code != "too_few_for_audience":
                raise
            errors["audience"] = audience_problem(audience, problem.detail)
    keep = "yes" in request.form.getlist("keep") or "keep" not in request.form
    if errors or reference is None:
        return _page(row, q, errors, {**request.form.to_dict(), "keep": "yes" if keep else "no"}, 400)
    job = jobs.submit(
        session=db,
        kind="report",
        questionnaire_id=q.id,
        created_by=staff_name(),
        params={"kind": kind, "format": fmt, "as_of": day.isoformat(), "keep": keep, "audience": audience},
    )
    return redirect(job_url(job), 303)


@bp.get("/reports/snapshots/<int:snapshot_id>")
@require_role("analyst")
def reports_snapshot(snapshot_id: int) -> Response:
    """Download a stored report again (`?numbers=1`: its JSON numbers)."""
    snap = repository_reports.snapshot_by_id(session=get_session(), snapshot_id=snapshot_id)
    if snap is None:
        abort(404)
    numbers = request.args.get("numbers") == "1"
    fmt = "json" if numbers else snap.format
    if fmt not in MIMETYPES:
        abort(404)
    data = json.dumps(snap.numbers, indent=2, ensure_ascii=False).encode() if numbers else snap.content
    audit.record(
        "report.download",
        questionnaire=snap.questionnaire_id,
        kind=snap.kind,
        format=fmt,
        audience=str(snap.numbers.get("audience") or "internal"),
        snapshot=snap.id,
        as_of=snap.as_of,
        again=True,
    )
    stem = Path(snap.filename).stem or f"{snap.questionnaire_id}-{snap.kind}"
    name = f"{stem}-numbers.json" if numbers else snap.filename
    return _attachment(data, fmt, name)


@bp.post("/reports/<questionnaire_id>/export")
@require_role("analyst")
def reports_export(questionnaire_id: str) -> Page:
    """Ask for the responses as CSV (with a data dictionary) or SPSS .sav, optionally without free text: a
    background job makes the file and staff follow its progress page."""
    row, q = current_or_404(questionnaire_id)
    fmt = request.form.get("export_format", "")
    options = {
        name: request.form.get(name) == "yes"
        for name in ("no_free_text", "no_sensitive", "labels", "include_incomplete")
    }
    errors: dict[str, str] = {}
    if fmt not in EXPORT_FORMATS:
        errors["export_format"] = "Select the format of the export"
    day = _as_of(errors) if request.form.get("as_of", "").strip() else None
    if not errors:
        _reference(q, errors, "export_format")
    if errors:
        return _page(row, q, errors, dict(request.form), 400)
    job = jobs.submit(
        session=get_session(),
        kind="export",
        questionnaire_id=q.id,
        created_by=staff_name(),
        params={
            "export_format": fmt,
            "options": options,
            "as_of": day.isoformat() if day else None,
            "today": today().isoformat(),
        },
    )
    return redirect(job_url(job), 303)
