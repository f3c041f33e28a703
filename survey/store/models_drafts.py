"""Questionnaire drafts: definitions being built by staff in the browser, never served to residents."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class QuestionnaireDraft(SQLModel, table=True):
    """One draft: a whole definition (JSON), who made it and who last changed it, and when.

    Residents never see a draft: the resident face reads only `questionnaire_versions`. Publishing copies
    the definition there (and the draft is then removed).
    """

    __tablename__ = "questionnaire_drafts"

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: str = Field(max_length=80, index=True)
    definition: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    created_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    created_by: str = Field(max_length=254)
    updated_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    updated_by: str = Field(max_length=254)
    approved_by: str | None = Field(default=None, max_length=254)
