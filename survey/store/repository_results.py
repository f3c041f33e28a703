"""Queries and commits of public results: published report snapshots and "we did" updates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete
from sqlalchemy.orm import undefer
from sqlmodel import Session, col, select

from survey.store.models_reports import ReportSnapshot
from survey.store.models_results import PublishedReport, WeDidUpdate
from survey.store.repository_reports import audience_column


def publish(*, session: Session, snapshot: ReportSnapshot, by: str, now: datetime) -> bool:
    """Mark a stored report as published (False when it already was)."""
    if snapshot.id is None or session.get(PublishedReport, snapshot.id) is not None:
        return False
    session.add(
        PublishedReport(
            snapshot_id=snapshot.id,
            questionnaire_id=snapshot.questionnaire_id,
            published_at=now,
            published_by=by,
        )
    )
    session.commit()
    return True


def unpublish(*, session: Session, snapshot_id: int) -> bool:
    """Take a report off the public page (False when it was not published)."""
    result = session.execute(delete(PublishedReport).where(col(PublishedReport.snapshot_id) == snapshot_id))
    session.commit()
    return bool(getattr(result, "rowcount", 0))


def published_ids(*, session: Session, questionnaire_id: str) -> set[int]:
    """The ids of a questionnaire's published report snapshots."""
    statement = select(PublishedReport.snapshot_id).where(
        col(PublishedReport.questionnaire_id) == questionnaire_id
    )
    return {int(i) for i in session.exec(statement)}


def latest_published(
    *, session: Session, questionnaire_id: str
) -> tuple[ReportSnapshot, PublishedReport] | None:
    """The published public-audience report with the latest as-of date (then the latest made), with its
    numbers. Reports of another audience published before publishing required a public one are skipped."""
    statement = (
        select(ReportSnapshot, PublishedReport)
        .join(PublishedReport, col(PublishedReport.snapshot_id) == col(ReportSnapshot.id))
        .where(col(PublishedReport.questionnaire_id) == questionnaire_id, audience_column() == "public")
        .options(undefer(ReportSnapshot.numbers))  # type: ignore[arg-type]
        .order_by(col(ReportSnapshot.as_of).desc(), col(ReportSnapshot.id).desc())
    )
    found = session.exec(statement).first()
    return (found[0], found[1]) if found else None


def questionnaires_with_results(*, session: Session) -> set[str]:
    """Questionnaires that have a published public-audience report."""
    statement = (
        select(PublishedReport.questionnaire_id)
        .join(ReportSnapshot, col(PublishedReport.snapshot_id) == col(ReportSnapshot.id))
        .where(audience_column() == "public")
        .distinct()
    )
    return {str(q) for q in session.exec(statement)}


def we_did(*, session: Session, questionnaire_id: str) -> list[WeDidUpdate]:
    """A questionnaire's "we did" updates, newest first."""
    statement = (
        select(WeDidUpdate)
        .where(col(WeDidUpdate.questionnaire_id) == questionnaire_id)
        .order_by(col(WeDidUpdate.on).desc(), col(WeDidUpdate.id).desc())
    )
    return list(session.exec(statement))


def add_we_did(
    *, session: Session, questionnaire_id: str, on: date, title: str, body: str, by: str, now: datetime
) -> WeDidUpdate:
    """Store a "we did" update."""
    row = WeDidUpdate(
        questionnaire_id=questionnaire_id, on=on, title=title, body=body, written_by=by, written_at=now
    )
    session.add(row)
    session.commit()
    return row


def remove_we_did(*, session: Session, questionnaire_id: str, update_id: int) -> WeDidUpdate | None:
    """Delete a "we did" update of this questionnaire (returns it; None when there was none)."""
    row = session.get(WeDidUpdate, update_id)
    if row is None or row.questionnaire_id != questionnaire_id:
        return None
    session.delete(row)
    session.commit()
    return row


def set_we_did_translations(
    *, session: Session, questionnaire_id: str, update_id: int, translations: dict[str, dict[str, str]]
) -> WeDidUpdate | None:
    """Replace a "we did" update's texts in other languages (None when there is no such update)."""
    row = session.get(WeDidUpdate, update_id)
    if row is None or row.questionnaire_id != questionnaire_id:
        return None
    row.translations = dict(translations)
    session.add(row)
    session.commit()
    return row


def we_did_update(*, session: Session, questionnaire_id: str, update_id: int) -> WeDidUpdate | None:
    """One "we did" update of this questionnaire."""
    row = session.get(WeDidUpdate, update_id)
    return row if row is not None and row.questionnaire_id == questionnaire_id else None
