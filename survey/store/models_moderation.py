"""SQLModel table of moderation: responses that staff excluded from every report and export, and why."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from survey.engine.catalogue import N_

# Why a response is left out: msgids (N_), translated where they are shown.
EXCLUSION_REASONS = {
    "test": N_("Test response"),
    "spam": N_("Spam or nonsense"),
    "duplicate": N_("Duplicate of another response"),
    "out_of_scope": N_("Not from the population asked"),
    "other": N_("Other reason"),
}


class ResponseExclusion(SQLModel, table=True):
    """A response left out of reports and exports (deleting the row restores it; both are audited)."""

    __tablename__ = "response_exclusions"

    response_id: int = Field(
        sa_column=sa.Column(sa.Integer(), sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    )
    questionnaire_id: str = Field(max_length=64, index=True)
    reason: str = Field(max_length=32)
    note: str = Field(default="", max_length=500)
    excluded_by: str = Field(max_length=254)
    excluded_at: datetime
