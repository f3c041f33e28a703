"""SQLModel tables of paper forms at volume: batch and date of each keyed form, blind second entries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class PaperForm(SQLModel, table=True):
    """A keyed paper (or phone, assisted) form: its batch, form number and received date, and the marks
    for questions left blank or with more than one box ticked (kept apart from the answers: missing, with a
    reason)."""

    __tablename__ = "paper_forms"
    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "batch", "form_number", name="uq_paper_forms_batch_form"),
    )

    response_id: int = Field(
        sa_column=sa.Column(sa.Integer(), sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True)
    )
    questionnaire_id: str = Field(max_length=64, index=True)
    batch: str = Field(max_length=40)
    form_number: str = Field(max_length=40)
    received_on: date
    marks: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False))
    keyed_by: str = Field(max_length=254)
    keyed_at: datetime
    verified_at: datetime | None = Field(default=None)
    verified_by: str | None = Field(default=None, max_length=254)


class PaperSecondEntry(SQLModel, table=True):
    """The blind second keying of a paper form: its answers and marks, compared with the first entry."""

    __tablename__ = "paper_second_entries"

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(
        sa_column=sa.Column(
            sa.Integer(),
            sa.ForeignKey("paper_forms.response_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False))
    marks: dict[str, Any] = Field(default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False))
    keyed_by: str = Field(max_length=254)
    keyed_at: datetime
    resolved_at: datetime | None = Field(default=None)
