"""How many resume- and receipt-code attempts are allowed: per code typed, per response, per address.

There is no global counter, so nobody can use up the attempts of a resident who holds the right code:
- per code: the same code (right or wrong) may be tried `SURVEY_CODE_LIMIT_PER_CODE` times a window;
- per response: a response may be opened with its code `SURVEY_CODE_LIMIT_PER_RESPONSE` times a window
  (a leaked code cannot be replayed endlessly);
- per address: `SURVEY_RESUME_LIMIT_PER_CLIENT` attempts a window from one keyed hash of an address (a
  brake on one machine guessing; mobile networks share addresses, so it is generous).
Guessing a 50-bit code is out of reach at any rate the service can answer (docs/security.md).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app

from survey.respond import codes
from survey.store import repository_security
from survey.store.db import get_session
from survey.web.security import client_key


def _window() -> timedelta:
    return timedelta(minutes=int(current_app.config["SURVEY_RESUME_WINDOW_MINUTES"]))


def allow_code(normal: str, questionnaire_id: str, purpose: str) -> bool:
    """Count one attempt with this code from this address; False when either is over its limit."""
    config = current_app.config
    code_key = "c:" + codes.digest(normal, questionnaire_id, f"limit-{purpose}")[:60]
    return repository_security.allow_attempt(
        session=get_session(),
        limits={
            code_key: int(config["SURVEY_CODE_LIMIT_PER_CODE"]),
            client_key()[:64]: int(config["SURVEY_RESUME_LIMIT_PER_CLIENT"]),
        },
        now=datetime.now(UTC),
        window=_window(),
    )


def allow_response(response_id: int) -> bool:
    """Count one opening of a response with its code; False when it was opened too often this window."""
    return repository_security.allow_attempt(
        session=get_session(),
        limits={f"r:{response_id}": int(current_app.config["SURVEY_CODE_LIMIT_PER_RESPONSE"])},
        now=datetime.now(UTC),
        window=_window(),
    )
