"""Queries and commits for questionnaire drafts (keyword-only functions taking `session=`)."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from survey.store.models_drafts import QuestionnaireDraft


def create_draft(
    *, session: Session, definition: dict[str, Any], by: str, at: datetime
) -> QuestionnaireDraft:
    """Store a new draft made by `by`."""
    draft = QuestionnaireDraft(
        questionnaire_id=str(definition.get("id", ""))[:80],
        definition=copy.deepcopy(definition),
        created_at=at,
        created_by=by[:254],
        updated_at=at,
        updated_by=by[:254],
    )
    session.add(draft)
    session.commit()
    return draft


def draft_by_id(*, session: Session, draft_id: int) -> QuestionnaireDraft | None:
    """One draft, or None."""
    return session.get(QuestionnaireDraft, draft_id)


def all_drafts(*, session: Session) -> list[QuestionnaireDraft]:
    """Every draft, the most recently changed first."""
    query = select(QuestionnaireDraft).order_by(col(QuestionnaireDraft.updated_at).desc())
    return list(session.exec(query))


def save_draft(
    *, session: Session, draft: QuestionnaireDraft, definition: dict[str, Any], by: str, at: datetime
) -> QuestionnaireDraft:
    """Replace the draft's definition (a new dict, so the JSON column sees the change); clears approval."""
    draft.definition = copy.deepcopy(definition)
    draft.questionnaire_id = str(definition.get("id", ""))[:80]
    draft.updated_at = at
    draft.updated_by = by[:254]
    draft.approved_by = None
    session.add(draft)
    session.commit()
    return draft


def approve_draft(*, session: Session, draft: QuestionnaireDraft, by: str) -> QuestionnaireDraft:
    """Record the second admin's approval of the draft as it stands."""
    draft.approved_by = by[:254]
    session.add(draft)
    session.commit()
    return draft


def delete_draft(*, session: Session, draft: QuestionnaireDraft) -> None:
    """Remove a draft (after publishing, or when staff discard it)."""
    session.delete(draft)
    session.commit()
