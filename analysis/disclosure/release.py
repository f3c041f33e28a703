"""Differencing over time: partner and public outputs move only in steps of at least `threshold` responses.

Two outputs made for dates a day apart would show, by subtraction, the answers of the few people who
completed in between. So an output for a protected audience is made as of a *release point*: the last
date up to the one asked for at which at least `threshold` complete responses had arrived since the
previous release point (or since the last date staff published). Between release points the output stays
the same; per-day counts are replaced by the steps, each of at least `threshold` responses, so no step is
a small count and no zero day is shown.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date


def release_points(
    completions: Iterable[date], as_of: date, threshold: int, published: Sequence[date] = ()
) -> list[date]:
    """Release points up to `as_of`, each at least `threshold` completions after the previous one.

    The chain starts from the last of the `published` dates on or before `as_of` (a date staff released an
    output for this audience: it counts as a release point itself), else from the beginning. Deterministic,
    so every output for the audience lands on the same points whoever makes it and whenever.
    """
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    days = sorted(d for d in completions if d <= as_of)
    before = sorted(d for d in published if d <= as_of)
    points: list[date] = list(before)
    start = before[-1] if before else None
    count_at_last = bisect_right(days, start) if start is not None else 0
    i = count_at_last
    while i < len(days):
        needed = count_at_last + threshold
        if needed > len(days):
            break
        day = days[needed - 1]
        points.append(day)
        count_at_last = bisect_right(days, day)  # everything completed that day is in this step
        i = count_at_last
    return points


def release_point(
    completions: Iterable[date], as_of: date, threshold: int, published: Sequence[date] = ()
) -> date | None:
    """The date a protected output asked for `as_of` must be made for (None: nothing may be shown yet)."""
    points = release_points(completions, as_of, threshold, published)
    return points[-1] if points else None


def steps(completions: Iterable[date], points: Sequence[date]) -> list[tuple[date, int]]:
    """(release point, completions since the previous point) for each point: the counts a page may show."""
    days = sorted(completions)
    out = []
    previous = 0
    for point in points:
        upto = bisect_right(days, point)
        out.append((point, upto - previous))
        previous = upto
    return out
