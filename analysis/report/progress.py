"""Headline figures and response progress: counts per day, completion, days left and a projection."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from analysis.dashboard import is_screened_out
from analysis.mapping import population_mask, usable
from analysis.report.model import DayCount, Headline, Tally
from survey.engine import Questionnaire
from survey.engine.catalogue import N_

RECENT_DAYS = 14
DIRECT = N_("(direct link)")

MODE_NAMES = {  # as the staff dashboard names them (English msgids: a report shows them in its language)
    "online": N_("Online"),
    "paper": N_("Paper form"),
    "phone": N_("Phone"),
    "assisted": N_("Assisted (in person)"),
}


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def headline(
    responses: Sequence[Mapping[str, Any]],
    questionnaire: Questionnaire,
    as_of: date,
    opens: date | None,
    closes: date | None,
    in_population: Mapping[Any, bool] | None = None,
) -> Headline:
    """Counts so far, the time left and a projection at the recent daily rate (none without a close date)."""
    complete = usable(responses)
    starts = [d for d in (_day(r.get("started_on")) for r in responses) if d is not None]
    opens = opens or (min(starts) if starts else as_of)
    days_open = max(1, (min(as_of, closes or as_of) - opens).days + 1)
    window_start = max(opens, as_of - timedelta(days=RECENT_DAYS - 1))
    recent = sum(
        1 for r in complete if (d := _day(r.get("completed_on"))) is not None and window_start <= d <= as_of
    )
    per_day = recent / max(1, (as_of - window_start).days + 1)
    days_left = None if closes is None else max(0, (closes - as_of).days)
    durations = [int(r["duration_seconds"]) for r in complete if r.get("duration_seconds")]
    mask = population_mask(complete, questionnaire.population_filter, in_population)
    screened = sum(1 for r in responses if is_screened_out(r))
    could_finish = len(responses) - screened  # the journeys the survey was for
    return Headline(
        started=len(responses),
        complete=len(complete),
        completion_rate=len(complete) / could_finish if could_finish > 0 else None,
        opens=opens,
        closes=closes,
        days_open=days_open,
        days_left=days_left,
        recent_per_day=round(per_day, 2),
        projected_at_close=None if days_left is None else len(complete) + round(per_day * days_left),
        median_minutes=round(statistics.median(durations) / 60, 1) if durations else None,
        outside_population=sum(1 for keep in mask if not keep),
        screened_out=screened,
    )


def progress_end(responses: Sequence[Mapping[str, Any]], as_of: date, closes: date | None) -> date:
    """The last day the progress table and chart show: the later of the closing date and the last day a
    response was started or completed, never after `as_of`. A report made long after the close (a final
    report made months later, or without `--as-of`) would otherwise list hundreds of empty days."""
    days = [
        d
        for r in responses
        for d in (_day(r.get("started_on")), _day(r.get("completed_on")))
        if d is not None and d <= as_of
    ]
    last = max(days, default=as_of)
    return min(as_of, max(last, closes) if closes is not None else last)


def progress(responses: Sequence[Mapping[str, Any]], opens: date, as_of: date) -> tuple[DayCount, ...]:
    """Started and completed responses per day from the opening date to `as_of` (see progress_end)."""
    started = Counter(_day(r.get("started_on")) for r in responses)
    done = Counter(_day(r.get("completed_on")) for r in usable(responses))
    first = min([opens, *(d for d in started if d is not None)])
    out: list[DayCount] = []
    total = 0
    day = first
    while day <= as_of:
        total += done.get(day, 0)
        out.append(DayCount(day, started.get(day, 0), done.get(day, 0), total))
        day += timedelta(days=1)
    return tuple(out)


def tallies(
    responses: Sequence[Mapping[str, Any]],
    key: str,
    names: Mapping[str, str] | None = None,
    direct: str = DIRECT,
) -> tuple[Tally, ...]:
    """Started and complete responses by channel or mode, most complete first; `names` labels the codes,
    `direct` the responses without one (DIRECT in the report's language)."""
    started: Counter[str] = Counter()
    complete: Counter[str] = Counter()
    for r in responses:
        code = r.get(key)
        name = direct if not code else (names or {}).get(str(code), str(code))
        started[name] += 1
        if r.get("status") == "complete":
            complete[name] += 1
    return tuple(
        Tally(name, started[name], complete[name])
        for name in sorted(started, key=lambda n: (-complete[n], -started[n], n))
    )
