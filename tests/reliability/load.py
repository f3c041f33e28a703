"""Many simulated residents at once against live gunicorn servers; what they saw, what was stored."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from harness.http_resident import HttpResident, JourneyError, bundled, normalised
from harness.live_server import stored_responses
from survey.engine import check_stored, visible_questions

LONG = os.environ.get("SURVEY_RELIABILITY_LONG", "").lower() in {"1", "true", "yes"}
RESIDENTS = 240 if LONG else 24
THREADS = 32 if LONG else 8


# A worker killed mid-response cuts the body short (ChunkedEncodingError): also a lost connection.
LOST_CONNECTION = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


@dataclass
class Outcome:
    """What happened to each simulated resident."""

    confirmed: list[HttpResident] = field(default_factory=list)
    interrupted: list[tuple[HttpResident, str]] = field(default_factory=list)
    errors: list[tuple[HttpResident, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, resident: HttpResident, error: BaseException | None) -> None:
        """File one resident under confirmed, interrupted (connection lost) or error (anything else)."""
        with self.lock:
            if error is None:
                self.confirmed.append(resident)
            elif isinstance(error, LOST_CONNECTION):
                self.interrupted.append((resident, f"{type(error).__name__}: {error}"))
            else:
                self.errors.append((resident, f"{type(error).__name__}: {error}"))


def run_residents(
    residents: list[HttpResident],
    journey: Callable[[HttpResident], None],
    threads: int = THREADS,
    outcome: Outcome | None = None,
) -> Outcome:
    """Run every resident's journey on a thread pool (each resident its own cookie jar)."""
    outcome = outcome or Outcome()

    def one(resident: HttpResident) -> None:
        try:
            journey(resident)
        except (JourneyError, requests.RequestException, AssertionError) as error:
            outcome.record(resident, error)
        else:
            outcome.record(resident, None)
        finally:
            resident.http.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, residents))
    return outcome


def complete(resident: HttpResident) -> None:
    """Start, answer every page, send."""
    resident.complete()


def carry_on(resident: HttpResident) -> None:
    """After a crash: come back with the same cookie, carry on from where the server says, send."""
    resident.get(f"/s/{resident.questionnaire_id}/check")
    if resident.path.endswith("/done"):
        return
    if resident.path == f"/s/{resident.questionnaire_id}":  # the start POST itself was lost
        resident.post(f"/s/{resident.questionnaire_id}/start", {})
    resident.walk()
    resident.send()


def torn(response: dict[str, Any]) -> list[str]:
    """Why a stored complete response is not whole (empty when every shown question is answered validly)."""
    q = bundled(str(response.get("questionnaire_id", "safermk-2016")))
    answers = response["answers"]
    problems = []
    for question in visible_questions(q, answers):
        if question.asks:
            problems += [f"{question.id}: {e}" for e in check_stored(question, answers.get(question.id))]
    hidden = set(answers) - {x.id for x in visible_questions(q, answers)}
    problems += [f"{qid}: answered but hidden" for qid in sorted(hidden)]
    return problems


def check_stored_once(database_url: str, confirmed: list[HttpResident]) -> list[str]:
    """Every confirmed journey is stored exactly once, complete, with exactly its answers; nothing torn."""
    rows = stored_responses(database_url)
    by_marker: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_marker.setdefault(str(row["answers"].get("concerns_text")), []).append(row)
    problems = []
    for resident in confirmed:
        found = by_marker.get(resident.marker, [])
        if len(found) != 1:
            problems.append(f"{resident.marker}: stored {len(found)} times")
        elif found[0]["status"] != "complete":
            problems.append(f"{resident.marker}: status {found[0]['status']}")
        elif normalised(found[0]["answers"]) != normalised(resident.answers):
            problems.append(f"{resident.marker}: answers differ {found[0]['answers']} != {resident.answers}")
    for row in rows:
        if row["status"] == "complete" and (why := torn(row)):
            problems.append(f"response {row['id']} is torn: {why}")
    return problems
