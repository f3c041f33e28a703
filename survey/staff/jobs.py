"""Background jobs in the staff area: a job's progress page, cancelling it, and downloading its result.

Pages that start heavy work (reports, exports, theme suggestions) only check the form and enqueue a job
(`survey.services.jobs.submit`), then send staff here. The page reloads itself every few seconds while the
job runs (survey.js, `data-reload-after`; without JavaScript a Check now link, no meta refresh: WCAG 2.2.1)
and offers the file when it is done; the file is kept in the database, so it survives a restart of the web
process and any app instance serves it. Staff see their own jobs; admins see everyone's. Downloads are
audited as the page that started the job would have been. "Your jobs" (`/staff/jobs`) lists the signed-in
member of staff's own jobs (an admin's too: only theirs), newest first, so a job whose page was closed is
found again.
"""

from __future__ import annotations

import re

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services import jobs
from survey.services.inputs import whole_number
from survey.staff import audit, bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.store import repository_jobs
from survey.store.db import get_session
from survey.store.models_jobs import FINISHED, Job
from survey.store.models_staff import StaffUser

REFRESH_SECONDS = 2
DOWNLOAD_ACTIONS = {
    "report": "report.download",
    "export": "export.download",
    "partner_report": "report.download",  # the partner page's report (admins only: "partner page" made it)
}
TITLES = {
    "report": "Report",
    "export": "Export",
    "retention": "Retention",
    "suggestions": lazy_gettext("Theme suggestions"),
    "partner_report": lazy_gettext("Partner figures"),
    "coding_progress": lazy_gettext("Coding progress estimate"),
}
READY = {"suggestions": lazy_gettext("The suggested themes are ready")}
STATES = {
    "queued": lazy_gettext("Waiting to start"),
    "running": lazy_gettext("Running"),
    "done": lazy_gettext("Done"),
    "failed": lazy_gettext("Failed"),
    "cancelled": lazy_gettext("Cancelled"),
}
STATE_COLOURS = {"queued": "grey", "running": "blue", "done": "green", "failed": "red", "cancelled": "yellow"}
PAGE_SIZE = 25  # jobs a page of "Your jobs" lists


def may_see(job: Job, user: StaffUser | None) -> bool:
    """Whether this member of staff may see the job: their own, or anyone's for an admin."""
    return user is not None and (user.role == "admin" or job.created_by == user.email)


def _job_or_404(job_id: int, with_result: bool = False) -> Job:
    job = repository_jobs.job_by_id(session=get_session(), job_id=job_id, with_result=with_result)
    if job is None or not may_see(job, current_staff()):
        abort(404)
    return job


def result_page(job: Job) -> str | None:
    """The staff page that shows a job's result instead of a download (theme suggestions: the question's
    themes page), or None."""
    question = job.params.get("question") if job.kind == "suggestions" else None
    if not question or not job.questionnaire_id:
        return None
    return url_for("staff.themes_question", questionnaire_id=job.questionnaire_id, question_id=question)


def job_url(job: Job) -> str:
    """Where staff follow a job they started."""
    return url_for("staff.job", job_id=job.id)


def details(job: Job) -> list[str]:
    """What the job was asked to make, beyond its kind and questionnaire: a report's kind, format and
    audience; an export's format; the question theme suggestions are for."""
    params = job.params
    if job.kind == "report":
        found = [params.get("kind"), str(params.get("format") or "").upper(), params.get("audience")]
    elif job.kind == "export":
        found = [str(params.get("export_format") or "").upper()]
    elif job.kind in ("suggestions", "coding_progress"):
        found = [params.get("question")]
    else:
        found = []
    return [str(value) for value in found if value]


@bp.get("/jobs")
@on_home_page
@require_role("analyst")
def jobs_list() -> str:
    """Your jobs: the reports, exports and theme suggestions you asked for, and how far each has got."""
    user = current_staff()
    assert user is not None
    page = whole_number(request.args.get("page", "1"), low=1, high=99_999) or 1
    found, total = repository_jobs.jobs_by(
        session=get_session(), created_by=user.email, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    rows = [(job, kept) for job, kept in found if may_see(job, user)]  # the job page's own rule, again
    pages = max(1, -(-total // PAGE_SIZE))

    def link(number: int) -> str:
        return url_for("staff.jobs_list", page=number)

    return render_template(
        "staff/jobs.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        link=link,
        page_items=audit.page_items,
        titles={job.id: TITLES.get(job.kind, job.kind.title()) for job, _ in rows},
        details={job.id: details(job) for job, _ in rows},
        result_pages={job.id: result_page(job) for job, _ in rows},
        states=STATES,
        colours=STATE_COLOURS,
    )


@bp.get("/jobs/<int:job_id>")
@require_role("analyst")
def job(job_id: int) -> str:
    """A background job's progress; its file to download once it is done."""
    found = _job_or_404(job_id)
    title = TITLES.get(found.kind, found.kind.title())
    return render_template(
        "staff/job.html",
        job=found,
        finished=found.status in FINISHED,
        refresh=REFRESH_SECONDS,
        title=title,
        ready=READY.get(found.kind, f"Your {title.lower()} is ready"),
        result_page=result_page(found),
    )


@bp.post("/jobs/<int:job_id>/cancel")
@require_role("analyst")
def job_cancel(job_id: int) -> WerkzeugResponse:
    """Ask a job to stop (at once if it has not started; at its next step if it is running)."""
    found = _job_or_404(job_id)
    assert found.id is not None
    jobs.cancel(session=get_session(), job_id=found.id)
    return redirect(url_for("staff.job", job_id=job_id), 303)


@bp.get("/jobs/<int:job_id>/download")
@require_role("analyst")
def job_download(job_id: int) -> Response:
    """The finished job's file."""
    found = _job_or_404(job_id, with_result=True)
    if found.status != "done" or found.result is None or not found.result_type:
        abort(404)
    action = DOWNLOAD_ACTIONS.get(found.kind)
    if action is not None:
        audit.record(action, questionnaire=found.questionnaire_id, job=found.id, **found.summary)
    response = Response(found.result, content_type=found.result_type)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", found.result_name or f"job-{found.id}")
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
