"""What a reader who knows the weights knows: one weight per weighting cell of the report's respondents.

Worked out from the responses as the report weighed them (the worst case: the weights given outright), for
the attackers in test_weighted_attack.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from analysis.reference import reference_name_for, resolve_reference
from analysis.report.build import as_of_view, population
from analysis.report.profile import weigh
from survey.engine import load_dict


def _group(mapping: Mapping[str, Any], answer: Any) -> str | None:
    if "map" in mapping:
        return mapping["map"].get(answer) if isinstance(answer, str) else None
    if not isinstance(answer, int | float) or isinstance(answer, bool):
        return None
    for r in mapping.get("ranges", []):
        if answer >= r["min"] and (r.get("max") is None or answer <= r["max"]):
            return str(r["category"])
    return None


def weighting_cells(
    questionnaire: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], as_of: date
) -> tuple[list[tuple[dict[str, str | None], float]], list[int]]:
    """Each weighting cell's group per weighting dimension with its weight, and its respondents."""
    view = as_of_view(rows, as_of)
    inside = population(view, load_dict(questionnaire))
    result, weighting = weigh(
        view, questionnaire, resolve_reference(reference_name_for(questionnaire)), None, 5.0, inside
    )
    assert result is not None and weighting.applied
    dims = {m["dimension"]: m for m in questionnaire["demographics"] if m["dimension"] in weighting.margins}
    cells: dict[tuple[str | None, ...], list[float]] = {}
    for r in view:
        if r["id"] not in result.weights:
            continue
        key = tuple(_group(m, r["answers"].get(m["question"])) for m in dims.values())
        cells.setdefault(key, []).append(result.weights[r["id"]])
    out, sizes = [], []
    for key, ws in sorted(cells.items(), key=lambda kv: str(kv[0])):
        assert max(ws) - min(ws) < 1e-9, key  # raking weights are one per cell
        out.append((dict(zip(dims, key, strict=True)), ws[0]))
        sizes.append(len(ws))
    return out, sizes
