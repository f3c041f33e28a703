"""A partner's live channel page, made safe against differencing: it moves only at release points.

`partner_page` takes the questionnaire's responses (dicts with channel, status, started_on, completed_on
and whatever `profile` needs) and returns what the page may show for one channel on `today`: the figures
as of the channel's last release point (each at least `threshold` new complete responses after the one
before, or a date staff published), the steps between release points instead of per-day counts, and the
channel's groups (sex, age, ward ...) as of that point with small counts hidden and audited.

Only whole days count: a release point is never today. Responses carry a completion date, not a time, so
a point on today would take in every later response of the same day one by one (the 11th, 12th ... of
the day would each move the page). Partners' figures are therefore "up to the end of yesterday".
`released` is the same rule for any protected output (the partner view of the groups still needed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from analysis.dashboard import GroupCount, channel_profile, is_screened_out
from analysis.disclosure.release import release_points, steps
from analysis.representativeness import RepresentativenessTable

Response = Mapping[str, Any]


@dataclass(frozen=True)
class PartnerPage:
    """What a partner may see of its channel today."""

    release: date | None  # None: fewer than the threshold so far, nothing but that fact is shown
    started: int | None  # journeys started up to the release point
    completed: int  # complete responses up to the release point (0 before the first one)
    steps: tuple[tuple[date, int], ...]  # (release point, complete responses since the one before)
    groups: dict[str, tuple[GroupCount, ...]]
    threshold: int
    # journeys started up to the release point that a screen-out page ended (the survey was not for them;
    # marked `screened_out` by the service); None: hidden, fewer than the threshold
    screened_out: int | None = None


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def completed_before(responses: Sequence[Response], today: date) -> list[tuple[Response, date]]:
    """(response, completion date) of the complete responses finished before `today` (whole days only)."""
    return [
        (r, d)
        for r in responses
        if r.get("status") == "complete" and (d := _day(r.get("completed_on"))) is not None and d < today
    ]


def released(
    responses: Sequence[Response], *, today: date, threshold: int, published: Sequence[date] = ()
) -> tuple[date | None, list[Response]]:
    """(last release point before `today`, the complete responses up to it): what a protected output
    made on `today` may be built from (None and nothing before `threshold` responses have completed)."""
    done = completed_before(responses, today)
    points = release_points([d for _, d in done], today - timedelta(days=1), threshold, published)
    if not points:
        return None, []
    return points[-1], [r for r, d in done if d <= points[-1]]


def partner_page(
    responses: Sequence[Response],
    channel: str,
    *,
    today: date,
    threshold: int = 10,
    published: Sequence[date] = (),
    profile: Callable[[Sequence[Response]], RepresentativenessTable | None] | None = None,
) -> PartnerPage:
    """The channel's page as of its last release point before `today` (see the module docstring)."""
    mine = [r for r in responses if r.get("channel") == channel]
    done = completed_before(mine, today)
    completions = [d for _, d in done]
    points = release_points(completions, today - timedelta(days=1), threshold, published)
    if not points:
        return PartnerPage(None, None, 0, (), {}, threshold)
    point = points[-1]
    visible = [r for r, d in done if d <= point]
    began = [r for r in mine if (s := _day(r.get("started_on"))) is not None and s <= point]
    screened = sum(1 for r in began if is_screened_out(r))
    groups: dict[str, tuple[GroupCount, ...]] = {}
    if profile is not None and visible:
        table = profile(visible)
        if table is not None:
            groups = channel_profile(table, [channel], min_cell=threshold)[channel]
    return PartnerPage(
        point,
        len(began),
        len(visible),
        tuple(steps(completions, points)),
        groups,
        threshold,
        screened if screened >= threshold else None,
    )
