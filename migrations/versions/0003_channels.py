"""Partner channels: tracked short links into a questionnaire (QR codes, posters, counts).

Revision ID: 0003_channels
Revises: 0002_staff
Create Date: 2026-11-21
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_channels"
down_revision: str | None = "0002_staff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("questionnaire_id", sa.String(length=64), nullable=False),
        sa.Column("partner_name", sa.String(length=120), nullable=False),
        sa.Column("medium", sa.String(length=32), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("channels") as batch:
        batch.create_index("ix_channels_questionnaire_id", ["questionnaire_id"], unique=False)
        batch.create_index("ix_channels_partner_name", ["partner_name"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.drop_index("ix_channels_partner_name")
        batch.drop_index("ix_channels_questionnaire_id")
    op.drop_table("channels")
