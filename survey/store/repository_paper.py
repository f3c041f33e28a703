"""Queries and commits for responses keyed in by staff (paper forms, phone calls, assisted)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from survey.store.models import Response
from survey.store.models_paper import PaperForm, PaperSecondEntry
from survey.store.repository_moderation import excluded_ids_query

KEYED_MODES = ("paper", "phone", "assisted")


def discard_keyed_response(*, session: Session, response_id: int) -> bool:
    """Delete an unfinished staff-keyed response (never an online or a sent one); True if one went."""
    result = session.execute(
        delete(Response)
        .where(
            col(Response.id) == response_id,
            col(Response.status) == "in_progress",
            col(Response.mode).in_(KEYED_MODES),
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


# -- paper at volume: batches, marks and double entry ------------------------------------------------


def paper_form(*, session: Session, questionnaire_id: str, batch: str, form_number: str) -> PaperForm | None:
    """The first entry of one form of a batch, if it has been keyed."""
    statement = select(PaperForm).where(
        col(PaperForm.questionnaire_id) == questionnaire_id,
        col(PaperForm.batch) == batch,
        col(PaperForm.form_number) == form_number,
    )
    return session.exec(statement).first()


def add_paper_form(*, session: Session, row: PaperForm) -> None:
    """Store a first entry's batch, form number, received date and marks."""
    session.add(row)
    session.commit()


def open_second_entry(*, session: Session, response_id: int) -> PaperSecondEntry | None:
    """The second entry of a form still waiting for its differences to be resolved, if any."""
    statement = select(PaperSecondEntry).where(
        col(PaperSecondEntry.response_id) == response_id, col(PaperSecondEntry.resolved_at).is_(None)
    )
    return session.exec(statement).first()


def add_second_entry(*, session: Session, entry: PaperSecondEntry, discard_response_id: int) -> None:
    """Store a blind second entry and drop the in-progress response it was keyed through (one commit)."""
    session.add(entry)
    session.execute(
        delete(Response)
        .where(
            col(Response.id) == discard_response_id,
            col(Response.status) == "in_progress",
            col(Response.mode).in_(KEYED_MODES),
        )
        .execution_options(synchronize_session=False)
    )
    session.commit()


def waiting_for_resolution(
    *, session: Session, questionnaire_id: str
) -> list[tuple[PaperSecondEntry, PaperForm, Response]]:
    """Second entries whose differences are not resolved yet, oldest first, with the first entry."""
    statement = (
        select(PaperSecondEntry, PaperForm, Response)
        .join(PaperForm, col(PaperForm.response_id) == col(PaperSecondEntry.response_id))
        .join(Response, col(Response.id) == col(PaperForm.response_id))
        .where(
            col(PaperForm.questionnaire_id) == questionnaire_id, col(PaperSecondEntry.resolved_at).is_(None)
        )
        .order_by(col(PaperSecondEntry.id))
    )
    return [(entry, form, response) for entry, form, response in session.exec(statement)]


def second_entry(*, session: Session, entry_id: int) -> tuple[PaperSecondEntry, PaperForm, Response] | None:
    """One second entry with its form and first-entry response."""
    statement = (
        select(PaperSecondEntry, PaperForm, Response)
        .join(PaperForm, col(PaperForm.response_id) == col(PaperSecondEntry.response_id))
        .join(Response, col(Response.id) == col(PaperForm.response_id))
        .where(col(PaperSecondEntry.id) == entry_id)
    )
    found = session.exec(statement).first()
    return (found[0], found[1], found[2]) if found else None


def resolve(
    *,
    session: Session,
    entry: PaperSecondEntry,
    form: PaperForm,
    response: Response,
    answers: dict[str, Any],
    marks: dict[str, Any],
    by: str,
    now: datetime,
) -> None:
    """Keep the resolved answers and marks on the stored response; the form counts as verified."""
    response.answers = answers
    form.marks = marks
    form.verified_at, form.verified_by = now, by
    entry.resolved_at = now
    session.add_all([response, form, entry])
    session.commit()


def awaiting_second_entry(*, session: Session, questionnaire_id: str) -> list[PaperForm]:
    """Keyed forms with no second entry yet (not verified, none waiting to be resolved), by batch and form."""
    entered = select(PaperSecondEntry.response_id)
    statement = (
        select(PaperForm)
        .where(
            col(PaperForm.questionnaire_id) == questionnaire_id,
            col(PaperForm.verified_at).is_(None),
            col(PaperForm.response_id).not_in(entered),
        )
        .order_by(col(PaperForm.batch), col(PaperForm.form_number))
    )
    return list(session.exec(statement))


def paper_counts(*, session: Session, questionnaire_id: str) -> dict[str, int]:
    """Keyed forms (first entries), verified ones (second entry agreed or resolved), those waiting, and
    keyed forms whose response moderation left out (`excluded`)."""
    keyed = session.exec(
        select(func.count()).select_from(PaperForm).where(col(PaperForm.questionnaire_id) == questionnaire_id)
    ).one()
    verified = session.exec(
        select(func.count())
        .select_from(PaperForm)
        .where(col(PaperForm.questionnaire_id) == questionnaire_id, col(PaperForm.verified_at).is_not(None))
    ).one()
    left_out = session.exec(
        select(func.count())
        .select_from(PaperForm)
        .where(
            col(PaperForm.questionnaire_id) == questionnaire_id,
            col(PaperForm.response_id).in_(excluded_ids_query(questionnaire_id)),
        )
    ).one()
    return {
        "keyed": int(keyed),
        "verified": int(verified),
        "waiting": len(waiting_for_resolution(session=session, questionnaire_id=questionnaire_id)),
        "excluded": int(left_out),
    }


def missing_reasons(*, session: Session, questionnaire_id: str) -> dict[int, dict[str, Any]]:
    """{response id: {question id: "blank" | "multiple" | {item id: mark}}} of forms with marks."""
    statement = select(PaperForm.response_id, PaperForm.marks).where(
        col(PaperForm.questionnaire_id) == questionnaire_id
    )
    return {int(rid): dict(marks) for rid, marks in session.exec(statement) if marks}


def response_of_form(*, session: Session, response_id: int) -> Response | None:
    """The stored response of a keyed form (its first entry)."""
    return session.get(Response, response_id)


def delete_second_entries(*, session: Session, questionnaire_id: str) -> int:
    """Delete the blind second entries of a questionnaire's paper forms (not committed: retention commits)."""
    forms = select(PaperForm.response_id).where(col(PaperForm.questionnaire_id) == questionnaire_id)
    result = session.execute(
        delete(PaperSecondEntry)
        .where(col(PaperSecondEntry.response_id).in_(forms))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
