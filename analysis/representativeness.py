"""Compare respondents with the reference population: shares, representation index, gaps and what to do."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from analysis.mapping import (
    NOT_ANSWERED,
    NOT_STATED,
    UNMAPPED,
    MappedDimension,
    map_dimension,
    outside_breakdown,
    population_mask,
    respondents,
    usable,
)
from analysis.reference import Reference
from analysis.reference.catalogue import subject
from survey.engine import DemographicMapping, Questionnaire
from survey.engine.model import Condition

Response = Mapping[str, Any]
NO_CHANNEL = "(no channel: direct link)"


@dataclass(frozen=True)
class Thresholds:
    """Representation index limits: below `under` is under-represented, above `over` over-represented."""

    under: float = 80.0
    over: float = 120.0

    def __post_init__(self) -> None:
        if not 0 < self.under <= 100 <= self.over:
            raise ValueError(
                f"thresholds must satisfy 0 < under <= 100 <= over, got {self.under}, {self.over}"
            )


@dataclass(frozen=True)
class CategoryRow:
    """One category of a dimension: respondents against the population."""

    category: str
    respondents: int  # unweighted count
    sample_share: float  # share of mapped respondents (weighted when weights were given)
    population_share: float
    index: float | None  # representation index 100 * p / P (None when P is 0)
    deviation: float  # |p - P|
    flag: str  # "under", "over" or "fine"
    needed: int  # more responses from this group to reach the `under` threshold (0 unless under)
    channels: tuple[tuple[str, int], ...]  # channels that brought this group in, most first


@dataclass(frozen=True)
class DimensionTable:
    """Respondents against the population on one dimension."""

    dimension: str
    question: str
    universe: str
    caveat: str
    respondents: int  # mapped respondents in the population
    missing: Mapping[str, int]  # not_answered / not_stated / unmapped counts
    rows: tuple[CategoryRow, ...]
    dissimilarity: float  # 1/2 sum |p - P|
    largest: CategoryRow | None  # the row with the largest deviation
    findings: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RepresentativenessTable:
    """The whole comparison: one DimensionTable per dimension plus who was left out and why."""

    reference: str
    responses: int  # usable responses considered
    in_population: int
    outside: Mapping[str, int]  # respondents outside the population, by answer to the filter question
    weighted: bool
    thresholds: Thresholds
    dimensions: tuple[DimensionTable, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def findings(self) -> tuple[str, ...]:
        """Every dimension's findings in order."""
        return tuple(f for d in self.dimensions for f in d.findings)

    def dimension(self, name: str) -> DimensionTable:
        """The table for one dimension."""
        for d in self.dimensions:
            if d.dimension == name:
                return d
        raise KeyError(f"no comparison for dimension {name!r}")


def compare(
    responses: Sequence[Response],
    reference: Reference,
    dimensions: Sequence[DemographicMapping],
    *,
    population_filter: Condition | None = None,
    in_population: Mapping[Any, bool] | None = None,
    thresholds: Thresholds = Thresholds(),
    weights: Mapping[Any, float] | None = None,
    include_incomplete: bool = False,
) -> RepresentativenessTable:
    """Compare respondents in the population with the reference on each demographic mapping given."""
    rows = usable(responses, include_incomplete)
    mask = population_mask(rows, population_filter, in_population)
    inside = [r for r, keep in zip(rows, mask, strict=True) if keep]
    problems: list[str] = []
    w = _weights(inside, weights, problems)
    tables = []
    for mapping in dimensions:
        name = mapping.dimension
        if name not in reference.names:
            problems.append(f"dimension {name!r} is not in reference {reference.name!r}; it was left out")
            continue
        mapped = map_dimension(inside, mapping)
        tables.append(_dimension_table(inside, mapped, reference, thresholds, w, problems))
    return RepresentativenessTable(
        reference=reference.name,
        responses=len(rows),
        in_population=len(inside),
        outside=outside_breakdown(rows, mask, population_filter),
        weighted=weights is not None,
        thresholds=thresholds,
        dimensions=tuple(tables),
        problems=tuple(problems),
    )


def compare_questionnaire(
    responses: Sequence[Response],
    reference: Reference,
    questionnaire: Questionnaire,
    dimensions: Sequence[str] | None = None,
    **options: Any,
) -> RepresentativenessTable:
    """compare() with the questionnaire's demographic mappings and population_filter."""
    mappings = [m for m in questionnaire.demographics if dimensions is None or m.dimension in dimensions]
    options.setdefault("population_filter", questionnaire.population_filter)
    return compare(responses, reference, mappings, **options)


