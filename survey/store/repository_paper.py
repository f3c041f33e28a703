"""Queries and commits for responses keyed in by staff (paper forms, phone calls, assisted)."""
from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col

from survey.store.models import Response

KEYED_MODES = ("paper", "phone", "assisted")


def discard_keyed_response(*, session: Session, response_id: int) -> bool:
    """Delete an unfinished staff-keyed response (never an online or a sent one); True if one went."""
    result = session.execute(
        delete(Response)
        .where(col(Response.id) == response_id, col(Response.status) == "in_progress",
               col(Response.mode).in_(KEYED_MODES))
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)
