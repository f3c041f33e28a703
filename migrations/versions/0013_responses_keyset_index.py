"""Responses are indexed by questionnaire and id together: the chunked report read is one index range scan

Revision ID: 0013_responses_keyset_index
Revises: 0012_job_recoveries
Create Date: 2026-12-03

Reports and exports read a questionnaire's responses in chunks (`WHERE questionnaire_id = ? AND id > ?
ORDER BY id LIMIT n`, survey/store/repository_stream.py). Where several consultations share the table, the
index on (questionnaire_id, id) reads each chunk of a smaller one as one range in order, where Postgres
otherwise walked the primary key past the larger ones' rows or fetched and sorted every matching row per
chunk. It serves every lookup the index on questionnaire_id did (it is its prefix), so that one goes.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_responses_keyset_index"
down_revision: str | None = "0012_job_recoveries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index("ix_responses_questionnaire_id_id", ["questionnaire_id", "id"], unique=False)
        batch_op.drop_index("ix_responses_questionnaire_id")


def downgrade() -> None:
    with op.batch_alter_table("responses", schema=None) as batch_op:
        batch_op.create_index("ix_responses_questionnaire_id", ["questionnaire_id"], unique=False)
        batch_op.drop_index("ix_responses_questionnaire_id_id")
