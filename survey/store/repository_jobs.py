"""Queries and commits for background jobs (keyword-only functions taking `session=`).

Status changes are guarded UPDATEs, so a web request cancelling a job and the worker finishing it cannot
overwrite each other: a job that is done stays done; a queued job cancelled never starts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlalchemy import select as sa_select
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
        recoveries=0,
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


def jobs_by(
    *, session: Session, created_by: str, offset: int = 0, limit: int = 25
) -> tuple[list[tuple[Job, bool]], int]:
    """One page of the jobs someone asked for, newest first, each with whether its result file is still kept
    (the file itself is not read), and how many they asked for in all."""
    mine = col(Job.created_by) == created_by
    total = session.exec(select(func.count()).select_from(Job).where(mine)).one()
    statement = (
        select(Job, col(Job.result).is_not(None))
        .options(defer(Job.result))  # type: ignore[arg-type]
        .where(mine)
        .order_by(col(Job.id).desc())
        .offset(offset)
        .limit(limit)
        .execution_options(populate_existing=True)
    )
    return [(job, bool(kept)) for job, kept in session.exec(statement)], int(total)


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


def _fence(attempt: int | None) -> list[Any]:
    """Only the attempt that claimed the job may write its progress and outcome: a worker thought stopped
    (its job queued again and claimed by another) finds its updates refused instead of overwriting."""
    return [] if attempt is None else [col(Job.attempts) == attempt]


def set_progress(
    *,
    session: Session,
    job_id: int,
    progress: int,
    message: str,
    now: datetime | None = None,
    attempt: int | None = None,
) -> bool:
    """Record how far a running job has got (and, with `now`, its heartbeat); True (and nothing recorded)
    when someone asked to cancel it, or it is no longer this `attempt`'s to run."""
    beat = {"heartbeat_at": now} if now is not None else {}
    return not _update(
        session,
        job_id,
        col(Job.status) == "running",
        col(Job.cancel_requested).is_(False),
        *_fence(attempt),
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
    attempt: int | None = None,
) -> bool:
    """Running -> done with its result kept for download; False (nothing kept) when asked to stop meanwhile
    (or it is no longer this `attempt`'s).

    A cancel asked for after the job's last step still counts: an erasure or retention run stops report and
    export jobs that may have read what it removed, so their file must not be kept.
    """
    return _update(
        session,
        job_id,
        col(Job.status) == "running",
        col(Job.cancel_requested).is_(False),
        *_fence(attempt),
        status="done",
        progress=100,
        finished_at=now,
        heartbeat_at=now,
        result=result,
        result_name=result_name,
        result_type=result_type,
        summary=summary,
        message=message[:300],
    )


