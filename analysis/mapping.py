"""Map respondents onto reference categories through a questionnaire's demographic mappings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from survey.engine import DemographicMapping, evaluate, questions_in
from survey.engine.model import NOT_ANSWERED, NOT_STATED, UNMAPPED, Condition

__all__ = [
    "NOT_ANSWERED",
    "NOT_STATED",
    "REASONS",
    "UNMAPPED",
    "MappedDimension",
    "MappingError",
    "map_all",
    "map_dimension",
    "outside_breakdown",
    "population_mask",
    "usable",
]

Response = Mapping[str, Any]

# Why a respondent has no category (the rule is the engine's DemographicMapping.categorise):
# not answered (skipped, hidden, left empty); not stated (prefer not to say); unmapped (outside every range)
REASONS = (NOT_ANSWERED, NOT_STATED, UNMAPPED)


class MappingError(ValueError):
    """Respondents cannot be mapped as asked: a dimension without a mapping, a response without its place."""


@dataclass(frozen=True)
class MappedDimension:
    """Each respondent's category on one dimension (None with a reason when it cannot be known)."""

    dimension: str
    question: str
    categories: tuple[str | None, ...]
    reasons: tuple[str | None, ...]

    @property
    def counts(self) -> Counter[str]:
        """Respondents per category (mapped respondents only)."""
        return Counter(c for c in self.categories if c is not None)

    @property
    def missing(self) -> dict[str, int]:
        """Respondents without a category, by reason (every reason present, zero when none)."""
        got = Counter(r for r in self.reasons if r is not None)
        return {reason: got.get(reason, 0) for reason in REASONS}


def usable(responses: Sequence[Response], include_incomplete: bool = False) -> list[Response]:
    """Complete responses (a response without a status counts as complete), or all when asked."""
    if include_incomplete:
        return list(responses)
    return [r for r in responses if r.get("status", "complete") == "complete"]


def population_mask(
    responses: Sequence[Response],
    population_filter: Condition | None = None,
    in_population: Mapping[Any, bool] | None = None,
) -> tuple[bool, ...]:
    """Which responses belong to the reference population: given per id, or by evaluating the filter."""
    if in_population is not None:
        missing = [r.get("id") for r in responses if r.get("id") not in in_population]
        if missing:
            raise MappingError(f"in_population has no entry for response id(s) {missing[:5]}")
        return tuple(bool(in_population[r.get("id")]) for r in responses)
    if population_filter is None:
        return tuple(True for _ in responses)
    return tuple(evaluate(population_filter, r.get("answers") or {}) for r in responses)


def outside_breakdown(
    responses: Sequence[Response], mask: Sequence[bool], population_filter: Condition | None
) -> dict[str, int]:
    """Respondents outside the population, by their answer to the filter's first question."""
    outside = [r for r, inside in zip(responses, mask, strict=True) if not inside]
    names = questions_in(population_filter) if population_filter else []
    if not names:
        return {"outside the population": len(outside)} if outside else {}
    counts = Counter(str((r.get("answers") or {}).get(names[0], "not answered")) for r in outside)
    return dict(counts.most_common())


def map_dimension(responses: Sequence[Response], mapping: DemographicMapping) -> MappedDimension:
    """Map every response onto the categories of one demographic mapping ("map" or "ranges").

    The mapping rule is the engine's (`DemographicMapping.categorise`), so the web, reports and weighting
    agree on every respondent's category.
    """
    question = mapping.question
    seen: dict[tuple[type, Any], tuple[str | None, str | None]] = {}  # answers repeat: categorise each once
    pairs = []
    for r in responses:
        answer = (r.get("answers") or {}).get(question)
        try:
            key = (type(answer), answer)  # the type too: 1 and True are equal keys, not equal answers
            pair = seen.get(key)
            if pair is None:
                pair = seen[key] = mapping.categorise(answer)
        except TypeError:  # a list (several boxes ticked) is not hashable
            pair = mapping.categorise(answer)
        pairs.append(pair)
    return MappedDimension(
        mapping.dimension, question, tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)
    )


def map_all(
    responses: Sequence[Response],
    mappings: Sequence[DemographicMapping],
    dimensions: Sequence[str] | None = None,
) -> dict[str, MappedDimension]:
    """Map responses on every mapping (or only the named dimensions), keyed by dimension."""
    chosen = [m for m in mappings if dimensions is None or m.dimension in dimensions]
    if dimensions is not None:
        absent = [d for d in dimensions if d not in {m.dimension for m in chosen}]
        if absent:
            raise MappingError(f"the questionnaire has no demographic mapping for: {', '.join(absent)}")
    return {m.dimension: map_dimension(responses, m) for m in chosen}


def respondents(n: int) -> str:
    """ "1 respondent", "8 respondents": a count of people in an English note (never "respondent(s)")."""
    return f"{n} respondent" if n == 1 else f"{n} respondents"
