"""The partner view of the groups still needed, built from the same stepped data as partner channel pages.

Everything here is as of a release point (analysis.disclosure.partner_page: whole days only, steps of at
least the questionnaire's disclosure threshold), so one more response through a partner's link changes
nothing a partner sees until the step is reached:

- the under-represented groups come from the representativeness table of the complete responses up to
  the questionnaire's last release point (all channels together); a group's share of responses is hidden
  when fewer than `threshold` people are in it, and the responses still needed are rounded to 10 (for a
  hidden group, only "at least" the need of a group just under the threshold: `hidden_need`);
- what each of the partner's links brought in is that link's own partner page (`partner_page`, the one the
  channel page shows), so the two pages always agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from analysis import dashboard as metrics
from analysis.disclosure.partner_page import PartnerPage, partner_page, released
from analysis.representativeness import RepresentativenessTable, responses_needed

Rows = Sequence[Mapping[str, Any]]
TableOf = Callable[[Rows], RepresentativenessTable | None]
NOT_YET = "not yet"  # a link with fewer than `threshold` completed responses: nothing is shown for it


def rounded_need(needed: int, min_cell: int = metrics.MIN_CELL) -> str:
    """How many more responses a group needs, as shown to partners: to the nearest 10, never a small count."""
    if needed <= 0:
        return "none"
    if needed < min_cell:
        return f"fewer than {min_cell}"
    return f"about {int(round(needed, -1)):,}"


def hidden_need(least: int, min_cell: int = metrics.MIN_CELL) -> str:
    """The need of a group whose count is hidden: said from the fewest it could need (its count just under
    the threshold), rounded down to 10, so it tells no more than that the count is small. The exact need
    would: it falls by about one for each response the group has, so "about 20" against "about 10" would
    tell 3 people from 8."""
    floor = least // 10 * 10
    return f"at least {floor:,}" if floor >= min_cell else "some"


@dataclass(frozen=True)
class GroupNeed:
    """One under-represented group as a partner may see it."""

    dimension: str
    category: str
    sample_share: float | None  # None: fewer than the threshold answered from this group (hidden)
    population_share: float
    needed: str
    reached: dict[str, int | str | None]  # link code -> count; None hidden; NOT_YET before its first step


@dataclass(frozen=True)
class Needs:
    """The whole partner view of one questionnaire, as of its last release point."""

    release: date | None  # None: fewer than `threshold` complete responses so far
    completed: int  # complete responses (all links and none) up to the release point
    groups: tuple[GroupNeed, ...]
    links: dict[str, PartnerPage]  # each of the partner's links, exactly as its channel page shows it
    threshold: int


def _reached(page: PartnerPage, dimension: str, category: str) -> int | str | None:
    if page.release is None:
        return NOT_YET
    for cell in page.groups.get(dimension, ()):
        if cell.category == category:
            return cell.count
    return None  # no table for this link (the profile could not be made): show nothing


def needs(responses: Rows, codes: Sequence[str], *, today: date, threshold: int, table_of: TableOf) -> Needs:
    """The groups still needed and what each link in `codes` brought in, as of the release points."""
    links = {
        code: partner_page(responses, code, today=today, threshold=threshold, profile=table_of)
        for code in codes
    }
    point, visible = released(responses, today=today, threshold=threshold)
    table = table_of(visible) if point is not None else None
    if table is None:
        return Needs(point, len(visible), (), links, threshold)
    groups = []
    for group in metrics.under_represented(table):
        small = 0 < group.respondents < threshold
        groups.append(
            GroupNeed(
                dimension=group.dimension,
                category=group.category,
                sample_share=None if small else group.sample_share,
                population_share=group.population_share,
                needed=hidden_need(
                    responses_needed(
                        threshold - 1, table.dimension(group.dimension).respondents, group.population_share
                    )
                )
                if small
                else rounded_need(group.needed, threshold),
                reached={code: _reached(links[code], group.dimension, group.category) for code in codes},
            )
        )
    return Needs(point, len(visible), tuple(groups), links, threshold)
