"""The partner view of the groups still needed, built from the same stepped data as partner channel pages.

Everything here is as of a release point (analysis.disclosure.partner_page: whole days only, steps of at
least the questionnaire's disclosure threshold), so one more response through a partner's link changes
nothing a partner sees until the step is reached. What it says of a group's count c (n the dimension's
respondents, P the census share, L = 0.8·P) is no more than the audited partner report says (issue 12:
whole-percent shares, "hidden" meaning 1 to 9 and needs rounded to 10 had pinned hidden report cells):

- no share of responses, no count: a listed group is one the representativeness table flags "under"
  (c < L·n), listed only when its expected count L·n is at least twice the threshold and, when
  `report_of` is given (the staff page gives the partner report built for the same release point), only
  when that report still shows its flag as "under" (the report hides flags that would pin a hidden
  count: analysis.report.audience_flags). The page always says that smaller groups are not listed, so
  whether one was left out is not told either;
- groups are listed in the table's own order (dimension, then census category), never by how far below
  their share they are (that order compares their counts);
- the responses still needed are shown only in coarse bands at least 50 wide, each band audited with
  the partner report's own constraints and withdrawn ("not shown") when it would pin a hidden count
  (survey.services.need_bands);
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
from analysis.representativeness import RepresentativenessTable
from survey.services.need_bands import NOT_SHOWN, UNDER, audited_bands, band_of, label

Rows = Sequence[Mapping[str, Any]]
TableOf = Callable[[Rows], RepresentativenessTable | None]
ReportOf = Callable[
    [date, Rows], Mapping[str, Any] | None
]  # the partner report (report_to_dict) as of a point
NOT_YET = "not yet"  # a link with fewer than `threshold` completed responses: nothing is shown for it


SMALLER_GROUPS = "Some smaller groups are not listed, so that no one can be identified."


@dataclass(frozen=True)
class GroupNeed:
    """One under-represented group as a partner may see it."""

    dimension: str
    category: str
    population_share: float
    needed: str  # a band (survey.services.need_bands), "none" or NOT_SHOWN: never a count
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


def _flags(doc: Mapping[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (str(d.get("dimension")), str(r.get("category"))): str(r.get("flag"))
        for d in doc.get("profile", [])
        for r in d.get("rows", [])
    }


def listed(
    table: RepresentativenessTable, threshold: int, doc: Mapping[str, Any] | None
) -> list[metrics.UnderRepresented]:
    """The under-represented groups a partner may see, in the table's order (`needs`)."""
    flags = _flags(doc) if doc is not None else None
    out = []
    under = {(g.dimension, g.category): g for g in metrics.under_represented(table)}
    for dimension in table.dimensions:
        for row in dimension.rows:
            group = under.get((dimension.dimension, row.category))
            if group is None or UNDER * group.population_share * dimension.respondents < 2 * threshold:
                continue
            if flags is not None and flags.get((group.dimension, group.category)) != "under":
                continue
            out.append(group)
    return out


def needs(
    responses: Rows,
    codes: Sequence[str],
    *,
    today: date,
    threshold: int,
    table_of: TableOf,
    report_of: ReportOf | None = None,
) -> Needs:
    """The groups still needed and what each link in `codes` brought in, as of the release points.

    `report_of`: the partner report as of the release point (the staff page always gives it). With it, a
    group is listed only when the report shows its flag as "under", and a need band only when the
    auditor finds that it pins no hidden count of the report; without it (analysis only) neither check
    is made."""
    links = {
        code: partner_page(responses, code, today=today, threshold=threshold, profile=table_of)
        for code in codes
    }
    point, visible = released(responses, today=today, threshold=threshold)
    table = table_of(visible) if point is not None else None
    if table is None or point is None:
        return Needs(point, len(visible), (), links, threshold)
    doc = report_of(point, visible) if report_of is not None else None
    if report_of is not None and doc is None:
        return Needs(point, len(visible), (), links, threshold)  # no partner report: list nothing
    chosen = listed(table, threshold, doc)
    bands = {
        (g.dimension, g.category): band_of(
            g.needed, table.dimension(g.dimension).respondents, g.population_share, threshold
        )
        for g in chosen
    }
    shown = {k: b for k, b in bands.items() if b is not None}
    if doc is not None:
        share = {(g.dimension, g.category): g.population_share for g in chosen}
        shown = audited_bands(doc, [(*k, share[k], b) for k, b in shown.items()], threshold)

    def needed(key: tuple[str, str]) -> str:
        band = bands[key]
        return "none" if band is None else label(band) if key in shown else NOT_SHOWN

    groups = tuple(
        GroupNeed(
            dimension=g.dimension,
            category=g.category,
            population_share=g.population_share,
            needed=needed((g.dimension, g.category)),
            reached={code: _reached(links[code], g.dimension, g.category) for code in codes},
        )
        for g in chosen
    )
    return Needs(point, len(visible), groups, links, threshold)
