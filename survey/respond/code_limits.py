"""How many resume- and receipt-code attempts are allowed: per code typed, per response, per address.

There is no global counter, so nobody can use up the attempts of a resident who holds the right code:
- per code: the same code (right or wrong) may be tried `SURVEY_CODE_LIMIT_PER_CODE` times a window;
- per response: a response may be opened with its code `SURVEY_CODE_LIMIT_PER_RESPONSE` times a window
  (a leaked code cannot be replayed endlessly);
- per address and kind of code: `SURVEY_RESUME_LIMIT_PER_CLIENT` resume-code and
  `SURVEY_RECEIPT_LIMIT_PER_CLIENT` receipt-code attempts a window (100 each) from one keyed hash of an
  address: a brake on one machine guessing. The two are separate (wrong receipt codes never block a right
  resume code) and generous, since a library or a mobile network puts many residents behind one address.
Guessing a 50-bit code is out of reach at any rate the service can answer (docs/security.md).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app

from survey.respond import codes
from survey.store import repository_security
from survey.store.db import get_session
from survey.web.security import client_key

ADDRESS_LIMITS = {"resume": "SURVEY_RESUME_LIMIT_PER_CLIENT", "receipt": "SURVEY_RECEIPT_LIMIT_PER_CLIENT"}


def _window() -> timedelta:
    return timedelta(minutes=int(current_app.config["SURVEY_RESUME_WINDOW_MINUTES"]))


def allow_code(normal: str, questionnaire_id: str, purpose: str) -> bool:
    """Count one attempt with this code from this address; False when either is over its limit."""
    config = current_app.config
    code_key = "c:" + codes.digest(normal, questionnaire_id, f"limit-{purpose}")[:60]
    address_key = f"{purpose}:" + client_key()[: 63 - len(purpose)]  # one counter per kind of code
    return repository_security.allow_attempt(
        session=get_session(),
        limits={
            code_key: int(config["SURVEY_CODE_LIMIT_PER_CODE"]),
            address_key: int(config[ADDRESS_LIMITS[purpose]]),
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
