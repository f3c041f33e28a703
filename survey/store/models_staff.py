"""SQLModel tables of the staff side: accounts, sign-in throttling, audit trail, questionnaire settings."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

ROLES = ("admin", "analyst", "partner")
RETENTION_POLICIES = ("free_text_and_sensitive", "whole_responses")


def utcnow() -> datetime:
    """The current time, aware, in UTC (SQLModel stores and returns aware UTC datetimes)."""
    return datetime.now(UTC)


class StaffUser(SQLModel, table=True):
    """A member of staff who signs in: admin, analyst or partner (a partner is linked to a partner name)."""

    __tablename__ = "staff_users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    role: str = Field(max_length=16)
    partner_name: str | None = Field(default=None, max_length=120)
    password_hash: str = Field(max_length=255)
    must_change_password: bool = Field(default=True)
    # Raised on password change, reset or disable: every cookie holding an older value is signed out.
    session_epoch: int = Field(default=1)
    disabled: bool = Field(default=False)
    created_at: datetime
    password_changed_at: datetime | None = Field(default=None)
    last_sign_in_at: datetime | None = Field(default=None)


class LoginAttempt(SQLModel, table=True):
    """Failed sign-ins in the current window for one key: a hashed account email or client address."""

    __tablename__ = "staff_login_attempts"

    key: str = Field(primary_key=True, max_length=80)
    window_start: datetime
    failures: int = Field(default=0)
    locked_until: datetime | None = Field(default=None)


class AuditEvent(SQLModel, table=True):
    """One audited action: who (id and email as they were), when (UTC), what, on which questionnaire."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_id: int | None = Field(default=None, index=True)
    actor: str = Field(max_length=254)
    action: str = Field(max_length=64, index=True)
    questionnaire_id: str | None = Field(default=None, max_length=64, index=True)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False))


class QuestionnaireSettings(SQLModel, table=True):
    """Staff settings of a questionnaire that outlive its versions: how long its responses are kept."""

    __tablename__ = "questionnaire_settings"

    questionnaire_id: str = Field(primary_key=True, max_length=64)
    retention_date: date | None = Field(default=None)
    retention_policy: str = Field(default="free_text_and_sensitive", max_length=32)
    retention_applied_on: date | None = Field(default=None)


class StaffSession(SQLModel, table=True):
    """A signed-in staff session, kept on the server: the cookie holds only a random id, stored hashed.

    Deleting the row ends the session at once (sign-out, password change, disabling, "sign out
    everywhere"): a copied cookie then opens nothing.
    """

    __tablename__ = "staff_sessions"

    id_hash: str = Field(primary_key=True, max_length=64)
    staff_id: int = Field(foreign_key="staff_users.id", index=True)
    created_at: datetime
    seen_at: datetime
