"""Reports and exports in the staff area: make an interim or final report, download earlier ones, export data.

Generation runs inside the request (a plain POST that returns the file; a few seconds for a large survey).
Every download is audited: "report.download" and "export.download" with questionnaire, kind and format.
"""
from __future__ import annotations

import io
import json
import re
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from flask import Response, abort, render_template, request
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.export import ExportTable, dictionary_csv, dictionary_markdown, flatten, write_csv, write_sav
from analysis.reference import Reference
from analysis.report import FORMATS, KINDS
from analysis.report.profile import weigh
from survey.config import today
from survey.engine import Questionnaire
from survey.services import codebooks, themes
from survey.services.questionnaires import closing_date
from survey.services.reporting import ReportProblem, make_report, reference_for
from survey.staff import audit, bp
from survey.staff.auth import on_home_page, require_role
from survey.staff.dashboard import current_or_404
from survey.staff.themes_common import staff_name
from survey.store import repository, repository_reports
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
FORMAT_NAMES = {"html": "Web page (HTML)", "pdf": "PDF (A4, for printing)", "xlsx": "Spreadsheet (XLSX)",
                "json": "Numbers only (JSON)"}
EXPORT_FORMATS = {"csv": "CSV (one row per response)", "zip": "CSV with its data dictionary (ZIP)",
                  "sav": "SPSS (.sav, with variable and value labels)",
                  "dictionary": "Data dictionary only (CSV)"}


def _attachment(data: bytes, fmt: str, name: str) -> Response:
    response = Response(data, content_type=MIMETYPES[fmt])  # whole header: mimetype= adds a second charset
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _page(row: QuestionnaireVersion, q: Questionnaire, errors: dict[str, str] | None = None,
          values: dict[str, Any] | None = None, status: int = 200) -> tuple[str, int]:
    snapshots = repository_reports.list_snapshots(session=get_session(), questionnaire_id=q.id)
    return render_template(
        "staff/reports.html", row=row, q=q, snapshots=snapshots, errors=errors or {}, values=values or {},
        kinds=KINDS, formats=FORMAT_NAMES, export_formats=EXPORT_FORMATS, today=today(),
        closes=closing_date(row, q),
    ), status


@bp.get("/reports")
@on_home_page
@require_role("analyst")
def reports_index() -> str:
    """Reports and exports: interim and final reports, earlier reports, and data exports (CSV, SPSS)."""
    db = get_session()
    rows = repository.current_questionnaires(session=db)
    counts = {row.questionnaire_id: len(repository_reports.list_snapshots(session=db,
                                                                        questionnaire_id=row.questionnaire_id))
              for row in rows}
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
    """Make an interim or final report and download it (kept as a snapshot unless asked not to)."""
    row, q = current_or_404(questionnaire_id)
    kind, fmt = request.form.get("kind", ""), request.form.get("format", "")
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = "Select an interim or a final report"
    if fmt not in FORMATS:
        errors["format"] = "Select the format of the report"
    day = _as_of(errors)
    keep = "yes" in request.form.getlist("keep") or "keep" not in request.form
    made = None
    if not errors:
        try:
            made = make_report(session=get_session(), questionnaire_id=q.id, kind=kind, fmt=fmt, as_of=day,
                               created_by=staff_name(), keep=keep)
        except ReportProblem as problem:
            if problem.code == "reference":
                errors["kind"] = ("The questionnaire's reference population cannot be loaded: "
                                  f"{problem.detail}")
            else:
                errors["as_of"] = (f"There are no complete responses up to {day:%-d %B %Y}: "
                                   "nothing to report yet")
    if errors or made is None:
        return _page(row, q, errors, {**request.form.to_dict(), "keep": "yes" if keep else "no"}, 400)
    audit.record("report.download", questionnaire=q.id, kind=kind, format=fmt, as_of=day,
                 snapshot=made.snapshot_id, responses=made.report.headline.complete)
    return _attachment(made.data, fmt, made.filename)


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
    audit.record("report.download", questionnaire=snap.questionnaire_id, kind=snap.kind, format=fmt,
                 snapshot=snap.id, as_of=snap.as_of, again=True)
    stem = Path(snap.filename).stem or f"{snap.questionnaire_id}-{snap.kind}"
    name = f"{stem}-numbers.json" if numbers else snap.filename
    return _attachment(data, fmt, name)


def _export_table(q: Questionnaire, options: dict[str, bool], day: date | None,
                  errors: dict[str, str]) -> ExportTable | None:
    responses = repository.responses_for_report(session=get_session(), questionnaire_id=q.id, as_of=day)
    reference = _reference(q, errors, "export_format")
    if reference is None:
        return None
    result, _ = weigh(responses, q.raw, reference, None, 5.0)
    table = flatten(responses, q.raw, result.weights if result else {}, free_text=not options["no_free_text"],
                    sensitive=not options["no_sensitive"], include_incomplete=options["include_incomplete"])
    db = get_session()
    return themes.export_with_themes(table, responses, q.raw, codebooks.codebook_in_use(
        session=db, questionnaire_id=q.id).codebook, themes.hand_codes(session=db, questionnaire_id=q.id))


@bp.post("/reports/<questionnaire_id>/export")
@require_role("analyst")
def reports_export(questionnaire_id: str) -> Page:
    """Export the responses as CSV (with a data dictionary) or SPSS .sav, optionally without free text."""
    row, q = current_or_404(questionnaire_id)
    fmt = request.form.get("export_format", "")
    options = {name: request.form.get(name) == "yes"
               for name in ("no_free_text", "no_sensitive", "labels", "include_incomplete")}
    errors: dict[str, str] = {}
    if fmt not in EXPORT_FORMATS:
        errors["export_format"] = "Select the format of the export"
    day = _as_of(errors) if request.form.get("as_of", "").strip() else None
    table = _export_table(q, options, day, errors) if not errors else None
    if errors or table is None:
        return _page(row, q, errors, dict(request.form), 400)
    stem = f"{q.id}-responses-{(day or today()).isoformat()}"
    if fmt == "csv":
        data, name, mime = write_csv(table, labels=options["labels"]), f"{stem}.csv", "csv"
    elif fmt == "dictionary":
        data, name, mime = dictionary_csv(table), f"{q.id}-dictionary.csv", "csv"
    elif fmt == "zip":
        data, name, mime = _zip(table, stem, options["labels"]), f"{stem}.zip", "zip"
    else:
        data, name, mime = _sav(table), f"{stem}.sav", "sav"
    kind = "dictionary" if fmt == "dictionary" else "responses"
    audit.record("export.download", questionnaire=q.id, kind=kind, format=fmt, rows=len(table.rows),
                 as_of=day, options={k: v for k, v in options.items() if v})
    return _attachment(data, mime, name)


def _zip(table: ExportTable, stem: str, labels: bool) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{stem}.csv", write_csv(table, labels=labels))
        archive.writestr(f"{stem}-dictionary.csv", dictionary_csv(table))
        archive.writestr(f"{stem}-dictionary.md", dictionary_markdown(table))
    return buffer.getvalue()


def _sav(table: ExportTable) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.sav"
        write_sav(table, path)
        return path.read_bytes()

