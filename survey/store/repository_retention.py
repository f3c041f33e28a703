"""Retention's queries on what else holds residents' answers: hand-coded themes, stored report snapshots."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from survey.store.models_reports import ReportSnapshot
from survey.store.models_results import PublishedReport
from survey.store.models_themes import ManualCode


def _codes_where(questionnaire_id: str, question_ids: Collection[str] | None) -> list[Any]:
    where: list[Any] = [col(ManualCode.questionnaire_id) == questionnaire_id]
    if question_ids is not None:
        where.append(col(ManualCode.question_id).in_(sorted(question_ids)))
    return where


def count_manual_codes(
    *, session: Session, questionnaire_id: str, question_ids: Collection[str] | None
) -> int:
    """How many hand-coded answers a questionnaire has (to these questions; None: to any)."""
    where = _codes_where(questionnaire_id, question_ids)
    statement = select(func.count()).select_from(ManualCode).where(*where)
    return int(session.exec(statement).one())


def delete_manual_codes(
    *, session: Session, questionnaire_id: str, question_ids: Collection[str] | None
) -> int:
    """Delete hand-coded themes (to these questions; None: all) of a questionnaire; the caller commits."""
    if question_ids is not None and not question_ids:
        return 0
    result = session.execute(delete(ManualCode).where(*_codes_where(questionnaire_id, question_ids)))
    return int(getattr(result, "rowcount", 0) or 0)


def _snapshots_where(questionnaire_id: str, made_before: datetime | None) -> list[Any]:
    where: list[Any] = [col(ReportSnapshot.questionnaire_id) == questionnaire_id]
    if made_before is not None:
        where.append(col(ReportSnapshot.created_at) < made_before)
    return where


def count_snapshots(*, session: Session, questionnaire_id: str, made_before: datetime | None) -> int:
    """How many stored reports of a questionnaire there are (made before `made_before`; None: all)."""
    statement = (
        select(func.count())
        .select_from(ReportSnapshot)
        .where(*_snapshots_where(questionnaire_id, made_before))
    )
    return int(session.exec(statement).one())


def count_published_snapshots(
    *, session: Session, questionnaire_id: str, made_before: datetime | None
) -> int:
    """How many of those stored reports are published on the public results page."""
    statement = (
        select(func.count())
        .select_from(ReportSnapshot)
        .where(
            *_snapshots_where(questionnaire_id, made_before),
            col(ReportSnapshot.id).in_(select(PublishedReport.snapshot_id)),
        )
    )
    return int(session.exec(statement).one())


def delete_snapshots(*, session: Session, questionnaire_id: str, made_before: datetime | None) -> int:
    """Delete a questionnaire's stored reports made before `made_before` (None: all); the caller commits."""
    result = session.execute(delete(ReportSnapshot).where(*_snapshots_where(questionnaire_id, made_before)))
    return int(getattr(result, "rowcount", 0) or 0)
