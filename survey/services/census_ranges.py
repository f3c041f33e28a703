"""Census mappings of number questions (such as age in years): a range of whole numbers per census category.

The stored format is the engine's (docs/questionnaire-format.md, "Demographic mappings"):
`{"dimension": "age_adult16plus", "question": "age", "ranges": [{"min": 16, "max": 24, "category": "16-24"},
{"min": 65, "max": null, "category": "65+"}]}`: `min` and `max` inclusive, null for no limit, and a null
category for answers that are not counted. The builder shows one row per census category (From, To) and a
"Not counted" row; `check_rows` refuses what the engine would only warn about (ranges that overlap or leave a
gap, a From above its To) and categories the reference population does not have, each problem in words on the
row at fault. Pure; no Flask.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from survey.engine.catalogue import N_
from survey.services.words import gettext

NOT_COUNTED = N_("Not counted")  # a msgid: translated where it is shown
WHOLE = re.compile(r"^-?[0-9]{1,9}$")
_BETWEEN = re.compile(r"^(?:aged\s+)?(\d+)\s*(?:-|–|to)\s*(\d+)(?:\s+years?)?$", re.I)
_OVER = re.compile(
    r"^(?:aged\s+)?(\d+)\s*(?:\+|and over|or over|and older|or older|or more)(?:\s+years?)?$", re.I
)
_UNDER = re.compile(r"^(?:aged\s+)?(?:under|less than|below)\s+(\d+)(?:\s+years?)?$", re.I)
_UP_TO = re.compile(r"^(?:aged\s+)?(\d+)\s*(?:and under|or under|or younger|or less)(?:\s+years?)?$", re.I)


@dataclass(frozen=True)
class RangeRow:
    """One row of the form: a census category (None: not counted) and the numbers as typed."""

    category: str | None
    low: str = ""
    high: str = ""

    @property
    def name(self) -> str:
        return self.category if self.category is not None else gettext(NOT_COUNTED)


@dataclass(frozen=True)
class RowProblem:
    """A problem in words, on one row's field ("low" or "high")."""

    row: int
    field: str
    message: str


def _text(number: Any) -> str:
    return "" if number is None else str(number)


def range_words(low: int | None, high: int | None) -> str:
    """A range in words: '16 to 24', '65 or more', '15 or less', 'any number'."""
    if low is not None and high is not None:
        return str(low) if low == high else gettext("%(low)s to %(high)s", low=low, high=high)
    if low is not None:
        return gettext("%(low)s or more", low=low)
    if high is not None:
        return gettext("%(high)s or less", high=high)
    return gettext("any number")


def mapping_words(ranges: Sequence[Mapping[str, Any]]) -> str:
    """A stored ranges mapping in words: '16 to 24: 16-24; 65 or more: 65+'."""
    return "; ".join(
        gettext(
            "%(range)s: %(category)s",
            range=range_words(r.get("min"), r.get("max")),
            category=r.get("category") or gettext("not counted"),
        )
        for r in ranges
    )


def suggest(category: str) -> tuple[int | None, int | None] | None:
    """The numbers a census category's name suggests ('16-24', 'Aged 65 and over', 'Under 16'), or None."""
    name = category.strip()
    if found := _BETWEEN.match(name):
        return int(found[1]), int(found[2])
    if found := _OVER.match(name):
        return int(found[1]), None
    if found := _UNDER.match(name):
        return None, int(found[1]) - 1
    if found := _UP_TO.match(name):
        return None, int(found[1])
    return None


def suggested_rows(categories: Sequence[str]) -> list[RangeRow]:
    """Rows for a new mapping: every category with the numbers its name suggests, then 'Not counted'."""
    rows = []
    for category in categories:
        guess = suggest(category)
        rows.append(RangeRow(category, *(_text(n) for n in guess)) if guess else RangeRow(category))
    return [*rows, RangeRow(None)]


def stored_rows(categories: Sequence[str], ranges: Sequence[Mapping[str, Any]]) -> list[RangeRow]:
    """Rows for a stored mapping: every category (its range, or empty), 'Not counted', then any range the
    rows so far cannot hold (a second range of a category, or a category the reference population lacks)."""
    left = [r for r in ranges if isinstance(r, Mapping)]
    rows = []
    for category in [*categories, None]:
        found = next((r for r in left if r.get("category") == category), None)
        if found is None:
            rows.append(RangeRow(category))
        else:
            left.remove(found)
            rows.append(RangeRow(category, _text(found.get("min")), _text(found.get("max"))))
    rows += [RangeRow(r.get("category"), _text(r.get("min")), _text(r.get("max"))) for r in left]
    return rows


