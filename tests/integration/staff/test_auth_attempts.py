"""Sign-in attempts counted at the same moment by two workers are both counted (no read-then-write):
`repository_staff.reserve_attempt`, which the sign-in and two-factor pages call before checking a password."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlmodel import Session

from survey.store import repository_staff as repo
from survey.store.db import get_engine
from survey.store.models_staff import LoginAttempt, utcnow

KEY = "account:race"
WINDOW = timedelta(minutes=15)


def count(session: Session, limit: int = 5) -> None:
    assert repo.reserve_attempt(
        session=session, limits={KEY: limit}, now=utcnow(), window=WINDOW, lockout=WINDOW
    )


def failures(app: Flask) -> LoginAttempt:
    with Session(get_engine(app)) as session:
        row = session.get(LoginAttempt, KEY)
        assert row is not None
        return row


# Postgres only: SQLite lets one writer in at a time, so two workers' counts cannot interleave there.
@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_a_failure_counted_by_another_worker_mid_count_is_not_lost(app: Flask) -> None:
    engine = get_engine(app)
    with Session(engine) as session:
        count(session)  # one failure already on record
    with Session(engine) as worker_a:
        connection = worker_a.connection()
        interleaved: list[bool] = []

        def other_worker_counts(*_args: Any) -> None:
            # Right after worker A's first statement, worker B counts its failure and commits.
            if not interleaved:
                interleaved.append(True)
                with Session(engine) as worker_b:
                    count(worker_b)

        event.listen(connection, "after_cursor_execute", other_worker_counts)
        count(worker_a)
        event.remove(connection, "after_cursor_execute", other_worker_counts)
    assert interleaved and failures(app).failures == 3


def test_the_limit_reached_together_still_locks(app: Flask) -> None:
    engine = get_engine(app)
    with Session(engine) as session:
        for _ in range(3):
            count(session, limit=3)
    row = failures(app)
    assert row.failures == 3 and row.locked_until is not None
