"""SQLModel tables of accounts made on the web: one-time invitations, two-factor secrets, recovery codes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class StaffInvite(SQLModel, table=True):
    """A one-time link for a new (or reset) account: only a hash of its token is stored."""

    __tablename__ = "staff_invites"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(
        sa_column=sa.Column(
            sa.Integer(), sa.ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    token_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=16)  # invite | reset
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = Field(default=None)
    created_by: str = Field(max_length=254)


class StaffTwoFactor(SQLModel, table=True):
    """A member of staff's TOTP secret; confirmed once they have typed a first correct code."""

    __tablename__ = "staff_two_factor"

    staff_id: int = Field(
        sa_column=sa.Column(
            sa.Integer(), sa.ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True
        )
    )
    secret: str = Field(max_length=64)
    confirmed_at: datetime | None = Field(default=None)
    # The last time step a code was accepted for: the same code cannot be used twice.
    last_step: int = Field(default=0)


class StaffRecoveryCode(SQLModel, table=True):
    """One single-use recovery code (hashed with argon2, like passwords) for signing in without the app."""

    __tablename__ = "staff_recovery_codes"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(
        sa_column=sa.Column(
            sa.Integer(), sa.ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    code_hash: str = Field(max_length=255)
    used_at: datetime | None = Field(default=None)
