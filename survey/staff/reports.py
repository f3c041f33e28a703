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
from pathlib import Path
from typing import Any

from flask import Response, abort, redirect, render_template, request
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.reference import Reference
from survey.config import today
from survey.engine import Questionnaire
from survey.services import jobs
from survey.services.jobs.reports import audience_problem
from survey.services.questionnaires import closing_date
from survey.services.reporting import ReportProblem, audience_ready, reference_for
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import on_home_page, require_role
from survey.staff.dashboard import current_or_404
from survey.staff.form_fields import add_error
from survey.staff.jobs import job_url
from survey.staff.report_forms import ExportForm, ReportForm, export_form, report_form
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


def _attachment(data: bytes, fmt: str, name: str) -> Response:
    response = Response(data, content_type=MIMETYPES[fmt])  # whole header: mimetype= adds a second charset
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _page(
    row: QuestionnaireVersion,
    q: Questionnaire,
    form: ReportForm | None = None,
    export: ExportForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The reports page; `form` or `export`: the form that was sent, with its errors."""
    db = get_session()
    snapshots = repository_reports.list_snapshots(session=db, questionnaire_id=q.id)
    return render_template(
        "staff/reports.html",
        row=row,
        q=q,
        snapshots=snapshots,
        audiences=repository_reports.snapshot_audiences(session=db, questionnaire_id=q.id),
        form=form or report_form(),
        export=export or export_form(),
        sent=form if form is not None else export,
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


def _reference(q: Questionnaire, field: Any) -> Reference | None:
    """The questionnaire's reference population; None, with the message on `field`, when it cannot load."""
    try:
        return reference_for(q)
    except ReportProblem as problem:
        add_error(
            field,
            gettext(
                "The questionnaire's reference population cannot be loaded: %(detail)s", detail=problem.detail
            ),
        )
        return None


@bp.post("/reports/<questionnaire_id>/generate")
@require_role("analyst")
def reports_generate(questionnaire_id: str) -> Page:
    """Ask for an interim or final report: checks the form, then a background job makes it (kept as a
    snapshot unless asked not to) and staff follow its progress page until the file is ready."""
    row, q = current_or_404(questionnaire_id)
    form = ReportForm()
    if not form.validate_on_submit():
        return _page(row, q, form=form, status=400)
    kind, fmt, audience, keep = form.kind.data, form.format.data, form.audience.data, bool(form.keep.data)
    day = form.day() or today()
    reference = _reference(q, form.kind)
    db = get_session()
    if reference is not None and not repository_stream.count_complete(
        session=db, questionnaire_id=q.id, as_of=day
    ):
        add_error(
            form.as_of,
            gettext(
                "There are no complete responses up to %(day)s: nothing to report yet",
                day=format(day, "%-d %B %Y"),
            ),
        )
    elif reference is not None:
        try:
            audience_ready(session=db, questionnaire_id=q.id, audience=audience, as_of=day)
        except ReportProblem as problem:
            if problem.code != "too_few_for_audience":
                raise
            add_error(form.audience, audience_problem(audience, problem.detail))
    if form.errors or reference is None:
        return _page(row, q, form=form, status=400)
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
    export = ExportForm()
    if not export.validate_on_submit() or _reference(q, export.export_format) is None:
        return _page(row, q, export=export, status=400)
    fmt, options, day = export.export_format.data, export.options(), export.day()
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
