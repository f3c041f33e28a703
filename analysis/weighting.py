"""Rake respondents in the population to reference margins (weightipy inside, every margin checked here)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.mapping import map_dimension, outside_breakdown, population_mask, respondents, usable
from analysis.reference import Reference
from survey.engine import DemographicMapping, Questionnaire
from survey.engine.model import Condition

Response = Mapping[str, Any]
TOLERANCE = 0.005  # a weighted margin more than 0.5 percentage points from its target is a failure
NOT_STATED_CODE = -1  # respondents without a category on a margin (prefer not to say, not answered)


@dataclass(frozen=True)
class Margin:
    """A weighting margin: the questionnaire's mapping for a dimension and the population shares."""

    dimension: str
    mapping: DemographicMapping
    shares: Mapping[str, float]


@dataclass(frozen=True)
class MarginCheck:
    """One category of one margin after weighting (shares among respondents who stated the variable)."""

    dimension: str
    category: str
    respondents: int
    target: float
    unweighted: float
    achieved: float

    @property
    def error(self) -> float:
        """Achieved minus target share (a fraction; 0.005 is half a percentage point)."""
        return self.achieved - self.target


@dataclass(frozen=True)
class WeightingReport:
    """How raking went: convergence (checked here), margin errors and the cost of the weights."""

    converged: bool
    method: str
    iterations: int
    max_error: float  # largest |achieved - target| over every margin category (fraction)
    checks: tuple[MarginCheck, ...]
    respondents: int  # respondents weighted (in the population)
    outside: Mapping[str, int]  # respondents outside the population (not weighted), by filter answer
    missing: Mapping[str, int]  # per margin: respondents who did not state it (kept, weight not imputed)
    deff: float
    effective_n: float
    efficiency: float
    min_weight: float
    max_weight: float
    cap: float | None
    messages: tuple[str, ...]

    @property
    def summary(self) -> str:
        """One plain-language sentence on the outcome, for report footers."""
        margins = ", ".join(dict.fromkeys(c.dimension for c in self.checks)) or "no margins"
        if not self.converged:
            return f"Weighting to {margins} did not meet every margin: do not rely on the weighted results."
        return (
            f"Weighted to {margins}: every margin within {100 * self.max_error:.1f} points of the census; "
            f"the {self.respondents} weighted responses carry the information of about "
            f"{self.effective_n:.0f} "
            f"(design effect {self.deff:.2f}; weights from {self.min_weight:.2f} to {self.max_weight:.2f})."
        )


@dataclass(frozen=True)
class WeightingResult:
    """Weights by response id (population respondents only; mean 1) and the report."""

    weights: Mapping[Any, float]
    report: WeightingReport


def margins(
    questionnaire: Questionnaire, reference: Reference, dimensions: Sequence[str] | None = None
) -> list[Margin]:
    """Weighting margins from the questionnaire's demographic mappings and the reference shares."""
    chosen = [m for m in questionnaire.demographics if dimensions is None or m.dimension in dimensions]
    found = {m.dimension for m in chosen}
    absent = [d for d in dimensions or [] if d not in found]
    if absent:
        raise ValueError(f"the questionnaire has no demographic mapping for: {', '.join(absent)}")
    return [Margin(m.dimension, m, reference.dimension(m.dimension).shares) for m in chosen]


def kish(weights: Sequence[float] | np.ndarray) -> tuple[float, float, float]:
    """Kish design effect n*sum(w^2)/sum(w)^2, effective sample size and weighting efficiency."""
    w = np.asarray(weights, dtype=float)
    if w.size == 0 or w.sum() <= 0:
        return float("nan"), 0.0, float("nan")
    deff = float(w.size * np.sum(w**2) / np.sum(w) ** 2)
    return deff, w.size / deff, 1 / deff


