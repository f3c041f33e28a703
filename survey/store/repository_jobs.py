"""Queries and commits for background jobs (keyword-only functions taking `session=`).

Status changes are guarded UPDATEs, so a web request cancelling a job and the worker finishing it cannot
overwrite each other: a job that is done stays done; a queued job cancelled never starts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from survey.store.models_jobs import FINISHED, Job


def _queued(
    kind: str,
    questionnaire_id: str | None,
    params: dict[str, Any],
    created_by: str,
    now: datetime,
    dedupe_key: str | None = None,
) -> Job:
    """A new job row, queued and not yet stored."""
    return Job(
        kind=kind,
        questionnaire_id=questionnaire_id,
        params=params,
        created_by=created_by[:254],
        created_at=now,
        summary={},
        message="Waiting for a worker",
        dedupe_key=dedupe_key,
    )


def create_job(
    *,
    session: Session,
    kind: str,
    questionnaire_id: str | None,
    params: dict[str, Any],
    created_by: str,
    now: datetime,
) -> Job:
    """Record a job as queued (the caller then puts it on the queue)."""
    job = _queued(kind, questionnaire_id, params, created_by, now)
    session.add(job)
    session.commit()
    session.refresh(job)
    return job


def create_job_once(
    *,
    session: Session,
    dedupe_key: str,
    kind: str,
    questionnaire_id: str | None,
    params: dict[str, Any],
    created_by: str,
    now: datetime,
) -> tuple[Job, bool]:
    """The job of `dedupe_key`, recorded as queued if there is none: (job, True when this call made it).

    The key is unique in the table, so of several processes asking at once exactly one makes the job (the
    others' inserts fail and they read the one made); only that caller puts it on the queue."""
    job = _queued(kind, questionnaire_id, params, created_by, now, dedupe_key)
    session.add(job)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        found = job_by_key(session=session, dedupe_key=dedupe_key)
        if found is None:  # not the key after all: something else was wrong
            raise
        return found, False
    session.refresh(job)
    return job, True


def job_by_key(*, session: Session, dedupe_key: str, with_result: bool = False) -> Job | None:
    """The job of a key (its result file only when asked for)."""
    statement = select(Job).where(Job.dedupe_key == dedupe_key).execution_options(populate_existing=True)
    if not with_result:
        statement = statement.options(defer(Job.result))  # type: ignore[arg-type]
    return session.exec(statement).first()


def reopen_job(*, session: Session, job_id: int, now: datetime) -> bool:
    """A finished job that left no result (failed, cancelled, or done but its file deleted since) -> queued
    again, as new; False when it is queued, running or done with its result (someone got there first)."""
    return _update(
        session,
        job_id,
        or_(
            col(Job.status).in_(("failed", "cancelled")),
            and_(col(Job.status) == "done", col(Job.result).is_(None)),
        ),
        status="queued",
        progress=0,
        attempts=0,
        cancel_requested=False,
        error=None,
        started_at=None,
        heartbeat_at=None,
        worker=None,
        finished_at=None,
        result=None,
        result_name=None,
        result_type=None,
        summary={},
        created_at=now,
        message="Waiting for a worker",
    )


def job_by_id(*, session: Session, job_id: int, with_result: bool = False) -> Job | None:
    """One job (its result file only when asked for)."""
    statement = select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    if not with_result:
        statement = statement.options(defer(Job.result))  # type: ignore[arg-type]
    return session.exec(statement).first()


def recent_jobs(*, session: Session, questionnaire_id: str | None = None, limit: int = 20) -> list[Job]:
    """The newest jobs first (without their result files)."""
    statement = select(Job).options(defer(Job.result)).order_by(col(Job.id).desc()).limit(limit)  # type: ignore[arg-type]
    if questionnaire_id is not None:
        statement = statement.where(Job.questionnaire_id == questionnaire_id)
    return list(session.exec(statement))


def jobs_of_kind(*, session: Session, kind: str, questionnaire_id: str, limit: int = 50) -> list[Job]:
    """A questionnaire's newest jobs of one kind first (without their result files)."""
    statement = (
        select(Job)
        .options(defer(Job.result))  # type: ignore[arg-type]
        .where(Job.kind == kind, Job.questionnaire_id == questionnaire_id)
        .order_by(col(Job.id).desc())
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    return list(session.exec(statement))


def _update(session: Session, job_id: int, *where: Any, **values: Any) -> bool:
    result = session.execute(update(Job).where(col(Job.id) == job_id, *where).values(**values))
    session.commit()
    return bool(result.rowcount)  # type: ignore[attr-defined]


def claim_job(*, session: Session, job_id: int, now: datetime, worker: str = "") -> bool:
    """Queued -> running (one more attempt); False when the job was cancelled, finished or is unknown."""
    return _update(
        session,
        job_id,
        col(Job.status) == "queued",
        col(Job.cancel_requested).is_(False),
        status="running",
        started_at=now,
        heartbeat_at=now,
        worker=worker[:120] or None,
        attempts=Job.attempts + 1,
        progress=0,
        message="Started",
        error=None,
    )


def set_progress(
    *, session: Session, job_id: int, progress: int, message: str, now: datetime | None = None
) -> bool:
    """Record how far a running job has got; True (and nothing recorded) when someone asked to cancel it."""
    beat = {"heartbeat_at": now} if now is not None else {}
    return not _update(
        session,
        job_id,
        col(Job.status) == "running",
        col(Job.cancel_requested).is_(False),
        **beat,
        progress=max(0, min(100, progress)),
        message=message[:300],
    )


def finish_job(
    *,
    session: Session,
    job_id: int,
    now: datetime,
    result: bytes | None,
    result_name: str | None,
    result_type: str | None,
    summary: dict[str, Any],
    message: str,
) -> bool:
    """Running -> done with its result kept for download; False (nothing kept) when asked to stop meanwhile.

    A cancel asked for after the job's last step still counts: an erasure or retention run stops report and
    export jobs that may have read what it removed, so their file must not be kept.
    """
    return _update(
        session,
        job_id,
        col(Job.status) == "running",
        col(Job.cancel_requested).is_(False),
        status="done",
        progress=100,
        finished_at=now,
        result=result,
        result_name=result_name,
        result_type=result_type,
        summary=summary,
        message=message[:300],
    )


def fail_job(*, session: Session, job_id: int, now: datetime, error: str, retrying: bool) -> bool:
    """Running -> queued again (a retry is due) or failed (no attempts left), with the error said plainly."""
    if retrying:
        return _update(
            session,
            job_id,
            col(Job.status) == "running",
            status="queued",
            error=error[:2000],
            message="Failed; trying again shortly",
        )
    return _update(
        session,
        job_id,
        col(Job.status) == "running",
        status="failed",
        finished_at=now,
        error=error[:2000],
        message="Failed",
    )


def cancel_job(*, session: Session, job_id: int, now: datetime) -> str | None:
    """Ask a job to stop: a queued job is cancelled at once, a running one at its next progress step.

    Returns the job's status afterwards (None for an unknown job); a finished job is left as it is.
    """
    _update(
        session,
        job_id,
        col(Job.status) == "queued",
        status="cancelled",
        finished_at=now,
        cancel_requested=True,
        message="Cancelled before it started",
    )
    _update(
        session,
        job_id,
        col(Job.status) == "running",
        cancel_requested=True,
        message="Cancelling at the next step",
    )
    job = job_by_id(session=session, job_id=job_id)
    return job.status if job is not None else None


def mark_cancelled(*, session: Session, job_id: int, now: datetime) -> bool:
    """Running -> cancelled (the worker stopped at a step after a cancel request); nothing is kept."""
    return _update(
        session,
        job_id,
        col(Job.status) == "running",
        status="cancelled",
        finished_at=now,
        message="Cancelled",
    )


def unfinished_jobs(*, session: Session) -> list[Job]:
    """Jobs queued or running (for `survey jobs list --unfinished` and the worker's start-up check)."""
    statement = (
        select(Job)
        .options(defer(Job.result))  # type: ignore[arg-type]
        .where(col(Job.status).not_in(FINISHED))
        .order_by(col(Job.id))
    )
    return list(session.exec(statement))


def running_jobs(*, session: Session) -> list[Job]:
    """Jobs marked running (for the worker's check on jobs whose worker stopped)."""
    statement = select(Job).options(defer(Job.result)).where(col(Job.status) == "running")  # type: ignore[arg-type]
    return list(session.exec(statement.execution_options(populate_existing=True)))


def requeue_abandoned(*, session: Session, job: Job, now: datetime, attempts_allowed: int) -> str | None:
    """A running job whose worker stopped: queued again (None when another worker got there first), or
    failed when it has had all its attempts. Guarded by the heartbeat seen, so only one checker acts."""
    assert job.id is not None
    seen = col(Job.heartbeat_at) == job.heartbeat_at if job.heartbeat_at else col(Job.heartbeat_at).is_(None)
    if job.attempts >= attempts_allowed:
        done = _update(
            session,
            job.id,
            col(Job.status) == "running",
            seen,
            status="failed",
            finished_at=now,
            error="The worker stopped while running it, on every attempt",
            message="Failed",
        )
        return "failed" if done else None
    done = _update(
        session,
        job.id,
        col(Job.status) == "running",
        seen,
        status="queued",
        message="The worker stopped while making it; trying again",
    )
    return "queued" if done else None
