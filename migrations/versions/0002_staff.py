"""Staff accounts, sign-in throttling, the audit trail and questionnaire settings (retention).

Revision ID: 0002_staff
Revises: 0001_responses
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_staff"
down_revision: str | None = "0001_responses"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("partner_name", sa.String(length=120), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "staff_login_attempts",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_events") as batch:
        batch.create_index("ix_audit_events_at", ["at"], unique=False)
        batch.create_index("ix_audit_events_actor_id", ["actor_id"], unique=False)
        batch.create_index("ix_audit_events_action", ["action"], unique=False)
        batch.create_index("ix_audit_events_questionnaire_id", ["questionnaire_id"], unique=False)
    op.create_table(
        "questionnaire_settings",
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("retention_date", sa.Date(), nullable=True),
        sa.Column("retention_policy", sa.String(length=32), nullable=False),
        sa.Column("retention_applied_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("questionnaire_id"),
    )


def downgrade() -> None:
    op.drop_table("questionnaire_settings")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_index("ix_audit_events_questionnaire_id")
        batch.drop_index("ix_audit_events_action")
        batch.drop_index("ix_audit_events_actor_id")
        batch.drop_index("ix_audit_events_at")
    op.drop_table("audit_events")
    op.drop_table("staff_login_attempts")
    op.drop_table("staff_users")
