"""Queries of the hardening work: staff sessions on the server, code attempts, receipts and erasure."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from survey.store.models import Response, ResumeAttempt
from survey.store.models_jobs import FINISHED, Job
from survey.store.models_reports import ReportSnapshot
from survey.store.models_results import PublishedReport
from survey.store.models_staff import StaffSession
from survey.store.models_themes import ManualCode, SuggestionDecision

# Jobs whose kept files hold residents' answers or their words (a retention job's file holds only counts);
# the partner page's partner report (survey/services/partner_reports.py) is one too. The coding page's
# progress estimate (coding_progress) holds only per-theme scores, like a retention job's counts.
ANSWER_FILE_KINDS = ("report", "export", "suggestions", "partner_report")

# -- staff sessions -----------------------------------------------------------------------------------


def add_staff_session(*, session: Session, id_hash: str, staff_id: int, now: datetime) -> None:
    """Store a new signed-in session (the cookie holds the id; only its hash is stored)."""
    session.add(StaffSession(id_hash=id_hash, staff_id=staff_id, created_at=now, seen_at=now))
    session.commit()


def staff_session(*, session: Session, id_hash: str) -> StaffSession | None:
    """The stored session with this id hash (None when it was ended or never existed)."""
    return session.get(StaffSession, id_hash)


def touch_staff_session(*, session: Session, id_hash: str, now: datetime) -> None:
    """Record that the session was used now (for the idle time-out)."""
    session.execute(update(StaffSession).where(col(StaffSession.id_hash) == id_hash).values(seen_at=now))
    session.commit()


def end_staff_session(*, session: Session, id_hash: str) -> None:
    """End one session (sign-out, or found expired)."""
    session.execute(delete(StaffSession).where(col(StaffSession.id_hash) == id_hash))
    session.commit()


def end_staff_sessions(*, session: Session, staff_id: int, keep: str | None = None) -> int:
    """End every session of an account (except `keep`): password change, disabling, sign out everywhere."""
    where: list[Any] = [col(StaffSession.staff_id) == staff_id]
    if keep is not None:
        where.append(col(StaffSession.id_hash) != keep)
    result = session.execute(delete(StaffSession).where(*where))
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


# -- code attempts --------------------------------------------------------------------------------------


def allow_attempt(*, session: Session, limits: Mapping[str, int], now: datetime, window: timedelta) -> bool:
    """Count one attempt against every key in `limits`; False (nothing counted) when any is at its limit.

    Each counter is raised by a conditional UPDATE (`attempts + 1 WHERE attempts < limit`) in one
    transaction, so concurrent attempts are all counted and no key goes past its limit.
    """
    session.execute(delete(ResumeAttempt).where(col(ResumeAttempt.window_start) < now - window))
    session.commit()
    for key in sorted(limits):
        if session.exec(select(ResumeAttempt.key).where(col(ResumeAttempt.key) == key)).first() is None:
            session.add(ResumeAttempt(key=key, window_start=now, attempts=0))
            try:
                session.commit()
            except IntegrityError:  # made meanwhile by a concurrent request: count on theirs
                session.rollback()
    for key in sorted(limits):
        result = session.execute(
            update(ResumeAttempt)
            .where(col(ResumeAttempt.key) == key, col(ResumeAttempt.attempts) < limits[key])
            .values(attempts=col(ResumeAttempt.attempts) + 1)
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            session.rollback()
            return False
    session.commit()
    return True


# -- receipts -------------------------------------------------------------------------------------------


def response_by_receipt(
    *, session: Session, questionnaire_id: str, code_hash: str, today: date
) -> Response | None:
    """The sent response whose receipt code hashes to `code_hash`, while the receipt is valid."""
    return session.exec(
        select(Response).where(
            col(Response.receipt_code_hash) == code_hash,
            col(Response.questionnaire_id) == questionnaire_id,
            col(Response.status) == "complete",
            col(Response.receipt_expires_on) >= today,
        )
    ).first()


def response_by_id(*, session: Session, response_id: int) -> Response | None:
    """A response by its id (staff erasure)."""
    return session.get(Response, response_id)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _published() -> Any:
    return select(PublishedReport.snapshot_id)


def _snapshots_since(questionnaire_id: str, since: date, *, published: bool) -> list[Any]:
    """Where a questionnaire's snapshots with data from `since` on are (not) published."""
    where: list[Any] = [
        col(ReportSnapshot.questionnaire_id) == questionnaire_id,
        col(ReportSnapshot.as_of) >= since,
    ]
    listed = col(ReportSnapshot.id).in_(_published())
    where.append(listed if published else ~listed)
    return where


def _job_files(
    questionnaire_id: str, *, finished_since: datetime | None = None, finished_before: datetime | None = None
) -> list[Any]:
    """Where a questionnaire's finished report and export jobs still keep a file (between the two times)."""
    where: list[Any] = [
        col(Job.questionnaire_id) == questionnaire_id,
        col(Job.kind).in_(ANSWER_FILE_KINDS),
        col(Job.result).is_not(None),
    ]
    if finished_since is not None:
        where.append(col(Job.finished_at) >= finished_since)
    if finished_before is not None:
        where.append(col(Job.finished_at) < finished_before)
    return where


def _unfinished_jobs(questionnaire_id: str) -> list[Any]:
    return [
        col(Job.questionnaire_id) == questionnaire_id,
        col(Job.kind).in_(ANSWER_FILE_KINDS),
        col(Job.status).not_in(FINISHED),
        col(Job.cancel_requested).is_(False),
    ]


