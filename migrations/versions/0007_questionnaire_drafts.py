"""Questionnaire drafts built in the staff builder (never served to residents).

Revision ID: 0007_questionnaire_drafts
Revises: 0006_security
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_questionnaire_drafts"
down_revision: str | None = "0006_security"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "questionnaire_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=80), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.Column("approved_by", sa.String(length=254), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("questionnaire_drafts") as batch:
        batch.create_index("ix_questionnaire_drafts_questionnaire_id", ["questionnaire_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("questionnaire_drafts") as batch:
        batch.drop_index("ix_questionnaire_drafts_questionnaire_id")
    op.drop_table("questionnaire_drafts")
