"""Which unfinished journeys a screen-out page ended: the survey was not for that person.

A resident whose answers lead to a screen-out page ("this survey is for residents of ...") keeps an
in-progress response that can never be sent. Nothing stores that: it is worked out from the stored answers
with the engine (`screened_out`), against the questionnaire's current definition (a screen-out page is part
of the routing, which a new version rarely changes for answers already given). Figures that count unfinished
journeys as drop-outs (the dashboard, channel pages, reports' progress) count these on their own instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

from survey.engine import Questionnaire, screened_out

FLAG = "screened_out"


def has_screen_out(q: Questionnaire) -> bool:
    """Whether the questionnaire has a screen-out page at all (else nothing needs walking)."""
    return any(question.screens_out for question in q.questions)


def is_screened_out(q: Questionnaire, answers: Mapping[str, Any]) -> bool:
    """Whether these answers end the journey on a screen-out page."""
    return screened_out(q, answers) is not None


def mark(q: Questionnaire, rows: Iterable[MutableMapping[str, Any]]) -> None:
    """Set `screened_out: True` on each unfinished response dict (with its `answers`) a screen-out page
    ended; analysis reads the flag (analysis.dashboard.is_screened_out)."""
    if not has_screen_out(q):
        return
    for row in rows:
        if row.get("status") != "complete" and is_screened_out(q, dict(row.get("answers") or {})):
            row[FLAG] = True


def count(q: Questionnaire, unfinished_answers: Iterable[Mapping[str, Any]]) -> int:
    """How many of these unfinished journeys' answers end on a screen-out page."""
    if not has_screen_out(q):
        return 0
    return sum(1 for answers in unfinished_answers if is_screened_out(q, answers))
