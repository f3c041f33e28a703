"""Staff theme work: codebook versions, hand coding (manual_codes) and decisions on emerging themes.

Revision ID: 0005_themes
Revises: 0004_reports
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_themes"
down_revision: str | None = "0004_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "codebook_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("questionnaire_id", "version", name="uq_codebook_versions_questionnaire_version"),
    )
    with op.batch_alter_table("codebook_versions") as batch:
        batch.create_index("ix_codebook_versions_questionnaire_id", ["questionnaire_id"], unique=False)
    op.create_table(
        "manual_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("theme_ids", sa.JSON(), nullable=False),
        sa.Column("coded_by", sa.String(length=254), nullable=False),
        sa.Column("coded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("questionnaire_id", "question_id", "response_id", name="uq_manual_codes_answer"),
    )
    with op.batch_alter_table("manual_codes") as batch:
        batch.create_index("ix_manual_codes_questionnaire_id", ["questionnaire_id"], unique=False)
    op.create_table(
        "theme_suggestion_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("suggestion_key", sa.String(length=200), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("merged_into", sa.String(length=200), nullable=False),
        sa.Column("decided_by", sa.String(length=254), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "questionnaire_id", "question_id", "suggestion_key", name="uq_theme_suggestion_decisions_key"
        ),
    )
    with op.batch_alter_table("theme_suggestion_decisions") as batch:
        batch.create_index(
            "ix_theme_suggestion_decisions_questionnaire_id", ["questionnaire_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("theme_suggestion_decisions") as batch:
        batch.drop_index("ix_theme_suggestion_decisions_questionnaire_id")
    op.drop_table("theme_suggestion_decisions")
    with op.batch_alter_table("manual_codes") as batch:
        batch.drop_index("ix_manual_codes_questionnaire_id")
    op.drop_table("manual_codes")
    with op.batch_alter_table("codebook_versions") as batch:
        batch.drop_index("ix_codebook_versions_questionnaire_id")
    op.drop_table("codebook_versions")
