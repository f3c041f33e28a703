"""Queries and commits for partner channels (views never build select()s)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from survey.store.models import Response
from survey.store.models_channels import Channel
from survey.store.repository_moderation import every_excluded_id_query

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to read off a poster
CODE_LENGTH = 6
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$")


class ChannelCodeTaken(ValueError):
    """Another channel already uses this code."""


def normalise_code(code: str) -> str:
    """Codes are case-insensitive: stored and looked up in lower case."""
    return code.strip().lower()


def new_code() -> str:
    """A random short code from an alphabet without look-alike characters."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def create_channel(
    *,
    session: Session,
    questionnaire_id: str,
    partner_name: str,
    medium: str,
    label: str,
    created_by: str,
    created_at: datetime,
    code: str | None = None,
) -> Channel:
    """Store a new channel; a chosen code that is taken raises ChannelCodeTaken, a random one is retried."""
    for _ in range(5):
        channel = Channel(
            code=normalise_code(code) if code else new_code(),
            questionnaire_id=questionnaire_id,
            partner_name=partner_name,
            medium=medium,
            label=label,
            created_by=created_by,
            created_at=created_at,
            active=True,
        )
        session.add(channel)
        try:
            session.commit()
            return channel
        except IntegrityError:
            session.rollback()
            if code:
                raise ChannelCodeTaken(normalise_code(code)) from None
    raise ChannelCodeTaken("no free random code after 5 attempts")


def channel_by_code(*, session: Session, code: str) -> Channel | None:
    """The channel with this code (any case), active or not."""
    return session.exec(select(Channel).where(Channel.code == normalise_code(code))).first()


def active_channel_code(*, session: Session, questionnaire_id: str, code: str) -> str | None:
    """The stored (lower-case) code when `code` is an active channel of this questionnaire, else None."""
    statement = select(Channel.code).where(
        Channel.code == normalise_code(code),
        Channel.questionnaire_id == questionnaire_id,
        col(Channel.active),
    )
    found = session.exec(statement).first()
    return str(found) if found is not None else None


def list_channels(
    *, session: Session, questionnaire_id: str | None = None, partner_name: str | None = None
) -> list[Channel]:
    """Channels, optionally of one questionnaire and/or one partner, by partner then label."""
    statement = select(Channel)
    if questionnaire_id is not None:
        statement = statement.where(Channel.questionnaire_id == questionnaire_id)
    if partner_name is not None:
        statement = statement.where(Channel.partner_name == partner_name)
    statement = statement.order_by(col(Channel.partner_name), col(Channel.label), col(Channel.code))
    return list(session.exec(statement))


def partner_names(*, session: Session) -> list[str]:
    """Every partner name used by a channel, sorted."""
    statement = select(col(Channel.partner_name)).distinct().order_by(col(Channel.partner_name))
    return [str(name) for name in session.exec(statement)]


def update_channel(
    *, session: Session, channel: Channel, partner_name: str, medium: str, label: str, active: bool
) -> dict[str, tuple[Any, Any]]:
    """Change a channel's partner, medium, label or status; returns {field: (old, new)} of what changed."""
    changes: dict[str, tuple[Any, Any]] = {}
    for name, value in (
        ("partner_name", partner_name),
        ("medium", medium),
        ("label", label),
        ("active", active),
    ):
        old = getattr(channel, name)
        if old != value:
            changes[name] = (old, value)
            setattr(channel, name, value)
    if changes:
        session.add(channel)
        session.commit()
    return changes


def channel_totals(*, session: Session, codes: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Code -> (journeys started, responses completed) for the given channel codes (all questionnaires);
    responses staff excluded (moderation) are left out, as in every report."""
    if not codes:
        return {}
    statement = (
        select(col(Response.channel), col(Response.status), func.count())
        .where(col(Response.channel).in_(list(codes)), col(Response.id).not_in(every_excluded_id_query()))
        .group_by(col(Response.channel), col(Response.status))
    )
    totals = {code: [0, 0] for code in codes}
    for code, status, count in session.exec(statement):
        if code in totals:
            totals[code][0] += int(count)
            if status == "complete":
                totals[code][1] += int(count)
    return {code: (pair[0], pair[1]) for code, pair in totals.items()}


def channel_activity(*, session: Session, codes: Sequence[str]) -> list[dict[str, Any]]:
    """Dates and status only (never answers) of every response through these channels (excluded ones left
    out): for partners."""
    if not codes:
        return []
    statement = (
        select(
            col(Response.channel), col(Response.status), col(Response.started_on), col(Response.completed_on)
        )
        .where(col(Response.channel).in_(list(codes)), col(Response.id).not_in(every_excluded_id_query()))
        .order_by(col(Response.id))
    )
    return [
        {"channel": code, "status": status, "started_on": started, "completed_on": completed}
        for code, status, started, completed in session.exec(statement)
    ]
