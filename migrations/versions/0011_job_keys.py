"""Jobs made once per key: the partner report of a release point, shared by every process

Revision ID: 0011_job_keys
Revises: 0010_we_did_languages
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_job_keys"
down_revision: str | None = "0010_we_did_languages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dedupe_key", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_jobs_dedupe_key"), ["dedupe_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_dedupe_key"))
        batch_op.drop_column("dedupe_key")
