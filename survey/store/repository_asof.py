"""The "as of" rule, in one place: which responses a report made as of a date counts, and how each stands.

A report as of `as_of` counts the responses started by the end of that day; one is complete only if it was
completed by then (else it counts as in progress, without completion date or duration); responses staff
excluded (survey/store/repository_moderation.py) are left out; keyed paper forms' marks ride along as
`missing_reasons`. Without `as_of`: every response, each as it stands now.

`report_statement` says which rows and in what order, `report_rows` what each becomes. Their users:
`repository.responses_for_report` (one read), `repository_stream.iter_responses_for_report` (in chunks, for
the report and export jobs) and `repository_dashboard.responses_for_dashboard` (`as_of=None`, no
`missing_reasons`). tests/integration/test_report_reads_agree.py checks the three give the same rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy import select as core_select
from sqlmodel import col

from survey.store.models import Response
from survey.store.repository_moderation import excluded_ids_query

SHARED_TEXT = 64  # strings up to this long (keys, codes, dates as text, short answers) are shared across rows
COLUMNS: tuple[Any, ...] = (
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


def report_statement(questionnaire_id: str, as_of: date | None) -> Select[Any]:
    """The plain columns (`COLUMNS`) of the responses a report as of `as_of` counts, in id order: the
    questionnaire's, started by `as_of` (all without it), staff's exclusions left out."""
    statement = core_select(*COLUMNS).where(
        col(Response.questionnaire_id) == questionnaire_id,
        col(Response.id).not_in(excluded_ids_query(questionnaire_id)),  # staff's exclusions left out
    )
    if as_of is not None:
        statement = statement.where(col(Response.started_on) <= as_of)
    return statement.order_by(col(Response.id))


def complete_by(questionnaire_id: str, as_of: date | None) -> tuple[ColumnElement[bool], ...]:
    """WHERE clauses of the responses complete by the end of `as_of` (every complete one without it), staff's
    exclusions left out: those `report_rows` reports as complete (`count_complete`, partner releases)."""
    clauses = (
        col(Response.questionnaire_id) == questionnaire_id,
        col(Response.status) == "complete",
        col(Response.id).not_in(excluded_ids_query(questionnaire_id)),
    )
    return clauses if as_of is None else (*clauses, col(Response.completed_on) <= as_of)


def report_rows(
    rows: Iterable[Sequence[Any]],
    *,
    as_of: date | None,
    reasons: Mapping[int, dict[str, Any]],
    pool: dict[Any, Any] | None,
) -> list[dict[str, Any]]:
    """The report dicts of rows of `report_statement`: complete only if completed by `as_of` (else in
    progress, without completed_on and duration), paper forms' `missing_reasons` where `reasons` has the id.

    Equal versions, codes, dates and short strings are one object across rows (`pool`, see `shared_answers`);
    with `pool=None` (the dashboard: quicker, and it keeps nothing) each row's answers are a plain copy.
    One call per chunk, the loop inside: nothing is added per row.
    """
    if pool is None:
        pool, answers_of = {}, _copied_answers
    else:
        answers_of = shared_answers
    share = pool.setdefault
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
                "answers": answers_of(answers, pool),
                **({"missing_reasons": reasons[rid]} if rid in reasons else {}),
            }
        )
    return out


def _copied_answers(answers: dict[str, Any], pool: dict[Any, Any]) -> dict[str, Any]:
    """A plain copy (the dashboard's: a JSON null reads as no answers, as it always did there)."""
    return dict(answers or {})


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
