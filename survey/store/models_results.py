"""SQLModel tables of public results: which report snapshot is published, and the "we did" updates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class PublishedReport(SQLModel, table=True):
    """A report snapshot that staff published on the public results page (the newest one is shown)."""

    __tablename__ = "published_reports"

    snapshot_id: int = Field(
        sa_column=sa.Column(
            sa.Integer(), sa.ForeignKey("report_snapshots.id", ondelete="CASCADE"), primary_key=True
        )
    )
    questionnaire_id: str = Field(max_length=64, index=True)
    published_at: datetime
    published_by: str = Field(max_length=254)


class WeDidUpdate(SQLModel, table=True):
    """A dated "we did" update written by staff: what was done because of what residents said."""

    __tablename__ = "we_did_updates"

    id: int | None = Field(default=None, primary_key=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    on: date
    title: str = Field(max_length=200)
    body: str = Field(max_length=5000)
    written_by: str = Field(max_length=254)
    written_at: datetime
    # {language code: {"title": ..., "body": ...}}: the update in the questionnaire's other languages
    translations: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False, server_default="{}")
    )

    def in_language(self, lang: str, default: str = "en") -> tuple[str, str, str]:
        """(title, body, the language they are in) for a page in `lang`: its translation when there is
        one, else the text as written (in the questionnaire's `default` language, to be marked lang=...)."""
        found = (self.translations or {}).get(lang) if lang != default else None
        if isinstance(found, dict) and str(found.get("title") or "").strip():
            return str(found["title"]), str(found.get("body") or ""), lang
        return self.title, self.body, default
