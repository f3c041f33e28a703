"""Write demo responses through the repository functions that real journeys use (start, save, submit)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time

from survey.services.demo import DemoResponse
from survey.services.demo.targets import CHANNEL_DETAILS
from survey.store import repository, repository_channels
from survey.store.db import Session

CREATED_BY = "survey demo-data"


@dataclass(frozen=True)
class ChannelsMade:
    """What ensure_channels did: codes created, codes already there, codes taken by another survey."""

    created: tuple[str, ...]
    existing: tuple[str, ...]
    elsewhere: tuple[str, ...]


def ensure_channels(
    session: Session, questionnaire_id: str, codes: Iterable[str], created_at: datetime
) -> ChannelsMade:
    """Create the partner channels the demo responses use unless they exist (codes are unique overall)."""
    created: list[str] = []
    existing: list[str] = []
    elsewhere: list[str] = []
    for code in sorted(set(codes)):
        found = repository_channels.channel_by_code(session=session, code=code)
        if found is not None:
            (existing if found.questionnaire_id == questionnaire_id else elsewhere).append(code)
            continue
        partner, medium, label = CHANNEL_DETAILS.get(code, (code, "other", "Demo channel"))
        try:
            repository_channels.create_channel(
                session=session,
                questionnaire_id=questionnaire_id,
                partner_name=partner,
                medium=medium,
                label=label,
                created_by=CREATED_BY,
                created_at=created_at,
                code=code,
            )
        except repository_channels.ChannelCodeTaken:  # made by someone else meanwhile
            existing.append(code)
        else:
            created.append(code)
    return ChannelsMade(tuple(created), tuple(existing), tuple(elsewhere))


def store(
    session: Session,
    questionnaire_id: str,
    version: str,
    responses: Iterable[DemoResponse],
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Start, save the journey and (when complete) submit each response; returns (complete, incomplete)."""
    done = dropped = 0
    for demo in responses:
        response = repository.start_response(
            session=session,
            questionnaire_id=questionnaire_id,
            questionnaire_version=version,
            started_on=demo.started_on,
            language=demo.language,
            channel=demo.channel,
            mode=demo.mode,
        )
        if demo.visited:
            # A resident's journey saves the whole answers, visited pages and last page after every page,
            # each save overwriting the last (repository.save_answer); the demo stores the last save only:
            # the same row, without a commit per page (thirty times fewer writes: demo data for 557
            # responses took 7.8 s on Postgres, most of it waiting for those commits).
            repository.save_answer(
                session=session,
                response=response,
                question_id=demo.visited[-1],
                answers={page: demo.answers[page] for page in demo.visited if page in demo.answers},
                visited=demo.visited,
            )
        if demo.complete and demo.completed_on is not None and response.id is not None:
            repository.submit_response(
                session=session,
                response_id=response.id,
                answers=demo.answers,
                completed_on=demo.completed_on,
                duration_seconds=demo.duration_seconds,
                language=demo.language,
            )
            done += 1
        else:
            dropped += 1
        if progress is not None:
            progress(1)
    return done, dropped


def first_moment(responses: Iterable[DemoResponse]) -> datetime:
    """Midnight UTC of the first demo day (when the demo channels are said to have been made)."""
    first = min((d.started_on for d in responses), default=datetime.now(UTC).date())
    return datetime.combine(first, time.min, tzinfo=UTC)
