"""Job body for retention: apply (or only count, params commit=False) what each retention date says, and
expire the files of finished jobs older than SURVEY_JOBS_KEEP_DAYS (as `survey retention apply` does)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app

from survey.config import today
from survey.services import audit, jobs, retention
from survey.services.jobs import Outcome, Progress
from survey.store.db import Session, get_engine
from survey.store.models_jobs import Job


def run_retention(job: Job, progress: Progress) -> Outcome:
    """retention.run for every questionnaire whose date has come; audited as the job's requester."""
    commit = bool(job.params.get("commit", False))
    progress(5, "Applying retention" if commit else "Counting what retention would remove")
    with Session(get_engine(), expire_on_commit=False) as session:
        results = retention.run(session=session, today=today(), commit=commit)
        lines = [retention.describe(result, commit=commit) for result in results]
        action = "retention.apply" if commit else "retention.dry_run"
        actor = f"{job.created_by} (job {job.id})"
        due = [r for r in results if r.due]
        if not due:  # the run itself is still on the record
            audit.record(action, actor=actor, session=session, questionnaires_due=0)
        for result in due:
            audit.record(action, actor=actor, session=session, **retention.audit_details(result))
        days = jobs.keep_days(current_app.config)
        expiry = retention.expire_job_files(session=session, now=datetime.now(UTC), days=days, commit=commit)
        if expiry.files:
            audit.record(
                action,
                actor=actor,
                session=session,
                job_files_expired=expiry.files,
                keep_days=expiry.keep_days,
            )
    lines = lines or ["No questionnaire has a retention date."]
    text = "\n".join([*lines, retention.describe_expiry(expiry, commit=commit)])
    return Outcome(
        f"Retention {'applied' if commit else 'counted'}: {len(results)} questionnaire(s)",
        (text + "\n").encode(),
        f"retention-job-{job.id}.txt",
        "text/plain; charset=utf-8",
        {"questionnaires": len(results), "commit": commit, "job_files_expired": expiry.files},
    )
