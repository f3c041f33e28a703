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
from sqlmodel import Session, col, select

from survey.store.models import Response
from survey.store.repository_asof import complete_by, report_rows, report_statement
from survey.store.repository_paper import missing_reasons

CHUNK = 5000


def count_responses(*, session: Session, questionnaire_id: str) -> int:
    """How many responses (any status) a questionnaire has."""
    statement = (
        select(func.count()).select_from(Response).where(Response.questionnaire_id == questionnaire_id)
    )
    return int(session.exec(statement).one())


def count_complete(*, session: Session, questionnaire_id: str, as_of: date | None = None) -> int:
    """How many responses were complete by the end of `as_of` (all complete ones without it)."""
    statement = select(func.count()).select_from(Response).where(*complete_by(questionnaire_id, as_of))
    return int(session.exec(statement).one())


def iter_responses_for_report(
    *, session: Session, questionnaire_id: str, as_of: date | None = None, chunk: int = CHUNK
) -> Iterator[list[dict[str, Any]]]:
    """Report rows (as `responses_for_report` makes them) in chunks of at most `chunk`, in id order.

    Which rows and what each becomes is `repository_asof`'s (the "as of" rule); this walks them by id."""
    last = 0
    reasons = missing_reasons(session=session, questionnaire_id=questionnaire_id)  # paper forms' marks
    pool: dict[Any, Any] = {}  # one object per equal key, code and date across this read's rows
    statement = report_statement(questionnaire_id, as_of)
    while True:
        rows = session.execute(statement.where(col(Response.id) > last).limit(chunk)).all()
        if not rows:
            return
        out = report_rows(rows, as_of=as_of, reasons=reasons, pool=pool)
        last = out[-1]["id"]
        session.expunge_all()
        yield out
        if len(rows) < chunk:
            return