def responses_needed(n_k: int, n: int, population_share: float, threshold: float = 80.0) -> int:
    """Smallest x with (n_k + x) / (n + x) >= threshold/100 * P_k: more responses needed from group k."""
    target = threshold / 100 * population_share
    if target <= 0 or (n > 0 and n_k / n >= target):
        return 0
    if target >= 1:
        raise ValueError("a group cannot reach a share of 1 or more")
    x = max(0, math.ceil((target * n - n_k) / (1 - target) - 1e-9))
    while n + x == 0 or (n_k + x) / (n + x) < target:  # guard against rounding at the boundary
        x += 1
    return x


def _weights(
    inside: Sequence[Response], weights: Mapping[Any, float] | None, problems: list[str]
) -> list[float]:
    if weights is None:
        return [1.0] * len(inside)
    absent = [r.get("id") for r in inside if r.get("id") not in weights]
    if absent:
        problems.append(f"{respondents(len(absent))} in the population have no weight; they count as 1")
    return [float(weights.get(r.get("id"), 1.0)) for r in inside]


def _dimension_table(
    inside: Sequence[Response],
    mapped: MappedDimension,
    reference: Reference,
    thresholds: Thresholds,
    w: Sequence[float],
    problems: list[str],
) -> DimensionTable:
    """Build the comparison for one mapped dimension."""
    dim = reference.dimension(mapped.dimension)
    shares = dim.shares
    counts = mapped.counts
    stray = sorted(set(counts) - set(shares))
    if stray:
        problems.append(
            f"{mapped.dimension}: mapped categories {stray} are not in the reference; "
            f"{respondents(sum(counts[c] for c in stray))} left out of this comparison"
        )
    n = sum(counts[c] for c in shares)
    weighted: dict[str, float] = dict.fromkeys(shares, 0.0)
    channels: dict[str, Counter[str]] = {c: Counter() for c in shares}
    for resp, cat, weight in zip(inside, mapped.categories, w, strict=True):
        if cat is not None and cat in shares:
            weighted[cat] += weight
            channels[cat][str(resp.get("channel") or NO_CHANNEL)] += 1
    total_w = sum(weighted.values())
    rows = []
    for cat, big_p in shares.items():
        p = weighted[cat] / total_w if total_w else 0.0
        index = 100 * p / big_p if big_p else None
        flag = _flag(index, counts[cat], thresholds)
        needed = responses_needed(counts[cat], n, big_p, thresholds.under) if flag == "under" else 0
        rows.append(
            CategoryRow(
                cat,
                counts[cat],
                p,
                big_p,
                index,
                abs(p - big_p),
                flag,
                needed,
                tuple(channels[cat].most_common()),
            )
        )
    largest = max(rows, key=lambda r: r.deviation) if rows else None
    return DimensionTable(
        dimension=mapped.dimension,
        question=mapped.question,
        universe=dim.info.universe,
        caveat=dim.info.caveat,
        respondents=n,
        missing=mapped.missing,
        rows=tuple(rows),
        dissimilarity=sum(r.deviation for r in rows) / 2,
        largest=largest,
        findings=tuple(_findings(mapped, rows, dim.info.universe, n)),
        sources=dim.sources,
    )


def _flag(index: float | None, respondents: int, thresholds: Thresholds) -> str:
    if index is None:
        return "over" if respondents else "fine"
    if index < thresholds.under:
        return "under"
    return "over" if index > thresholds.over else "fine"


def _pct(share: float) -> str:
    """A share as plain-language percent: whole numbers, "less than 1%" for small non-zero shares."""
    if 0 < share < 0.005:
        return "less than 1%"
    return f"{round(share * 100)}%"


def _findings(mapped: MappedDimension, rows: Sequence[CategoryRow], universe: str, n: int) -> list[str]:
    """Plain-language sentences for flagged categories and for respondents left out."""
    out = []
    if n == 0:
        out.append(f"No respondent could be placed on {mapped.dimension} (question '{mapped.question}').")
    for row in sorted(rows, key=lambda r: -r.deviation):
        if row.flag == "fine" or n == 0:
            continue
        who = subject(mapped.dimension, row.category)
        share, big_share = _pct(row.sample_share), _pct(row.population_share)
        sentence = f"{who} are {share} of respondents but {big_share} of {universe}"
        if universe == "households":
            sentence += " (the census counts households, not people)"
        if row.flag == "under" and row.needed:
            sentence += f"; about {row.needed} more responses from this group would bring it within range"
        out.append(sentence + ".")
    missing = mapped.missing
    left_out = sum(missing.values())
    if left_out:
        parts = [
            f"{missing[NOT_STATED]} preferred not to say or did not know" if missing[NOT_STATED] else "",
            f"{missing[NOT_ANSWERED]} did not answer" if missing[NOT_ANSWERED] else "",
            f"{missing[UNMAPPED]} gave an answer outside the census categories" if missing[UNMAPPED] else "",
        ]
        out.append(
            f"On question '{mapped.question}', {'; '.join(p for p in parts if p)}: "
            f"{respondents(left_out)} not counted in the {mapped.dimension} comparison."
        )
    return out
