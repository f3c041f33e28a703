"""A stored questionnaire version as every face uses it: its loaded definition and the dates that apply.

One rule each: the definition is loaded once per process per (id, version) — a stored version never changes
(`survey init-db` and the publish page refuse to rewrite one) — and a date staff set overrides the
definition's.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, Protocol

from flask import current_app

from survey.engine import Questionnaire
from survey.engine.loader import build
from survey.store import repository
from survey.store.db import Session

CACHE_KEY = "survey_questionnaires"


class StoredVersion(Protocol):
    """What the rules need of a stored version: a `QuestionnaireVersion` row or a `VersionHead`."""

    @property
    def questionnaire_id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def opens_override(self) -> date | None: ...
    @property
    def closes_override(self) -> date | None: ...


def definition(row: StoredVersion, *, session: Session | None = None) -> Questionnaire | None:
    """The loaded questionnaire of a stored version (cached per id and version in this process).

    A row without its `definition` column (a `VersionHead`) has it read once through `session`; None when
    the version is not stored.
    """
    cache: dict[tuple[str, str], Questionnaire] = current_app.extensions.setdefault(CACHE_KEY, {})
    key = (row.questionnaire_id, row.version)
    if key not in cache:
        stored: dict[str, Any] | None = getattr(row, "definition", None)
        if stored is None and session is not None:
            stored = repository.questionnaire_definition(
                session=session, questionnaire_id=row.questionnaire_id, version=row.version
            )
        if stored is None:
            return None
        cache[key] = build(stored, f"{row.questionnaire_id}@{row.version}")  # validated when it was stored
    return cache[key]


def opening_date(row: StoredVersion, q: Questionnaire) -> date | None:
    """The opening date staff set, else the definition's."""
    return row.opens_override or q.opens


def closing_date(row: StoredVersion, q: Questionnaire) -> date | None:
    """The closing date staff set, else the definition's."""
    return row.closes_override or q.closes


State = Literal["not_yet", "open", "closed"]


def state(row: StoredVersion, q: Questionnaire, day: date) -> State:
    """Whether residents can answer on `day`: not yet (before the opening date), open, or closed (after the
    closing date); both dates inclusive, each a staff override else the definition's."""
    opens, closes = opening_date(row, q), closing_date(row, q)
    if opens is not None and day < opens:
        return "not_yet"
    if closes is not None and day > closes:
        return "closed"
    return "open"


def is_open(row: StoredVersion, q: Questionnaire, day: date) -> bool:
    """True while residents can answer on `day`."""
    return state(row, q, day) == "open"
