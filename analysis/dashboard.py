"""Live dashboard figures from response dicts: daily counts, projection, completion, drop-off, channels.

A journey a screen-out page ended ("this survey is for residents of ...") is unfinished but not abandoned:
the survey was not for that person. The service marks such dicts `screened_out: True` (it asks the
engine, survey/services/screening.py); they are counted on their own, never as drop-outs, and left out of
the journeys a completion rate is worked out of.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from analysis.representativeness import NO_CHANNEL, RepresentativenessTable
from analysis.suppression import suppress
from survey.engine import Questionnaire

Response = Mapping[str, Any]
MODES = ("online", "paper", "phone", "assisted")
PROFILE_TOPICS = (("age", "Age"), ("sex", "Sex"), ("tenure", "Tenure"), ("area", "Area (ward)"))
NOT_STARTED = ""  # drop-off key of journeys that pressed Start but answered nothing
DEFAULT_WINDOW_DAYS = 14
MIN_CELL = 10


@dataclass(frozen=True)
class DayCount:
    """One day: journeys started, responses completed, and completed responses so far."""

    day: date
    started: int
    completed: int
    cumulative: int


@dataclass(frozen=True)
class Projection:
    """Completed responses expected by the close date if the recent daily rate carries on (linear)."""

    current: int
    rate_per_day: float
    window_days: int  # the recent days the rate was measured over
    days_left: int
    closes: date
    projected: int

    @property
    def basis(self) -> str:
        """How the projection was made, in words."""
        return (
            f"Linear projection: {self.rate_per_day:.1f} completed responses a day (the average of the last "
            f"{self.window_days} day{'s' if self.window_days != 1 else ''}) for the {self.days_left} "
            f"day{'s' if self.days_left != 1 else ''} left until {self.closes:%d %B %Y}."
        )


@dataclass(frozen=True)
class Completion:
    """Journeys started, responses completed, and journeys a screen-out page ended (not for them)."""

    started: int
    completed: int
    screened_out: int = 0

    @property
    def could_finish(self) -> int:
        """Journeys started that the survey was for (started, less those a screen-out page ended)."""
        return self.started - self.screened_out

    @property
    def not_finished(self) -> int:
        """Journeys that stopped before sending, other than those screened out (the drop-outs)."""
        return self.started - self.completed - self.screened_out

    @property
    def rate(self) -> float | None:
        """Completed as a share of the journeys that could finish (None when there are none)."""
        return self.completed / self.could_finish if self.could_finish > 0 else None


@dataclass(frozen=True)
class DropOff:
    """Incomplete journeys whose last answered question was this one."""

    question_id: str  # NOT_STARTED for journeys that answered nothing
    position: int | None  # 1-based place in the questionnaire (None: not in this version)
    text: str
    count: int
    share: float  # of all incomplete journeys


@dataclass(frozen=True)
class ModeCount:
    """Completed responses in one mode."""

    mode: str
    count: int
    share: float


@dataclass(frozen=True)
class ChannelCount:
    """Journeys started and completed through one channel (None: no channel, a direct link)."""

    channel: str | None
    started: int
    completed: int
    screened_out: int = 0


@dataclass(frozen=True)
class GroupCount:
    """Respondents of one group (a category of a dimension)."""

    dimension: str
    category: str
    count: int | None  # None when hidden by small-cell suppression


@dataclass(frozen=True)
class UnderRepresented:
    """An under-represented group, how many more responses it needs and the channels that reach it."""

    dimension: str
    category: str
    respondents: int
    sample_share: float
    population_share: float
    needed: int
    channels: tuple[tuple[str, int], ...]


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def is_complete(response: Response) -> bool:
    """True for a complete response (as responses_for_report marks it)."""
    return response.get("status") == "complete"


def is_screened_out(response: Response) -> bool:
    """True for an unfinished journey a screen-out page ended (marked `screened_out` by the service)."""
    return not is_complete(response) and bool(response.get("screened_out"))


def daily_counts(
    responses: Sequence[Response], *, end: date, start: date | None = None
) -> tuple[DayCount, ...]:
    """Every day from the first start (or `start`) to `end`: started, completed, cumulative completed."""
    started = Counter(d for d in (_day(r.get("started_on")) for r in responses) if d is not None)
    completed = Counter(
        d for d in (_day(r.get("completed_on")) for r in responses if is_complete(r)) if d is not None
    )
    days = [*started, *completed]
    if start is None:
        if not days:
            return ()
        start = min(days)
    before = sum(n for d, n in completed.items() if d < start)
    out: list[DayCount] = []
    day, total = start, before
    while day <= end:
        total += completed[day]
        out.append(DayCount(day, started[day], completed[day], total))
        day += timedelta(days=1)
    return tuple(out)


def project(
    days: Sequence[DayCount], *, today: date, closes: date | None, window: int = DEFAULT_WINDOW_DAYS
) -> Projection | None:
    """Linear projection of completed responses to the close date from the last `window` days' rate."""
    if closes is None or not days:
        return None
    observed = [d for d in days if d.day <= today]
    if not observed:
        return None
    recent = observed[-window:]
    rate = sum(d.completed for d in recent) / len(recent)
    current = observed[-1].cumulative
    days_left = max(0, (closes - today).days)
    return Projection(current, rate, len(recent), days_left, closes, current + round(rate * days_left))


def completion(responses: Sequence[Response]) -> Completion:
    """Journeys started, completed and screened out."""
    return Completion(
        len(responses),
        sum(1 for r in responses if is_complete(r)),
        sum(1 for r in responses if is_screened_out(r)),
    )


