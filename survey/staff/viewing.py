"""Every staff view of individual residents' answers is in the audit trail: who, which page, which responses.

One `responses.view` event per page shown (hand-coding pages, coding suggestions, theme quotes and
suggested themes, a keyed response's check page, moderation's page of one response, and the two entries of
a paper form whose double entry differs), with the response ids whose answers the page shows (quotes are
matched back to their answers; a quote is the answer redacted).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from analysis.text import redact
from survey.staff import audit

ID_LIMIT = 500  # ids listed per event (a page shows far fewer)


def record_view(page: str, *, questionnaire: str, question: str | None, response_ids: Iterable[int]) -> None:
    """Record that the signed-in member of staff was shown these responses' answers on `page`."""
    ids = sorted({int(r) for r in response_ids})
    audit.record(
        "responses.view",
        questionnaire=questionnaire,
        page=page,
        question=question,
        responses=ids[:ID_LIMIT],
        count=len(ids),
    )


def quoted_ids(answers: Sequence[tuple[int, str]], quotes: Collection[str]) -> list[int]:
    """The responses whose answers appear (redacted) among `quotes`."""
    wanted = set(quotes)
    if not wanted:
        return []
    return [rid for rid, text in answers if redact(" ".join(text.split())) in wanted]
