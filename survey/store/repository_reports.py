"""Queries and commits for report snapshots (keyword-only functions taking `session=`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.orm import defer, undefer
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col, select

from survey.store.models_reports import ReportSnapshot


def save_snapshot(
    *,
    session: Session,
    numbers: dict[str, Any],
    content: bytes,
    fmt: str,
    filename: str,
    created_at: datetime,
    created_by: str,
) -> ReportSnapshot:
    """Store a generated report with the provenance its JSON numbers carry."""
    headline = numbers.get("headline") or {}
    snapshot = ReportSnapshot(
        questionnaire_id=str(numbers["questionnaire_id"]),
        questionnaire_version=", ".join(numbers.get("questionnaire_versions") or [])[:200],
        kind=str(numbers["kind"]),
        as_of=datetime.fromisoformat(str(numbers["as_of"])).date(),
        created_at=created_at,
        created_by=created_by[:254],
        responses=int(headline.get("complete", 0)),
        started=int(headline.get("started", 0)),
        reference_name=str(numbers.get("reference", ""))[:120],
        reference_version=str(numbers.get("reference_version", ""))[:64],
        codebook_id=str(numbers.get("codebook", ""))[:120],
        codebook_version=str(numbers.get("codebook_version", ""))[:64],
        format=fmt,
        filename=filename[:200],
        content=content,
        numbers=numbers,
    )
    session.add(snapshot)
    session.commit()
    return snapshot


def audience_column() -> ColumnElement[str]:
    """A snapshot's audience as SQL: `audience` of its JSON numbers; "internal" for reports made before
    reports had audiences (they were internal ones)."""
    return func.coalesce(col(ReportSnapshot.numbers)["audience"].as_string(), "internal")


def snapshot_audiences(*, session: Session, questionnaire_id: str) -> dict[int, str]:
    """Snapshot id -> the audience it was made for (internal, partner or public), without loading files."""
    statement = select(ReportSnapshot.id, audience_column()).where(
        ReportSnapshot.questionnaire_id == questionnaire_id
    )
    return {int(i): str(a) for i, a in session.exec(statement) if i is not None}


def list_snapshots(*, session: Session, questionnaire_id: str | None = None) -> list[ReportSnapshot]:
    """Stored reports, newest first (their files are not loaded)."""
    statement = select(ReportSnapshot).options(
        defer(ReportSnapshot.content),  # type: ignore[arg-type]
        defer(ReportSnapshot.numbers),  # type: ignore[arg-type]
    )
    if questionnaire_id is not None:
        statement = statement.where(ReportSnapshot.questionnaire_id == questionnaire_id)
    return list(session.exec(statement.order_by(col(ReportSnapshot.id).desc())))


def snapshot_by_id(*, session: Session, snapshot_id: int) -> ReportSnapshot | None:
    """One stored report with its file and numbers (loaded now, even if listed before in this session)."""
    statement = (
        select(ReportSnapshot)
        .where(ReportSnapshot.id == snapshot_id)
        .options(undefer(ReportSnapshot.content), undefer(ReportSnapshot.numbers))  # type: ignore[arg-type]
        .execution_options(populate_existing=True)
    )
    return session.exec(statement).first()


def latest_snapshot(
    *, session: Session, questionnaire_id: str, kind: str = "interim", audience: str | None = None
) -> ReportSnapshot | None:
    """The most recent stored report of a kind (latest as-of date, then latest made); with `audience`,
    the most recent made for that audience."""
    statement = select(ReportSnapshot).where(
        ReportSnapshot.questionnaire_id == questionnaire_id, ReportSnapshot.kind == kind
    )
    if audience is not None:
        statement = statement.where(audience_column() == audience)
    statement = statement.order_by(col(ReportSnapshot.as_of).desc(), col(ReportSnapshot.id).desc())
    return session.exec(statement).first()


def channel_names(*, session: Session, questionnaire_id: str) -> dict[str, str]:
    """Channel code -> "Partner – label", the words a report's reader sees; the code is added in brackets
    only to tell apart two channels that would otherwise read the same (codes are staff's words)."""
    from collections import Counter

    from survey.store import repository_channels

    channels = repository_channels.list_channels(session=session, questionnaire_id=questionnaire_id)
    words = {c.code: f"{c.partner_name} – {c.label}" for c in channels}
    seen = Counter(words.values())
    return {code: name if seen[name] == 1 else f"{name} ({code})" for code, name in words.items()}