def drop_off(responses: Sequence[Response], questions: Sequence[tuple[str, str]]) -> tuple[DropOff, ...]:
    """Incomplete journeys by the last question they answered, in questionnaire order (then unknown ids);
    journeys a screen-out page ended are not drop-outs and are left out."""
    incomplete = [r for r in responses if not is_complete(r) and not is_screened_out(r)]
    counts = Counter(str(r.get("last_question") or NOT_STARTED) for r in incomplete)
    total = len(incomplete)
    out: list[DropOff] = []
    if counts[NOT_STARTED]:
        out.append(
            DropOff(
                NOT_STARTED,
                None,
                "Pressed start but answered no question",
                counts[NOT_STARTED],
                counts[NOT_STARTED] / total,
            )
        )
    known = set()
    for position, (qid, text) in enumerate(questions, start=1):
        known.add(qid)
        if counts[qid]:
            out.append(DropOff(qid, position, text, counts[qid], counts[qid] / total))
    for qid in sorted(set(counts) - known - {NOT_STARTED}):
        text = f"{qid} (not in the current version)"
        out.append(DropOff(qid, None, text, counts[qid], counts[qid] / total))
    return tuple(out)


def median_seconds(responses: Sequence[Response]) -> float | None:
    """Median completion time of complete responses that recorded one (None when none did)."""
    times = [
        int(r["duration_seconds"])
        for r in responses
        if is_complete(r) and r.get("duration_seconds") is not None
    ]
    return float(statistics.median(times)) if times else None


def mode_mix(responses: Sequence[Response]) -> tuple[ModeCount, ...]:
    """Completed responses by mode: the four modes in order (zero included), then any other."""
    counts = Counter(str(r.get("mode") or "online") for r in responses if is_complete(r))
    total = sum(counts.values())
    names = [*MODES, *sorted(set(counts) - set(MODES))]
    return tuple(ModeCount(m, counts[m], counts[m] / total if total else 0.0) for m in names)


def channel_counts(responses: Sequence[Response]) -> tuple[ChannelCount, ...]:
    """Started, completed and screened out per channel, most started first (ties by code; no channel last)."""
    started: Counter[str | None] = Counter(r.get("channel") or None for r in responses)
    completed: Counter[str | None] = Counter(r.get("channel") or None for r in responses if is_complete(r))
    screened: Counter[str | None] = Counter(r.get("channel") or None for r in responses if is_screened_out(r))
    order = sorted(started, key=lambda c: (c is None, -started[c], c or ""))
    return tuple(ChannelCount(c, started[c], completed[c], screened[c]) for c in order)


def profile_dimensions(questionnaire: Questionnaire) -> dict[str, str]:
    """Topic (age, sex, tenure, area) -> the first demographic mapping's dimension for it, in topic order."""
    found: dict[str, str] = {}
    for mapping in questionnaire.demographics:
        name = mapping.dimension
        topic = "area" if name == "ward" or name.startswith("area") else name.split("_", 1)[0]
        if topic in dict(PROFILE_TOPICS) and topic not in found:
            found[topic] = name
    return {topic: found[topic] for topic, _ in PROFILE_TOPICS if topic in found}


def under_represented(table: RepresentativenessTable) -> tuple[UnderRepresented, ...]:
    """Groups flagged under-represented, the furthest below their population share first."""
    rows = [
        UnderRepresented(
            d.dimension, r.category, r.respondents, r.sample_share, r.population_share, r.needed, r.channels
        )
        for d in table.dimensions
        for r in d.rows
        if r.flag == "under"
    ]
    return tuple(sorted(rows, key=lambda u: u.sample_share - u.population_share))


def groups_by_channel(table: RepresentativenessTable) -> dict[str | None, tuple[GroupCount, ...]]:
    """For each channel (None: direct link), the groups it brought in, largest first per dimension."""
    out: dict[str | None, list[GroupCount]] = {}
    for d in table.dimensions:
        for row in d.rows:
            for channel, count in row.channels:
                key = None if channel == NO_CHANNEL else channel
                out.setdefault(key, []).append(GroupCount(d.dimension, row.category, count))
    order = {d.dimension: i for i, d in enumerate(table.dimensions)}
    return {c: tuple(sorted(g, key=lambda x: (order[x.dimension], -(x.count or 0)))) for c, g in out.items()}


def channel_profile(
    table: RepresentativenessTable, channels: Sequence[str], *, min_cell: int = MIN_CELL
) -> dict[str, dict[str, tuple[GroupCount, ...]]]:
    """Channel -> dimension -> group counts; counts under `min_cell` (and cells revealing them) hidden."""
    out: dict[str, dict[str, tuple[GroupCount, ...]]] = {c: {} for c in channels}
    for d in table.dimensions:
        categories = [r.category for r in d.rows]
        for c in channels:
            # Each channel on its own: its total is shown beside it, the totals across channels are not.
            row = [dict(r.channels).get(c, 0) for r in d.rows]
            mask = suppress([row], [sum(row)], min_cell=min_cell).cells[0]
            out[c][d.dimension] = tuple(
                GroupCount(d.dimension, cat, None if hidden is not None else n)
                for cat, n, hidden in zip(categories, row, mask, strict=True)
            )
    return out


def format_duration(seconds: float | None) -> str:
    """Seconds as '7 min 30 s', '7 min' or '45 s' ('no timed responses yet' for None)."""
    if seconds is None:
        return "no timed responses yet"
    minutes, rest = divmod(round(seconds), 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"
