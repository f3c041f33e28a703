"""The queries every resident request runs: the response read with its version; statements built once."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask

from survey.store import repository
from survey.store.db import get_session
from survey.store.models import Response

QID = "safermk-2016"


def _started(db: Any) -> tuple[repository.VersionHead, Response]:
    """The current SaferMK version's head and a response started on it (in progress)."""
    current = repository.questionnaire_head(session=db, questionnaire_id=QID)
    assert current is not None
    response = repository.start_response(
        session=db,
        questionnaire_id=QID,
        language="en",
        questionnaire_version=current.version,
        started_on=date(2026, 6, 1),
    )
    return current, response


def test_response_with_head_reads_the_response_and_the_version_it_answers(app: Flask) -> None:
    with app.app_context():
        db = get_session()
        current, response = _started(db)
        repository.set_questionnaire_dates(
            session=db, questionnaire_id=QID, opens=date(2026, 5, 1), closes=date(2026, 8, 1)
        )
        found = repository.response_with_head(session=db, token=response.token, questionnaire_id=QID)
        assert found is not None
        row, head = found
        assert row.id == response.id and row.status == "in_progress"
        assert head == repository.VersionHead(QID, current.version, date(2026, 5, 1), date(2026, 8, 1))
        # another questionnaire's journey, or a token nobody holds: nothing
        assert (
            repository.response_with_head(
                session=db, token=response.token, questionnaire_id="tenant-satisfaction"
            )
            is None
        )
        assert repository.response_with_head(session=db, token="no-such-token", questionnaire_id=QID) is None


def test_questionnaire_head_and_definition_of_a_stored_version(app: Flask) -> None:
    with app.app_context():
        db = get_session()
        head = repository.questionnaire_head(session=db, questionnaire_id=QID)
        assert head is not None
        same = repository.questionnaire_head(session=db, questionnaire_id=QID, version=head.version)
        assert same == head
        definition = repository.questionnaire_definition(
            session=db, questionnaire_id=QID, version=head.version
        )
        assert definition is not None and definition["id"] == QID
        assert repository.questionnaire_head(session=db, questionnaire_id="nope") is None
        assert repository.questionnaire_head(session=db, questionnaire_id=QID, version="0.0.0") is None
        assert repository.questionnaire_definition(session=db, questionnaire_id=QID, version="0.0.0") is None


def test_the_in_progress_update_is_built_once_per_set_of_columns() -> None:
    first = repository._in_progress_update(("answers", "last_question", "visited"))
    assert repository._in_progress_update(("answers", "last_question", "visited")) is first
    assert repository._in_progress_update(("language",)) is not first


FIRST_REQUEST_OF_A_NEW_WORKER = """
import sys
from sqlalchemy import create_engine
from survey.store import repository
from survey.store.db import Session

engine = create_engine(sys.argv[1])
with Session(engine) as session:
    found = repository.response_with_head(session=session, token=sys.argv[2], questionnaire_id="safermk-2016")
    assert found is not None and found[0].status == "in_progress", found
    print("read", found[0].id)
"""


def test_a_new_processs_first_orm_use_may_be_the_response_read(app: Flask, database_url: str) -> None:
    """A worker restarted under load may serve a question page before anything else configured the mappers.

    It made a half-instrumented Response (AttributeError: a 500 on the question page, seen in the kill -9
    reliability test); the read must work as a process's very first use of the ORM.
    """
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    with app.app_context():
        db = get_session()
        _, response = _started(db)
    done = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST_OF_A_NEW_WORKER, database_url, response.token],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and f"read {response.id}" in done.stdout, done.stderr[-2000:]
