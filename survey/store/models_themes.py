"""Tables of the staff theme work: codebook versions, analysts' hand coding, and decisions on suggestions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

DECISIONS = ("accepted", "rejected", "renamed", "merged")


class CodebookVersion(SQLModel, table=True):
    """One saved version of a questionnaire's codebook (the newest row is the one in use)."""

    __tablename__ = "codebook_versions"
    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "version", name="uq_codebook_versions_questionnaire_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    version: str = Field(max_length=32)
    definition: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    created_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    created_by: str = Field(max_length=254)
    note: str = Field(default="", max_length=500)


class ManualCode(SQLModel, table=True):
    """An analyst's themes for one response's answer to one free-text question (empty: no theme applies)."""

    __tablename__ = "manual_codes"
    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "question_id", "response_id", name="uq_manual_codes_answer"),
    )

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    question_id: str = Field(max_length=64)
    # No foreign key: retention may delete a response; its codes then simply match no answer.
    response_id: int
    theme_ids: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON(), nullable=False))
    coded_by: str = Field(max_length=254)
    coded_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))


class SuggestionDecision(SQLModel, table=True):
    """What an analyst decided about an emerging-theme suggestion (keyed by its default label)."""

    __tablename__ = "theme_suggestion_decisions"
    __table_args__ = (
        sa.UniqueConstraint(
            "questionnaire_id", "question_id", "suggestion_key", name="uq_theme_suggestion_decisions_key"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    question_id: str = Field(max_length=64)
    suggestion_key: str = Field(max_length=200)
    decision: str = Field(max_length=16)
    label: str = Field(default="", max_length=200)
    merged_into: str = Field(default="", max_length=200)
    decided_by: str = Field(max_length=254)
    decided_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
