"""Queries of the hardening work: staff sessions on the server, code attempts, receipts and erasure."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from survey.store.models import Response, ResumeAttempt
from survey.store.models_reports import ReportSnapshot
from survey.store.models_staff import StaffSession
from survey.store.models_themes import ManualCode, SuggestionDecision

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


def count_staff_sessions(*, session: Session, staff_id: int) -> int:
    """How many sessions of an account are signed in (the accounts page and tests)."""
    return len(list(session.exec(select(StaffSession.id_hash).where(col(StaffSession.staff_id) == staff_id))))


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


def complete_response_by_token(*, session: Session, token: str, questionnaire_id: str) -> Response | None:
    """The sent response a browser's journey pointed at (None when it is not sent, or gone)."""
    return session.exec(
        select(Response).where(
            col(Response.token) == token,
            col(Response.questionnaire_id) == questionnaire_id,
            col(Response.status) == "complete",
        )
    ).first()


def set_receipt_code(*, session: Session, response_id: int, code_hash: str, expires_on: date) -> bool:
    """Give a sent response a (new) receipt code; False when it is not a sent response any more."""
    result = session.execute(
        update(Response)
        .where(col(Response.id) == response_id, col(Response.status) == "complete")
        .values(receipt_code_hash=code_hash, receipt_expires_on=expires_on)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


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


def erase_response(
    *, session: Session, response: Response, unpublished_kinds: Collection[str]
) -> dict[str, int]:
    """Delete one response, its hand codes, and the unpublished report snapshots that may count or quote it.

    Snapshots of a kind in `unpublished_kinds` whose data date is on or after the day the response was
    started are deleted whole (a stored file cannot be edited). Returns what was deleted; commits.
    """
    rid, qid = response.id, response.questionnaire_id
    codes = session.execute(
        delete(ManualCode).where(col(ManualCode.questionnaire_id) == qid, col(ManualCode.response_id) == rid)
    )
    snapshots = session.execute(
        delete(ReportSnapshot).where(
            col(ReportSnapshot.questionnaire_id) == qid,
            col(ReportSnapshot.kind).in_(sorted(unpublished_kinds)),
            col(ReportSnapshot.as_of) >= response.started_on,
        )
    )
    session.execute(delete(Response).where(col(Response.id) == rid))
    session.commit()
    return {
        "responses": 1,
        "hand_codes": int(getattr(codes, "rowcount", 0) or 0),
        "snapshots": int(getattr(snapshots, "rowcount", 0) or 0),
    }


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