@dataclass(frozen=True)
class _Used:
    row: int
    name: str
    low: int | None
    high: int | None
    category: str | None
    readable: bool  # both numbers are whole numbers (or empty)


def _read(rows: Sequence[RangeRow], problems: list[RowProblem]) -> list[_Used]:
    used = []
    for i, row in enumerate(rows):
        numbers: dict[str, int | None] = {}
        readable = True
        for key in ("low", "high"):
            typed = getattr(row, key).strip()
            if typed and not WHOLE.match(typed):
                if key == "low":
                    message = gettext("%(name)s: enter a whole number in ‘From’, like 16", name=row.name)
                else:
                    message = gettext("%(name)s: enter a whole number in ‘To’, like 16", name=row.name)
                problems.append(RowProblem(i, key, message))
                readable = False
            numbers[key] = int(typed) if typed and WHOLE.match(typed) else None
        if row.low.strip() or row.high.strip():
            used.append(_Used(i, row.name, numbers["low"], numbers["high"], row.category, readable))
    return used


def check_rows(
    rows: Sequence[RangeRow], dimension: str, known: Sequence[str] | None
) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """The ranges to store (ordered by From) and the problems that stop them being stored.

    `known` is the dimension's census categories (None when the reference population accepts any)."""
    problems: list[RowProblem] = []
    used = _read(rows, problems)
    for u in used:
        if known is not None and u.category is not None and u.category not in known:
            problems.append(
                RowProblem(
                    u.row,
                    "low",
                    gettext(
                        "‘%(category)s’ is not a category of %(dimension)s in the reference population: give "
                        "these numbers to one of its categories (%(known)s) and empty these boxes",
                        category=u.category,
                        dimension=dimension,
                        known=", ".join(known),
                    ),
                )
            )
    readable = []
    for u in used:
        if u.low is not None and u.high is not None and u.low > u.high:
            message = gettext(
                "%(name)s: ‘From’ %(low)s is more than ‘To’ %(high)s", name=u.name, low=u.low, high=u.high
            )
            problems.append(RowProblem(u.row, "low", message))
        elif u.readable:
            readable.append(u)
    if not used and not problems:
        problems.append(RowProblem(0, "low", gettext("Give the numbers of at least one census category")))
    ordered = sorted(readable, key=lambda u: (u.low is not None, u.low or 0))
    for before, after in zip(ordered, ordered[1:], strict=False):
        problems.extend(_between(before, after))
    ranges = [{"min": u.low, "max": u.high, "category": u.category} for u in ordered]
    return ([] if problems else ranges), problems


def _between(before: _Used, after: _Used) -> list[RowProblem]:
    """An overlap or a gap between two ranges next to each other (ordered by From)."""
    names = {
        "first": before.name,
        "first_range": range_words(before.low, before.high),
        "second": after.name,
        "second_range": range_words(after.low, after.high),
    }
    if before.high is None or after.low is None or after.low <= before.high:
        start = after.low  # ordered by From: the later range's From (None only when both have none)
        highs = [h for h in (before.high, after.high) if h is not None]
        end = min(highs) if highs else None
        return [
            RowProblem(
                after.row,
                "low",
                gettext(
                    "%(first)s (%(first_range)s) and %(second)s (%(second_range)s) overlap: %(overlap)s "
                    "would count in both",
                    overlap=range_words(start, end),
                    **names,
                ),
            )
        ]
    if after.low > before.high + 1:
        gap = range_words(before.high + 1, after.low - 1)
        return [
            RowProblem(
                after.row,
                "low",
                gettext(
                    "No category covers %(gap)s, between %(first)s (%(first_range)s) and %(second)s "
                    "(%(second_range)s): widen one of them, or give %(gap)s to ‘%(not_counted)s’",
                    gap=gap,
                    not_counted=gettext(NOT_COUNTED),
                    **names,
                ),
            )
        ]
    return []


def uncovered(ranges: Sequence[Mapping[str, Any]], smallest: Any, largest: Any) -> list[str]:
    """Answers the question allows that no range covers (they count as not mapped), in words."""
    if not ranges:
        return []
    notes = []
    first, last = ranges[0].get("min"), ranges[-1].get("max")
    whole_min = smallest if isinstance(smallest, int) else None
    whole_max = largest if isinstance(largest, int) else None
    if first is not None and (whole_min is None or whole_min < first):
        notes.append(gettext("Answers %(range)s", range=range_words(whole_min, first - 1)))
    if last is not None and (whole_max is None or whole_max > last):
        notes.append(gettext("Answers %(range)s", range=range_words(last + 1, whole_max)))
    return notes
