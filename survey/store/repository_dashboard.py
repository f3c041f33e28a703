"""The live dashboard's read: every response of a questionnaire as plain dicts, without ORM objects.

The rows of `repository.responses_for_report(as_of=None)` (the rule is `repository_asof`'s) without paper
forms' `missing_reasons`. It selects columns instead of building a `Response` object per row, which makes
the dashboard of a 100,000-response survey several times quicker (bench/dashboard.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from survey.store.models import Response
from survey.store.repository_asof import complete_by, report_rows, report_statement


def responses_for_dashboard(*, session: Session, questionnaire_id: str) -> list[dict[str, Any]]:
    """Every response (complete or not) of a questionnaire, in id order, as analysis/ dicts: the report
    rows of `repository_asof` without `as_of` (excluded left out), without paper forms' `missing_reasons`."""
    rows = session.execute(report_statement(questionnaire_id, None))  # one at a time: no second copy held
    return report_rows(rows, as_of=None, reasons={}, pool=None)


def released_response_ids(*, session: Session, questionnaire_id: str, through: date) -> list[int]:
    """The ids, in order, of the complete responses completed on or before `through` and not left out by
    moderation: the responses a partner output as of the release point `through` is made from (the same
    as `analysis.disclosure.partner_page.released` picks from `responses_for_dashboard`)."""
    statement = (
        select(col(Response.id)).where(*complete_by(questionnaire_id, through)).order_by(col(Response.id))
    )
    return [int(i) for i in session.exec(statement) if i is not None]


def unfinished_answers(*, session: Session, questionnaire_id: str) -> list[dict[str, Any]]:
    """The answers of every unfinished response that answered something (all of them, as the dashboard
    list's grouped counts): to tell which journeys a screen-out page ended (survey/services/screening.py)."""
    statement = select(col(Response.answers)).where(
        col(Response.questionnaire_id) == questionnaire_id,
        col(Response.status) == "in_progress",
        col(Response.last_question).is_not(None),
    )
    return [dict(answers or {}) for answers in session.exec(statement)]