def rake(
    responses: Sequence[Response],
    targets: Sequence[Margin],
    cap: float | None = None,
    *,
    population_filter: Condition | None = None,
    in_population: Mapping[Any, bool] | None = None,
    tolerance: float = TOLERANCE,
    max_iterations: int = 1000,
    include_incomplete: bool = False,
) -> WeightingResult:
    """Rake the population's respondents to the margins; never calls a result converged it has not checked."""
    rows = usable(responses, include_incomplete)
    mask = population_mask(rows, population_filter, in_population)
    inside = [r for r, keep in zip(rows, mask, strict=True) if keep]
    columns: dict[str, list[str | None]] = {}
    missing: dict[str, int] = {}
    for margin in targets:
        mapped = map_dimension(inside, margin.mapping)
        columns[margin.dimension] = list(mapped.categories)
        missing[margin.dimension] = sum(mapped.missing.values())
    weights, report = rake_categories(
        columns,
        {m.dimension: m.shares for m in targets},
        cap,
        tolerance=tolerance,
        max_iterations=max_iterations,
    )
    ids = [r.get("id") for r in inside]
    report = _with_context(report, outside_breakdown(rows, mask, population_filter), missing)
    return WeightingResult(dict(zip(ids, (float(x) for x in weights), strict=True)), report)


def rake_questionnaire(
    responses: Sequence[Response],
    questionnaire: Questionnaire,
    reference: Reference,
    dimensions: Sequence[str] | None = None,
    cap: float | None = None,
    **options: Any,
) -> WeightingResult:
    """rake() on the questionnaire's demographic mappings, restricted to its population_filter."""
    options.setdefault("population_filter", questionnaire.population_filter)
    return rake(responses, margins(questionnaire, reference, dimensions), cap, **options)


def rake_categories(
    columns: Mapping[str, Sequence[str | None]],
    targets: Mapping[str, Mapping[str, float]],
    cap: float | None = None,
    *,
    tolerance: float = TOLERANCE,
    max_iterations: int = 1000,
) -> tuple[np.ndarray, WeightingReport]:
    """Rake rows given as one category (or None) per margin to target shares; weights have mean 1."""
    import pandas as pd
    import weightipy

    n = len(next(iter(columns.values()), []))
    messages: list[str] = []
    if n == 0 or not targets:
        messages.append(
            "Nothing to weight: no respondents in the population."
            if n == 0
            else "Nothing to weight: no margins were given."
        )
        return np.ones(n), _report(np.ones(n), [], False, "none", 0, cap, messages)
    codes, scheme = _encode(columns, targets, messages)
    rim = {"max_iterations": max_iterations, "convcrit": 1e-4}
    if cap is not None:
        if cap <= 1:
            raise ValueError(f"cap must be greater than 1 (a multiple of the mean weight), got {cap}")
        rim["cap"] = cap
    printed = io.StringIO()
    rim_scheme = weightipy.scheme_from_dict(scheme, "w", rim)
    with contextlib.redirect_stdout(printed):  # weightipy prints its convergence notes; keep them
        series = weightipy.weight(pd.DataFrame(codes), rim_scheme)
    iterations = max(int(g.get("iterations") or 0) for g in rim_scheme.groups.values())
    weights = series.to_numpy(dtype=float)
    weights = weights * n / weights.sum()
    checks = _checks(codes, targets, weights)
    worst = max(checks, key=lambda c: abs(c.error))
    converged = abs(worst.error) <= tolerance and not messages
    if abs(worst.error) > tolerance:
        messages.append(
            f"Raking did not meet the margins: {worst.dimension} '{worst.category}' is "
            f"{100 * worst.achieved:.1f}% after weighting against a target of "
            f"{100 * worst.target:.1f}% ({100 * worst.error:+.1f} points; the limit is "
            f"{100 * tolerance:.1f})."
            + (
                f" The weight cap of {cap:g} conflicts with the margins: "
                f"raise or remove the cap, or collapse categories."
                if cap is not None
                else ""
            )
        )
    if cap is not None and not converged:
        uncapped, plain = rake_categories(
            columns, targets, None, tolerance=tolerance, max_iterations=max_iterations
        )
        messages.append(
            f"Without a cap, raking {'meets' if plain.converged else 'does not meet'} every margin "
            f"with a largest weight of {plain.max_weight:.2f} (design effect {plain.deff:.2f})."
        )
    notes = [line.strip() for line in printed.getvalue().splitlines() if "onvergence" in line]
    messages += [f"weightipy: {line}" for line in notes]
    method = "weightipy rim" + (f" with cap {cap:g}" if cap is not None else "")
    return weights, _report(weights, checks, converged, method, iterations, cap, messages)


