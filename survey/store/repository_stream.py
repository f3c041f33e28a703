"""Responses for reports and exports read in chunks: plain columns, no ORM objects, keyset pagination.

`iter_responses_for_report` yields the same dicts as `repository.responses_for_report` (see its docstring),
CHUNK rows at a time in id order, so a worker reports progress as rows arrive and never holds ORM objects
(identity map, change tracking) for 100,000 responses. Each chunk is one indexed range query
(`id > last ORDER BY id LIMIT n`), which behaves the same on SQLite and Postgres and holds no cursor open
between chunks (a PgBouncer in transaction mode is fine).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from survey.store.models import Response
from survey.store.repository_moderation import excluded_ids_query
from survey.store.repository_paper import missing_reasons

CHUNK = 5000
SHARED_TEXT = 64  # strings up to this long (keys, codes, dates as text, short answers) are shared across rows
_COLUMNS: tuple[Any, ...] = (
    Response.id,
    Response.questionnaire_version,
    Response.channel,
    Response.mode,
    Response.status,
    Response.started_on,
    Response.completed_on,
    Response.duration_seconds,
    Response.last_question,
    Response.answers,
)


def count_responses(*, session: Session, questionnaire_id: str) -> int:
    """How many responses (any status) a questionnaire has."""
    statement = (
        select(func.count()).select_from(Response).where(Response.questionnaire_id == questionnaire_id)
    )
    return int(session.exec(statement).one())


def count_complete(*, session: Session, questionnaire_id: str, as_of: date | None = None) -> int:
    """How many responses were complete by the end of `as_of` (all complete ones without it)."""
    statement = (
        select(func.count())
        .select_from(Response)
        .where(
            Response.questionnaire_id == questionnaire_id,
            Response.status == "complete",
            col(Response.id).not_in(excluded_ids_query(questionnaire_id)),
        )
    )
    if as_of is not None:
        statement = statement.where(col(Response.completed_on) <= as_of)
    return int(session.exec(statement).one())


def iter_responses_for_report(
    *, session: Session, questionnaire_id: str, as_of: date | None = None, chunk: int = CHUNK
) -> Iterator[list[dict[str, Any]]]:
    """Report rows (as `responses_for_report` makes them) in chunks of at most `chunk`, in id order."""
    last = 0
    reasons = missing_reasons(session=session, questionnaire_id=questionnaire_id)  # paper forms' marks
    pool: dict[Any, Any] = {}  # one object per equal key, code and date across this read's rows
    while True:
        statement = core_select(*_COLUMNS).where(
            col(Response.questionnaire_id) == questionnaire_id,
            col(Response.id) > last,
            col(Response.id).not_in(excluded_ids_query(questionnaire_id)),  # staff's exclusions left out
        )
        if as_of is not None:
            statement = statement.where(col(Response.started_on) <= as_of)
        rows = session.execute(statement.order_by(col(Response.id)).limit(chunk)).all()
        if not rows:
            return
        out = []
        for (
            rid,
            version,
            channel,
            mode,
            status,
            started_on,
            completed_on,
            duration,
            last_question,
            answers,
        ) in rows:
            complete = status == "complete" and (
                as_of is None or (completed_on is not None and completed_on <= as_of)
            )
            share = pool.setdefault
            out.append(
                {
                    "id": rid,
                    "questionnaire_version": share(version, version),
                    "channel": share(channel, channel),
                    "mode": share(mode, mode),
                    "status": "complete" if complete else "in_progress",
                    "started_on": share(started_on, started_on),
                    "completed_on": share(completed_on, completed_on) if complete else None,
                    "duration_seconds": duration if complete else None,
                    "last_question": share(last_question, last_question),
                    "answers": shared_answers(answers, pool),
                    **({"missing_reasons": reasons[rid]} if rid in reasons else {}),
                }
            )
        last = out[-1]["id"]
        session.expunge_all()
        yield out
        if len(rows) < chunk:
            return


def shared_answers(answers: dict[str, Any], pool: dict[Any, Any]) -> dict[str, Any]:
    """`answers` with its keys and short strings replaced by the equal ones already in `pool` (added if new).

    Decoding each row's JSON makes new string objects for every question id and answer code: at 1,000,000
    responses about 60 million small strings (over 3 GB) saying the same few hundred things. Sharing them
    keeps one of each; the values are equal, so nothing downstream can tell (strings are immutable).
    Free text longer than SHARED_TEXT is kept as it is.
    """
    share = pool.setdefault
    out: dict[str, Any] = {}
    for key, value in answers.items():
        kind = value.__class__
        if kind is str:
            if len(value) <= SHARED_TEXT:
                value = share(value, value)
        elif kind is list:
            value = [share(v, v) if v.__class__ is str and len(v) <= SHARED_TEXT else v for v in value]
        elif kind is dict:
            value = {
                share(k, k): share(v, v) if v.__class__ is str and len(v) <= SHARED_TEXT else v
                for k, v in value.items()
            }
        out[share(key, key)] = value
    return out