def fail_job(
    *, session: Session, job_id: int, now: datetime, error: str, retrying: bool, attempt: int | None = None
) -> bool:
    """Running -> queued again (a retry is due; not when someone asked it to stop) or failed (no attempts
    left), with the error said plainly; False when nothing changed."""
    if retrying:
        return _update(
            session,
            job_id,
            col(Job.status) == "running",
            col(Job.cancel_requested).is_(False),
            *_fence(attempt),
            status="queued",
            heartbeat_at=now,
            error=error[:2000],
            message="Failed; trying again shortly",
        )
    return _update(
        session,
        job_id,
        col(Job.status) == "running",
        *_fence(attempt),
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


def mark_cancelled(*, session: Session, job_id: int, now: datetime, attempt: int | None = None) -> bool:
    """Running -> cancelled (the worker stopped at a step after a cancel request); nothing is kept."""
    return _update(
        session,
        job_id,
        col(Job.status) == "running",
        *_fence(attempt),
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


def recover_lost(*, session: Session, job: Job, now: datetime, requeue: bool, error: str) -> str | None:
    """A job whose worker stopped or whose queue entry was lost, as `job` was read: queued again (`requeue`;
    its attempts kept, one more recovery counted, its heartbeat restarted) or failed with `error`; cancelled
    instead when someone had asked it to stop. Returns the new status, or None when the job changed since it
    was read (it made progress, or another worker's check got there first): nothing is done then."""
    assert job.id is not None
    seen = [
        col(Job.status) == job.status,
        col(Job.heartbeat_at) == job.heartbeat_at if job.heartbeat_at else col(Job.heartbeat_at).is_(None),
        col(Job.recoveries) == job.recoveries,
        col(Job.attempts) == job.attempts,
    ]
    if job.cancel_requested:
        done = _update(session, job.id, *seen, status="cancelled", finished_at=now, message="Cancelled")
        return "cancelled" if done else None
    if requeue:
        done = _update(
            session,
            job.id,
            *seen,
            status="queued",
            recoveries=Job.recoveries + 1,
            heartbeat_at=now,
            progress=0,
            message="It stopped without finishing; starting it once more",
        )
        return "queued" if done else None
    done = _update(
        session,
        job.id,
        *seen,
        status="failed",
        finished_at=now,
        error=error[:2000],
        message="Stopped without finishing",
    )
    return "failed" if done else None


def _family(job: Job, same: tuple[str, ...]) -> tuple[Any, ...]:
    return (job.kind, job.questionnaire_id, *(job.params.get(name) for name in same))


def drop_superseded(*, session: Session, job: Job, same: tuple[str, ...], why: str) -> int:
    """Delete the kept results of the done jobs `job` (just done) supersedes: older ones (smaller id) of its
    kind and questionnaire whose params agree on `same`. The jobs stay, saying `why`; `job` keeps its own
    result, and so does any newer job. Returns how many results were deleted."""
    statement = (
        select(Job)
        .options(defer(Job.result))  # type: ignore[arg-type]
        .where(
            col(Job.kind) == job.kind,
            col(Job.questionnaire_id) == job.questionnaire_id,
            col(Job.id) < job.id,
            col(Job.status) == "done",
            col(Job.result).is_not(None),
        )
    )
    ids = [older.id for older in session.exec(statement) if _family(older, same) == _family(job, same)]
    if not ids:
        return 0
    result = session.execute(
        update(Job)
        .where(col(Job.id).in_(ids), col(Job.status) == "done")
        .values(result=None, result_name=None, result_type=None, message=why[:300])
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def expiring_results(
    *, session: Session, finished_before: datetime, served: dict[str, tuple[str, ...]]
) -> list[int]:
    """Ids of done jobs finished before `finished_before` that still keep a result, except the newest done
    job of each family a page shows (`served`: kind -> the params that, with the questionnaire, make a
    family; the partner page shows its newest partner figures, the themes page a question's newest
    suggestions)."""
    rows = session.execute(
        sa_select(
            col(Job.id),
            col(Job.kind),
            col(Job.questionnaire_id),
            col(Job.params),
            col(Job.finished_at),
            col(Job.result).is_not(None),
        )
        .where(col(Job.status) == "done")
        .order_by(col(Job.id))
    )
    newest: dict[tuple[Any, ...], int] = {}
    old: list[int] = []
    limit = finished_before.astimezone(UTC)
    for job_id, kind, questionnaire_id, params, finished, kept in rows:
        if kind in served:
            newest[(kind, questionnaire_id, *(params.get(name) for name in served[kind]))] = job_id
        if finished is not None and finished.tzinfo is None:  # SQLite hands back naive UTC
            finished = finished.replace(tzinfo=UTC)
        if kept and finished is not None and finished < limit:
            old.append(job_id)
    shown = set(newest.values())
    return [job_id for job_id in old if job_id not in shown]


def remove_results(*, session: Session, job_ids: list[int], why: str) -> int:
    """Delete the kept results of the done jobs `job_ids` (the jobs stay, saying `why`); caller commits."""
    if not job_ids:
        return 0
    result = session.execute(
        update(Job)
        .where(col(Job.id).in_(job_ids), col(Job.status) == "done", col(Job.result).is_not(None))
        .values(result=None, result_name=None, result_type=None, message=why[:300])
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
