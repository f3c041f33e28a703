"""Stored report snapshots: every generated report with what it was made from, so it can be compared."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class ReportSnapshot(SQLModel, table=True):
    """One generated interim or final report: its numbers (JSON), its file and its provenance."""

    __tablename__ = "report_snapshots"

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    questionnaire_version: str = Field(max_length=200)
    kind: str = Field(max_length=16)
    as_of: date
    created_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    created_by: str = Field(max_length=254)
    responses: int
    started: int
    reference_name: str = Field(max_length=120)
    reference_version: str = Field(max_length=64)
    codebook_id: str = Field(max_length=120)
    codebook_version: str = Field(max_length=64)
    format: str = Field(max_length=8)
    filename: str = Field(max_length=200)
    content: bytes = Field(sa_column=sa.Column(sa.LargeBinary(), nullable=False))
    numbers: dict[str, Any] = Field(sa_column=sa.Column(sa.JSON(), nullable=False))
