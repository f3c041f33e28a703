"""SQLModel table of partner channels: tracked short links (with QR codes and posters) into a survey."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

MEDIA = (
    ("poster", "Posters"),
    ("leaflet", "Leaflets or flyers"),
    ("email", "Email"),
    ("social", "Social media"),
    ("website", "Website"),
    ("newsletter", "Newsletter"),
    ("outreach", "Outreach and events"),
    ("other", "Other"),
)


class Channel(SQLModel, table=True):
    """One partner's tracked link into one questionnaire, e.g. "Housing trust A – posters"."""

    __tablename__ = "channels"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    questionnaire_id: str = Field(max_length=64, index=True)
    partner_name: str = Field(max_length=120, index=True)
    medium: str = Field(max_length=32)
    label: str = Field(max_length=200)
    created_by: str = Field(max_length=254)
    created_at: datetime  # aware, UTC
    active: bool = Field(default=True)
