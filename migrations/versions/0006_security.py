"""Hardening: server-side staff sessions, residents' receipt codes; resume codes become keyed hashes.

Resume codes were stored as plain SHA-256 of the questionnaire id and code; they are now HMACs with the
server's secret key. Existing hashes cannot be converted (the codes themselves were never stored), so they
are cleared: codes handed out before this upgrade stop working, and residents start again (docs/security.md).

Revision ID: 0006_security
Revises: 0005_themes
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_security"
down_revision: str | None = "0005_themes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"]),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index(op.f("ix_staff_sessions_staff_id"), "staff_sessions", ["staff_id"], unique=False)
    with op.batch_alter_table("responses") as batch:
        batch.add_column(sa.Column("receipt_code_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("receipt_expires_on", sa.Date(), nullable=True))
        batch.create_unique_constraint("uq_responses_receipt_code_hash", ["receipt_code_hash"])
    op.execute("UPDATE responses SET resume_code_hash = NULL, resume_expires_on = NULL")
    op.execute("DELETE FROM resume_attempts")


def downgrade() -> None:
    with op.batch_alter_table("responses") as batch:
        batch.drop_constraint("uq_responses_receipt_code_hash", type_="unique")
        batch.drop_column("receipt_expires_on")
        batch.drop_column("receipt_code_hash")
    op.drop_index(op.f("ix_staff_sessions_staff_id"), table_name="staff_sessions")
    op.drop_table("staff_sessions")
