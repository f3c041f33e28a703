"""Queries and commits of moderation: excluding a response from reports and exports, and restoring it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from survey.store.models import Response
from survey.store.models_moderation import ResponseExclusion


def excluded_ids_query(questionnaire_id: str) -> SelectOfScalar[int]:
    """A subquery of the excluded response ids of one questionnaire (for `NOT IN` in report queries)."""
    return select(ResponseExclusion.response_id).where(
        col(ResponseExclusion.questionnaire_id) == questionnaire_id
    )


def every_excluded_id_query() -> SelectOfScalar[int]:
    """A subquery of every excluded response id, whatever the questionnaire (channels span several)."""
    return select(ResponseExclusion.response_id)


def response_of(*, session: Session, questionnaire_id: str, response_id: int) -> Response | None:
    """A response of this questionnaire (None for another questionnaire's or a missing one)."""
    response = session.get(Response, response_id)
    return response if response is not None and response.questionnaire_id == questionnaire_id else None


def exclusion_of(*, session: Session, response_id: int) -> ResponseExclusion | None:
    """Why a response is excluded (None when it counts)."""
    return session.get(ResponseExclusion, response_id)


def exclude(*, session: Session, row: ResponseExclusion) -> bool:
    """Leave a response out of reports and exports; False when it already was."""
    if session.get(ResponseExclusion, row.response_id) is not None:
        return False
    session.add(row)
    session.commit()
    return True


def restore(*, session: Session, response_id: int) -> ResponseExclusion | None:
    """Count a response again; returns the exclusion that was lifted (None when it was not excluded)."""
    row = session.get(ResponseExclusion, response_id)
    if row is None:
        return None
    session.execute(delete(ResponseExclusion).where(col(ResponseExclusion.response_id) == response_id))
    session.commit()
    return row


def exclusions(*, session: Session, questionnaire_id: str) -> list[ResponseExclusion]:
    """Every exclusion of one questionnaire, newest first."""
    statement = (
        select(ResponseExclusion)
        .where(col(ResponseExclusion.questionnaire_id) == questionnaire_id)
        .order_by(col(ResponseExclusion.excluded_at).desc())
    )
    return list(session.exec(statement))


def exclusion_summary(
    *, session: Session, questionnaire_id: str, completed_by: object = None
) -> dict[str, int]:
    """{reason code: how many} of the excluded complete responses (completed on or before `completed_by`)."""
    statement = (
        select(ResponseExclusion.reason, func.count())
        .join(Response, col(Response.id) == col(ResponseExclusion.response_id))
        .where(
            col(ResponseExclusion.questionnaire_id) == questionnaire_id, col(Response.status) == "complete"
        )
    )
    if completed_by is not None:
        statement = statement.where(col(Response.completed_on) <= completed_by)
    statement = statement.group_by(col(ResponseExclusion.reason)).order_by(col(ResponseExclusion.reason))
    return {str(reason): int(n) for reason, n in session.exec(statement)}


def stamp(
    *, response_id: int, questionnaire_id: str, reason: str, note: str, by: str, now: datetime
) -> ResponseExclusion:
    """A new exclusion row (not stored)."""
    return ResponseExclusion(
        response_id=response_id,
        questionnaire_id=questionnaire_id,
        reason=reason,
        note=note,
        excluded_by=by,
        excluded_at=now,
    )
