"""Nothing a resident typed reaches a log line when a database write fails (issue 17, finding 1).

The attack review made the database read-only and found residents' answers and journey tokens in the
error log (SQLAlchemy puts a statement's parameters in the exception text; Postgres quotes the refused row).
Here writes are made to fail on purpose (a trigger on SQLite, a check constraint on Postgres, each refusing
every update of a response) and every captured log line and stderr is searched for the answer, the token
and the code hash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import text
from sqlmodel import select

from survey.store.db import get_engine, get_session
from survey.store.models import Response
from tests.respondent import Respondent

SECRET = "My neighbour Zbigniew-Quartz hits his wife at 14 Acacia Road"


def refuse_response_writes(app: Flask) -> None:
    """Make every UPDATE of a response fail inside the database (as a read-only or broken database does)."""
    with app.app_context():
        engine = get_engine()
        with engine.begin() as connection:
            if engine.dialect.name == "sqlite":
                connection.execute(
                    text(
                        "CREATE TRIGGER refuse_writes BEFORE UPDATE ON responses "
                        "BEGIN SELECT RAISE(ABORT, 'attempt to write a readonly database'); END"
                    )
                )
            else:  # Postgres quotes the whole refused row in its DETAIL line
                connection.execute(
                    text("ALTER TABLE responses ADD CONSTRAINT refuse_writes CHECK (id < 0) NOT VALID")
                )


def test_a_failed_write_logs_no_answer_token_or_code(
    app: Flask,
    respondent: Callable[..., Respondent],
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "resident"}, stop_at="concerns_text")
    resident.post("/s/safermk-2016/save", {"page": "11"})  # a resume code: its hash is a parameter too
    with app.app_context():
        row = get_session().exec(select(Response)).one()
        token, code_hash = row.token, row.resume_code_hash
    assert token and code_hash
    resident.get("/s/safermk-2016/p/11")
    refuse_response_writes(app)
    caplog.set_level(logging.DEBUG)
    response = resident.answer(SECRET)
    logged = (
        caplog.text
        + "\n".join(str(r.exc_text or "") + r.getMessage() for r in caplog.records)
        + "".join(capfd.readouterr())
    )
    assert "OperationalError" in logged or "CheckViolation" in logged or "IntegrityError" in logged  # logged
    for leaked in (SECRET, "Zbigniew", "Acacia", token, code_hash, "Failing row contains ("):
        assert leaked not in logged, f"{leaked!r} reached the log"
    assert response.status_code == 503  # "Sorry, there is a problem with the service", answer kept


def test_the_scrubber_hides_what_databases_quote() -> None:
    from survey.web.logs import scrub

    message = (
        '(psycopg.errors.CheckViolation) new row violates check constraint "x"\n'
        'DETAIL:  Failing row contains (3, tok, {"concerns_text": "secret words"}).\n'
        "[SQL: UPDATE responses SET answers=%(answers)s WHERE id = %(rid)s]\n"
        "[parameters: {'answers': '{\"concerns_text\": \"secret words\"}', 'rid': 3}]\n"
        "Key (token)=(abcdef) already exists."
    )
    cleaned = scrub(message)
    assert "secret words" not in cleaned and "abcdef" not in cleaned
    assert "UPDATE responses SET answers" in cleaned  # the statement itself stays, for whoever debugs


def test_log_records_made_anywhere_are_scrubbed(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    logging.getLogger("any.library").error("failed: [parameters: ('secret words', 'tok')]")
    try:
        raise ValueError("DETAIL:  Failing row contains (1, secret words)")
    except ValueError:
        logging.getLogger("another").exception("boom")
    assert "secret words" not in caplog.text
