"""SQLModel tables of the resident's side: questionnaire versions, responses, resume-code attempts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

MODES = ("online", "paper", "phone", "assisted")
STATUSES = ("in_progress", "complete")


class QuestionnaireVersion(SQLModel, table=True):
    """One loaded version of a questionnaire definition; the current one serves new journeys."""

    __tablename__ = "questionnaires"
    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "version", name="uq_questionnaires_id_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    version: str = Field(max_length=32)
    title: str = Field(max_length=300)
    definition: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
    loaded_on: date
    is_current: bool = Field(default=True)
    # Set by staff (admin settings) to move the dates without editing the definition.
    opens_override: date | None = Field(default=None)
    closes_override: date | None = Field(default=None)


class Response(SQLModel, table=True):
    """One resident's journey: in progress (kept for drop-off analysis) or complete; no IP, agent or time."""

    __tablename__ = "responses"
    # Chunked report reads walk one questionnaire's rows in id order (repository_stream): one range scan.
    __table_args__ = (sa.Index("ix_responses_questionnaire_id_id", "questionnaire_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True)
    questionnaire_id: str = Field(max_length=64)
    questionnaire_version: str = Field(max_length=32)
    channel: str | None = Field(default=None, max_length=64, index=True)
    mode: str = Field(default="online", max_length=16)
    status: str = Field(default="in_progress", max_length=16, index=True)
    language: str = Field(default="en", max_length=16)
    started_on: date
    completed_on: date | None = Field(default=None)
    duration_seconds: int | None = Field(default=None)
    last_question: str | None = Field(default=None, max_length=64)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False))
    visited: list[str] = Field(default_factory=list, sa_column=sa.Column(sa.JSON(), nullable=False))
    resume_code_hash: str | None = Field(default=None, max_length=64, unique=True)
    resume_expires_on: date | None = Field(default=None)
    # The resident's receipt (see what was sent, print it, erase it): a keyed hash, like the resume code.
    receipt_code_hash: str | None = Field(default=None, max_length=64, unique=True)
    receipt_expires_on: date | None = Field(default=None)


class ResumeAttempt(SQLModel, table=True):
    """Resume- and receipt-code attempts in the current window, one counter per key.

    Keys: `c:<keyed hash of the code typed>` (per code), `r:<response id>` (per response a code opened),
    and a keyed hash of the client address (a brake per address). There is no global counter: nobody
    can use up someone else's attempts.
    """

    __tablename__ = "resume_attempts"

    key: str = Field(primary_key=True, max_length=64)
    window_start: datetime
    attempts: int = Field(default=0)
