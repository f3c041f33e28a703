"""Write demo responses through the repository functions that real journeys use."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlmodel import Session

from survey import repository
from survey.demo import DemoResponse


def store(
    session: Session,
    questionnaire_id: str,
    version: str,
    responses: Iterable[DemoResponse],
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Start, answer page by page and (when complete) submit each response; returns (complete, incomplete)."""
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
        so_far: dict[str, object] = {}
        for position, page in enumerate(demo.visited):
            if page in demo.answers:
                so_far[page] = demo.answers[page]
            repository.save_answer(
                session=session,
                response=response,
                question_id=page,
                answers=so_far,
                visited=demo.visited[: position + 1],
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
