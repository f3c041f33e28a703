"""Report snapshots: every generated interim or final report, its numbers and its file.

Revision ID: 0004_reports
Revises: 0003_channels
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_reports"
down_revision: str | None = "0003_channels"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("questionnaire_version", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("responses", sa.Integer(), nullable=False),
        sa.Column("started", sa.Integer(), nullable=False),
        sa.Column("reference_name", sa.String(length=120), nullable=False),
        sa.Column("reference_version", sa.String(length=64), nullable=False),
        sa.Column("codebook_id", sa.String(length=120), nullable=False),
        sa.Column("codebook_version", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("numbers", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report_snapshots") as batch:
        batch.create_index("ix_report_snapshots_questionnaire_id", ["questionnaire_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_snapshots") as batch:
        batch.drop_index("ix_report_snapshots_questionnaire_id")
    op.drop_table("report_snapshots")
