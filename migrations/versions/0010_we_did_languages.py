"""we did updates in other languages: their title and text per language

Revision ID: 0010_we_did_languages
Revises: 0009_consultation
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_we_did_languages"
down_revision: str | None = "0009_consultation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("we_did_updates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("we_did_updates", schema=None) as batch_op:
        batch_op.drop_column("translations")
