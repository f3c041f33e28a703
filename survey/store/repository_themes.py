"""Queries and commits for the staff theme work (keyword-only functions taking `session=`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from survey.store.models_themes import DECISIONS, CodebookVersion, ManualCode, SuggestionDecision


class VersionTaken(Exception):
    """Another request stored the same codebook version first (two people saved at once)."""


def _now() -> datetime:
    return datetime.now(UTC)


# -- codebooks ------------------------------------------------------------------------------------------


def latest_codebook(*, session: Session, questionnaire_id: str) -> CodebookVersion | None:
    """The codebook version in use for a questionnaire (the newest saved), or None if staff saved none."""
    statement = (
        select(CodebookVersion)
        .where(CodebookVersion.questionnaire_id == questionnaire_id)
        .order_by(col(CodebookVersion.id).desc())
    )
    return session.exec(statement).first()


def codebook_history(*, session: Session, questionnaire_id: str) -> list[CodebookVersion]:
    """Every saved codebook version of a questionnaire, newest first."""
    statement = (
        select(CodebookVersion)
        .where(CodebookVersion.questionnaire_id == questionnaire_id)
        .order_by(col(CodebookVersion.id).desc())
    )
    return list(session.exec(statement))


def codebook_version(*, session: Session, questionnaire_id: str, version: str) -> CodebookVersion | None:
    """One saved version of a questionnaire's codebook."""
    statement = select(CodebookVersion).where(
        CodebookVersion.questionnaire_id == questionnaire_id, CodebookVersion.version == version
    )
    return session.exec(statement).first()


def save_codebook_version(
    *,
    session: Session,
    questionnaire_id: str,
    definition: Mapping[str, Any],
    created_by: str,
    note: str = "",
) -> CodebookVersion:
    """Store a new codebook version; VersionTaken if that version exists (a concurrent save won)."""
    row = CodebookVersion(
        questionnaire_id=questionnaire_id,
        version=str(definition["version"]),
        definition=dict(definition),
        created_at=_now(),
        created_by=created_by[:254],
        note=note[:500],
    )
    session.add(row)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise VersionTaken(str(definition["version"])) from error
    return row


# -- hand coding -------------------------------------------------------------------------------------------


def manual_codes(*, session: Session, questionnaire_id: str, question_id: str) -> dict[int, list[str]]:
    """Response id -> the theme ids an analyst gave its answer to this question."""
    statement = select(ManualCode).where(
        ManualCode.questionnaire_id == questionnaire_id, ManualCode.question_id == question_id
    )
    return {row.response_id: list(row.theme_ids) for row in session.exec(statement)}


def manual_codes_by_question(*, session: Session, questionnaire_id: str) -> dict[str, dict[int, list[str]]]:
    """Question id -> response id -> the staff's theme ids, for every question of a questionnaire."""
    statement = select(ManualCode).where(ManualCode.questionnaire_id == questionnaire_id)
    out: dict[str, dict[int, list[str]]] = {}
    for row in session.exec(statement):
        out.setdefault(row.question_id, {})[row.response_id] = list(row.theme_ids)
    return out


def set_manual_codes(
    *,
    session: Session,
    questionnaire_id: str,
    question_id: str,
    codes: Mapping[int, Sequence[str] | None],
    coded_by: str,
) -> int:
    """Store (or, for None, remove) the analyst's themes per response id; returns how many rows changed."""
    if not codes:
        return 0
    statement = select(ManualCode).where(
        ManualCode.questionnaire_id == questionnaire_id,
        ManualCode.question_id == question_id,
        col(ManualCode.response_id).in_(list(codes)),
    )
    existing = {row.response_id: row for row in session.exec(statement)}
    changed = 0
    for response_id, themes in codes.items():
        row = existing.get(response_id)
        if themes is None:
            if row is not None:
                session.delete(row)
                changed += 1
            continue
        wanted = sorted(set(themes))
        if row is None:
            session.add(
                ManualCode(
                    questionnaire_id=questionnaire_id,
                    question_id=question_id,
                    response_id=response_id,
                    theme_ids=wanted,
                    coded_by=coded_by[:254],
                    coded_at=_now(),
                )
            )
            changed += 1
        elif sorted(row.theme_ids) != wanted:
            row.theme_ids, row.coded_by, row.coded_at = wanted, coded_by[:254], _now()
            session.add(row)
            changed += 1
    session.commit()
    return changed


# -- decisions on suggestions ------------------------------------------------------------------------------


def suggestion_decisions(
    *, session: Session, questionnaire_id: str, question_id: str
) -> dict[str, SuggestionDecision]:
    """Suggestion key -> what was decided about it."""
    statement = select(SuggestionDecision).where(
        SuggestionDecision.questionnaire_id == questionnaire_id, SuggestionDecision.question_id == question_id
    )
    return {row.suggestion_key: row for row in session.exec(statement)}


def decide_suggestion(
    *,
    session: Session,
    questionnaire_id: str,
    question_id: str,
    suggestion_key: str,
    decision: str,
    decided_by: str,
    label: str = "",
    merged_into: str = "",
) -> SuggestionDecision:
    """Record (or replace) the decision about one suggestion."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}")
    statement = select(SuggestionDecision).where(
        SuggestionDecision.questionnaire_id == questionnaire_id,
        SuggestionDecision.question_id == question_id,
        SuggestionDecision.suggestion_key == suggestion_key,
    )
    row = session.exec(statement).first() or SuggestionDecision(
        questionnaire_id=questionnaire_id,
        question_id=question_id,
        suggestion_key=suggestion_key[:200],
        decision=decision,
        decided_by=decided_by[:254],
        decided_at=_now(),
    )
    row.decision, row.label, row.merged_into = decision, label[:200], merged_into[:200]
    row.decided_by, row.decided_at = decided_by[:254], _now()
    session.add(row)
    session.commit()
    return row


def undo_decision(*, session: Session, questionnaire_id: str, question_id: str, suggestion_key: str) -> bool:
    """Forget the decision about a suggestion (it shows again as new); False if there was none."""
    statement = select(SuggestionDecision).where(
        SuggestionDecision.questionnaire_id == questionnaire_id,
        SuggestionDecision.question_id == question_id,
        SuggestionDecision.suggestion_key == suggestion_key,
    )
    row = session.exec(statement).first()
    if row is None:
        return False
    session.delete(row)
    session.commit()
    return True