def _count(session: Session, model: Any, where: list[Any]) -> int:
    return int(session.exec(select(func.count()).select_from(model).where(*where)).one())


def erasure_counts(*, session: Session, response: Response) -> dict[str, int]:
    """What erasing `response` removes or keeps, counted without changing anything (the confirmation page).

    Every snapshot and job file made from data that could hold the response: snapshots whose data date is
    on or after the day it was started, job files finished on or after that day.
    """
    qid, since = response.questionnaire_id, response.started_on
    return {
        "responses": 1,
        "hand_codes": _count(
            session,
            ManualCode,
            [col(ManualCode.questionnaire_id) == qid, col(ManualCode.response_id) == response.id],
        ),
        "snapshots": _count(session, ReportSnapshot, _snapshots_since(qid, since, published=False)),
        "published_kept": _count(session, ReportSnapshot, _snapshots_since(qid, since, published=True)),
        "job_files": _count(session, Job, _job_files(qid, finished_since=_day_start(since))),
        "jobs_stopped": _count(session, Job, _unfinished_jobs(qid)),
    }


def remove_job_files(*, session: Session, where: list[Any], why: str) -> int:
    """Delete the kept files of the jobs `where` says (the job stays, saying why); the caller commits."""
    result = session.execute(
        update(Job)
        .where(*where)
        .values(result=None, result_name=None, result_type=None, message=why[:300])
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def stop_unfinished_jobs(*, session: Session, questionnaire_id: str, why: str) -> int:
    """Ask a questionnaire's queued and running report and export jobs to stop; the caller commits.

    They may have read answers that are being removed: a queued one never starts, a running one stops at
    its next step and keeps no file.
    """
    queued = session.execute(
        update(Job)
        .where(*_unfinished_jobs(questionnaire_id), col(Job.status) == "queued")
        .values(status="cancelled", cancel_requested=True, finished_at=datetime.now(UTC), message=why[:300])
        .execution_options(synchronize_session=False)
    )
    running = session.execute(
        update(Job)
        .where(*_unfinished_jobs(questionnaire_id))
        .values(cancel_requested=True, message=why[:300])
        .execution_options(synchronize_session=False)
    )
    return int(getattr(queued, "rowcount", 0) or 0) + int(getattr(running, "rowcount", 0) or 0)


ERASED_FILE = "The file was deleted: a response it may hold was erased"


def erase_response(*, session: Session, response: Response) -> dict[str, int]:
    """Delete one response and whatever else may hold or count it, in one transaction; returns the counts.

    Its hand codes; every *unpublished* report snapshot (interim or final) whose data date is on or after
    the day it was started (a stored file cannot be edited, so the snapshot goes whole); the files of
    report and export jobs finished since that day; and report and export jobs still queued or running are
    stopped. Snapshots published on the public results page are kept as published (docs/security.md).
    """
    counts = erasure_counts(session=session, response=response)
    rid, qid, since = response.id, response.questionnaire_id, response.started_on
    codes = session.execute(
        delete(ManualCode).where(col(ManualCode.questionnaire_id) == qid, col(ManualCode.response_id) == rid)
    )
    snapshots = session.execute(
        delete(ReportSnapshot)
        .where(*_snapshots_since(qid, since, published=False))
        .execution_options(synchronize_session=False)
    )
    files = remove_job_files(
        session=session, where=_job_files(qid, finished_since=_day_start(since)), why=ERASED_FILE
    )
    stopped = stop_unfinished_jobs(
        session=session, questionnaire_id=qid, why="Stopped: a response was erased"
    )
    session.execute(delete(Response).where(col(Response.id) == rid))
    session.commit()
    return {
        **counts,
        "hand_codes": int(getattr(codes, "rowcount", 0) or 0),
        "snapshots": int(getattr(snapshots, "rowcount", 0) or 0),
        "job_files": files,
        "jobs_stopped": stopped,
    }


def job_files_where(*, questionnaire_id: str, finished_before: datetime | None) -> list[Any]:
    """Where a questionnaire's report and export files finished before a time (None: all) are (retention)."""
    return _job_files(questionnaire_id, finished_before=finished_before)


def count_job_files(*, session: Session, questionnaire_id: str, finished_before: datetime | None) -> int:
    """How many report and export files of a questionnaire are kept (finished before; None: all)."""
    return _count(
        session, Job, job_files_where(questionnaire_id=questionnaire_id, finished_before=finished_before)
    )


# -- retention: emerging-theme suggestions ----------------------------------------------------------------


def count_suggestion_decisions(
    *, session: Session, questionnaire_id: str, question_ids: Collection[str] | None
) -> int:
    """How many decisions on suggested themes (words from answers) a questionnaire's questions have."""
    where: list[Any] = [col(SuggestionDecision.questionnaire_id) == questionnaire_id]
    if question_ids is not None:
        where.append(col(SuggestionDecision.question_id).in_(sorted(question_ids)))
    return len(list(session.exec(select(SuggestionDecision.id).where(*where))))


def delete_suggestion_decisions(
    *, session: Session, questionnaire_id: str, question_ids: Collection[str] | None
) -> int:
    """Delete decisions on suggested themes (their keys and labels are residents' words); caller commits."""
    if question_ids is not None and not question_ids:
        return 0
    where: list[Any] = [col(SuggestionDecision.questionnaire_id) == questionnaire_id]
    if question_ids is not None:
        where.append(col(SuggestionDecision.question_id).in_(sorted(question_ids)))
    result = session.execute(delete(SuggestionDecision).where(*where))
    return int(getattr(result, "rowcount", 0) or 0)
