"""The live dashboard's read: every response of a questionnaire as plain dicts, without ORM objects.

Same shape as `repository.responses_for_report(as_of=None)`, but it selects columns instead of building a
`Response` object per row, which makes the dashboard of a 100,000-response survey several times quicker
(bench/dashboard.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from survey.store.models import Response
from survey.store.repository_moderation import excluded_ids_query

COLUMNS = (
    "id",
    "questionnaire_version",
    "channel",
    "mode",
    "status",
    "started_on",
    "completed_on",
    "duration_seconds",
    "last_question",
    "answers",
)


def responses_for_dashboard(*, session: Session, questionnaire_id: str) -> list[dict[str, Any]]:
    """Every response (complete or not) of a questionnaire, in id order, as analysis/ dicts."""
    statement = (
        select(*(col(getattr(Response, name)) for name in COLUMNS))
        .where(
            col(Response.questionnaire_id) == questionnaire_id,
            col(Response.id).not_in(excluded_ids_query(questionnaire_id)),
        )  # as reports: excluded left out
        .order_by(col(Response.id))
    )
    rows: list[dict[str, Any]] = []
    for values in session.exec(statement):
        row = dict(zip(COLUMNS, values, strict=True))
        if row["status"] != "complete":
            row["completed_on"] = row["duration_seconds"] = None
        row["answers"] = dict(row["answers"] or {})
        rows.append(row)
    return rows


def released_response_ids(*, session: Session, questionnaire_id: str, through: date) -> list[int]:
    """The ids, in order, of the complete responses completed on or before `through` and not left out by
    moderation: the responses a partner output as of the release point `through` is made from (the same
    as `analysis.disclosure.partner_page.released` picks from `responses_for_dashboard`)."""
    statement = (
        select(col(Response.id))
        .where(
            col(Response.questionnaire_id) == questionnaire_id,
            col(Response.status) == "complete",
            col(Response.completed_on) <= through,
            col(Response.id).not_in(excluded_ids_query(questionnaire_id)),
        )
        .order_by(col(Response.id))
    )
    return [int(i) for i in session.exec(statement) if i is not None]


def unfinished_answers(*, session: Session, questionnaire_id: str) -> list[dict[str, Any]]:
    """The answers of every unfinished response that answered something (all of them, as the dashboard
    list's grouped counts): to tell which journeys a screen-out page ended (survey/services/screening.py)."""
    statement = select(col(Response.answers)).where(
        col(Response.questionnaire_id) == questionnaire_id,
        col(Response.status) == "in_progress",
        col(Response.last_question).is_not(None),
    )
    return [dict(answers or {}) for answers in session.exec(statement)]
