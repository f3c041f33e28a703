"""How many more responses a group needs, as the partner page says it: in coarse bands, audited.

The need x of a group with c respondents out of n (census share P, L = 0.8·P the "under" limit) is the
smallest x with (c + x)/(n + x) ≥ L: x = ceil((L·n − c)/(1 − L)). It falls by one for every 1 − L more
responses of the group, so a band of need W wide leaves c a window about W·(1 − L) wide: at least
50·0.2 = 10 for the narrowest band (`NEED_BANDS`) and any P. `need_bands` checks each band's window of
possible counts for the group's own n and P and merges a band that would be narrower than the threshold
with its neighbour (which bands there are depends on n, P and the threshold only, never on c).

A band still has edges: combined with what the partner report shows (its question tables, with hidden
cells, and its flags), an edge falling inside a hidden cell's possible range would narrow it. So
`audited_bands` adds each band to the partner report's own constraints (analysis.disclosure.report_system)
and withdraws bands, one at a time, until the auditor finds no hidden count narrower than the threshold,
as analysis.report.audience_flags does for the report's flags. The report's "small" flags ("under or
over", which report_system leaves out as not linear) are split into their two cases, and a count's
range is taken over the cases that can hold: a band that rules one out is caught too.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

from analysis.disclosure.auditor import EPS, INF, SOLVED, CellRange, GroupKey, InconsistentFigures, audit
from analysis.disclosure.report_system import SHARE_HALF_STEP, profile_var, question_key, report_system
from analysis.representativeness import Thresholds, responses_needed

NEED_BANDS = (1, 50, 100, 200, 500, 1000)  # lower edges of the need bands; the last has no upper edge
UNDER = Thresholds().under / 100  # the "under" limit of the representation index, as a share of P
NOT_SHOWN = "not shown"
Band = tuple[int, int | None]  # [low, high) of the need; high None: no upper edge
Row = tuple[dict[str, float], float, float]  # a constraint: coefficients, lower and upper bound


def label(band: Band) -> str:
    low, high = band
    if high is None:
        return f"{low:,} or more" if low > 1 else "some"
    if low <= 1:
        return f"fewer than {high:,}"
    return f"{low:,} to {high - 1:,}"


def _counts(needs: Mapping[int, int], band: Band) -> list[int]:
    low, high = band
    return [c for c, x in needs.items() if x >= low and (high is None or x < high)]


def _wide(needs: Mapping[int, int], band: Band, threshold: int) -> bool:
    counts = _counts(needs, band)
    return bool(counts) and max(counts) - min(counts) >= threshold


@functools.lru_cache(maxsize=256)
def need_bands(n: int, population_share: float, threshold: int) -> tuple[Band, ...]:
    """The need bands shown for a group of dimension size n and census share P, each leaving a window
    of possible counts c (with c < 0.8·P·n: the group is "under") at least `threshold` wide."""
    needs: dict[int, int] = {}
    for c in range(n + 1):
        x = responses_needed(c, n, population_share)
        if x <= 0:
            break
        needs[c] = x
    highs: list[int | None] = [*NEED_BANDS[1:], None]
    bands: list[Band] = []
    low = NEED_BANDS[0]
    for stop in highs:
        if stop is None or _wide(needs, (low, stop), threshold):
            bands.append((low, stop))
            low = stop if stop is not None else low
    while len(bands) > 1 and not _wide(needs, bands[-1], threshold):  # the top too narrow: merge down
        bands[-2:] = [(bands[-2][0], bands[-1][1])]
    top = max(needs.values(), default=0)  # no band above the greatest possible need
    kept = [b for b in bands if b[0] <= top]
    return (*kept[:-1], (kept[-1][0], None)) if kept else ((NEED_BANDS[0], None),)


def band_of(needed: int, n: int, population_share: float, threshold: int) -> Band | None:
    """The band of `needed` (None when nothing is needed)."""
    if needed <= 0:
        return None
    for low, high in need_bands(n, population_share, threshold):
        if needed >= low and (high is None or needed < high):
            return low, high
    return None


def _band_rows(system: Any, dimension: str, category: str, share: float, band: Band) -> None:
    """need in [low, high) as a reader reads it: (low − 1)(1 − L) < L·n − c ≤ (high − 1)(1 − L)
    (closed, so the auditor knows slightly less than a reader, never more)."""
    low, high = band
    lim = UNDER * share
    c, n = profile_var(dimension, category), profile_var(dimension, "") + "respondents"
    if low > 1:
        system.constrain({n: lim, c: -1.0}, lo=(low - 1) * (1 - lim) - EPS)
    if high is not None:
        system.constrain({n: lim, c: -1.0}, hi=(high - 1) * (1 - lim) + EPS)


MAX_SMALL = 4  # "small" flags enumerated (2**4 cases); with more, the bands near them are not shown


def _small_cases(doc: Mapping[str, Any], dimensions: set[str]) -> list[list[Row]] | None:
    """The cases a reader splits the report's "small" flags into (under or over: not one linear
    constraint, so report_system leaves them out) for the groups of `dimensions` and of the dimensions
    sharing a question with them; None when there are more than MAX_SMALL of them."""
    block = doc.get("disclosure") or {}
    limits = block.get("flag_limits") or [80, 120]
    under, over = float(limits[0]) / 100, float(limits[1]) / 100
    question = {
        str(link.get("dimension")): str(link.get("question")) for link in block.get("profile_links", [])
    }
    near = {d for d, q in question.items() if q in {question.get(x) for x in dimensions}} | dimensions
    small = [
        (str(d.get("dimension")), str(r.get("category")), float(r.get("population_share") or 0))
        for d in doc.get("profile", [])
        if str(d.get("dimension")) in near
        for r in d.get("rows", [])
        if r.get("flag") == "small"
    ]
    if len(small) > MAX_SMALL:
        return None
    cases: list[list[Row]] = [[]]
    for dimension, category, share in small:
        c, n = profile_var(dimension, category), profile_var(dimension, "") + "respondents"
        low = {c: 1.0, n: -under * (share + SHARE_HALF_STEP) - EPS}, -INF, 0.0
        high = {c: 1.0, n: -over * (share - SHARE_HALF_STEP) + EPS}, 0.0, INF
        cases = [[*case, row] for case in cases for row in (low, high)]
    return cases


def _ranges(
    doc: Mapping[str, Any],
    bands: Mapping[tuple[str, str], tuple[float, Band]],
    cases: Any,
    threshold: int,
    memo: MutableMapping[GroupKey, list[CellRange]],
) -> dict[str, float]:
    """Each hidden count's feasible width over the cases together (a reader knows only that one holds).

    `memo`: the auditor's solved groups, kept over the cases and rounds of audited_bands calls (a band
    or a case changes the groups of a few dimensions; the report's other tables are solved once, and a page
    shown again with the same report and groups solves nothing)."""
    spans: dict[str, tuple[float, float]] = {}
    for case in cases:
        system = report_system(doc)
        for (dimension, category), (share, band) in bands.items():
            _band_rows(system, dimension, category, share, band)
        for coefs, lo, hi in case:
            system.constrain(coefs, lo=lo, hi=hi)
        try:
            found = audit(system, threshold, memo=memo)
        except InconsistentFigures:
            continue  # this case cannot hold
        for r in found:
            low, high = spans.get(r.name, (r.low, r.high))
            spans[r.name] = (min(low, r.low), max(high, r.high))
    return {name: high - low for name, (low, high) in spans.items()}


def _touches(name: str, group: tuple[str, str], links: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a pinned count `name` is the group's own, its dimension's, or a cell of the question its
    dimension is linked to (profile_links): withdrawing the group's band may widen it."""
    dimension = group[0]
    if name.startswith(profile_var(dimension, "")):
        return True
    return any(
        str(link.get("dimension")) == dimension
        and name.startswith(question_key(str(link.get("question")), None) + ":")
        for link in links
    )


def audited_bands(
    doc: Mapping[str, Any],
    groups: Sequence[tuple[str, str, float, Band]],
    threshold: int,
) -> dict[tuple[str, str], Band]:
    """The bands of `groups` ((dimension, category, P, band)) that may be shown beside the partner report
    `doc` (report_to_dict): withdrawn one at a time, the smallest group's first, until no hidden count of
    the report is pinned by the report and the bands together to a range narrower than the threshold and
    narrower than the report alone pins it. The report's "small" flags are split into their two cases."""
    shown = {(d, c): (p, b) for d, c, p, b in groups}
    cases = _small_cases(doc, {d for d, _ in shown})
    if cases is None:
        return {}
    memo = SOLVED
    alone = _ranges(doc, {}, cases, threshold, memo)
    links = (doc.get("disclosure") or {}).get("profile_links", [])
    while shown:
        widths = _ranges(doc, shown, cases, threshold, memo)
        names = {name for name, width in widths.items() if width < threshold and width < alone.get(name, INF)}
        if not names:
            break
        behind = [k for k in shown if any(_touches(name, k, links) for name in names)]
        del shown[min(behind or shown, key=lambda k: shown[k][0])]
    return {k: b for k, (_, b) in shown.items()}