def _encode(
    columns: Mapping[str, Sequence[str | None]],
    targets: Mapping[str, Mapping[str, float]],
    messages: list[str],
) -> tuple[dict[str, np.ndarray], dict[str, dict[int, float]]]:
    """Integer codes per margin and weightipy targets; not-stated rows keep their own unweighted share."""
    import pandas as pd

    codes: dict[str, np.ndarray] = {}
    scheme: dict[str, dict[int, float]] = {}
    for dim, shares in targets.items():
        if dim not in columns:
            raise ValueError(f"no respondent categories for margin {dim!r}")
        values = pd.Series(columns[dim], dtype=object)
        col = pd.Index(list(shares), dtype=object).get_indexer(values).astype(np.int64)  # -1: not stated
        strays = sorted({str(v) for v in values[(col == NOT_STATED_CODE) & values.notna().to_numpy()]})
        if strays:
            messages.append(
                f"{dim}: categories {strays} are not in the targets; those respondents are "
                f"treated as not stated on this margin."
            )
        counts = np.bincount(col[col >= 0], minlength=len(shares))
        for (cat, share), count in zip(shares.items(), counts, strict=True):
            if share > 0 and count == 0:
                messages.append(
                    f"{dim}: no respondents in '{cat}' (population share {100 * share:.1f}%), "
                    f"so this margin cannot be met; collect responses from this group or merge it "
                    f"with a neighbouring category."
                )
        stated = float(np.mean(col != NOT_STATED_CODE))
        total = sum(shares.values())
        scheme[dim] = {i: 100 * stated * share / total for i, share in enumerate(shares.values())}
        if stated < 1:
            scheme[dim][NOT_STATED_CODE] = 100 * (1 - stated)
        codes[dim] = col
    return codes, scheme


def _checks(
    codes: Mapping[str, np.ndarray], targets: Mapping[str, Mapping[str, float]], weights: np.ndarray
) -> list[MarginCheck]:
    """Recompute every weighted margin among respondents who stated it."""
    out = []
    for dim, shares in targets.items():
        col = codes[dim]
        stated = col >= 0
        counts = np.bincount(col[stated], minlength=len(shares))
        weighted = np.bincount(col[stated], weights=weights[stated], minlength=len(shares))
        n_total, w_total = counts.sum(), weighted.sum()
        total = sum(shares.values())
        for k, (cat, share) in enumerate(shares.items()):
            out.append(
                MarginCheck(
                    dim,
                    cat,
                    int(counts[k]),
                    share / total,
                    float(counts[k] / n_total) if n_total else 0.0,
                    float(weighted[k] / w_total) if w_total else 0.0,
                )
            )
    return out


def _report(
    weights: np.ndarray,
    checks: list[MarginCheck],
    converged: bool,
    method: str,
    iterations: int,
    cap: float | None,
    messages: list[str],
) -> WeightingReport:
    deff, ess, efficiency = kish(weights)
    return WeightingReport(
        converged=converged,
        method=method,
        iterations=iterations,
        max_error=max((abs(c.error) for c in checks), default=0.0),
        checks=tuple(checks),
        respondents=int(weights.size),
        outside={},
        missing={},
        deff=deff,
        effective_n=ess,
        efficiency=efficiency,
        min_weight=float(weights.min()) if weights.size else float("nan"),
        max_weight=float(weights.max()) if weights.size else float("nan"),
        cap=cap,
        messages=tuple(messages),
    )


def _with_context(
    report: WeightingReport, outside: Mapping[str, int], missing: Mapping[str, int]
) -> WeightingReport:
    """Add who was not weighted and who did not state each margin to a report."""
    notes = [
        f"{k}: {respondents(v)} did not state this; they keep their share of the weight on this margin "
        f"and are matched on the others (no category is imputed)."
        for k, v in missing.items()
        if v
    ]
    if outside:
        notes.append(
            f"{respondents(sum(outside.values()))} outside the population are not weighted "
            f"and are reported separately."
        )
    return WeightingReport(
        **{
            **report.__dict__,
            "outside": dict(outside),
            "missing": dict(missing),
            "messages": report.messages + tuple(notes),
        }
    )
