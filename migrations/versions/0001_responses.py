"""Questionnaire versions, responses and resume-code attempts.

Revision ID: 0001_responses
Revises:
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_responses"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "questionnaires",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("loaded_on", sa.Date(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("opens_override", sa.Date(), nullable=True),
        sa.Column("closes_override", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("questionnaire_id", "version", name="uq_questionnaires_id_version"),
    )
    with op.batch_alter_table("questionnaires") as batch:
        batch.create_index("ix_questionnaires_questionnaire_id", ["questionnaire_id"], unique=False)

    op.create_table(
        "responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_version", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=True),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("last_question", sa.String(length=64), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("visited", sa.JSON(), nullable=False),
        sa.Column("resume_code_hash", sa.String(length=64), nullable=True),
        sa.Column("resume_expires_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
        sa.UniqueConstraint("resume_code_hash"),
    )
    with op.batch_alter_table("responses") as batch:
        batch.create_index("ix_responses_questionnaire_id", ["questionnaire_id"], unique=False)
        batch.create_index("ix_responses_channel", ["channel"], unique=False)
        batch.create_index("ix_responses_status", ["status"], unique=False)

    op.create_table(
        "resume_attempts",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("resume_attempts")
    with op.batch_alter_table("responses") as batch:
        batch.drop_index("ix_responses_status")
        batch.drop_index("ix_responses_channel")
        batch.drop_index("ix_responses_questionnaire_id")
    op.drop_table("responses")
    with op.batch_alter_table("questionnaires") as batch:
        batch.drop_index("ix_questionnaires_questionnaire_id")
    op.drop_table("questionnaires")
