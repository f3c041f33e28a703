"""A reader who knows the weights: the report attacker (attacker.py) plus every weighted figure.

The weights of a raked survey are a function of each respondent's weighting cell (their age group, sex and
tenure group), so a reader who rebuilt them from the census margins, or was given them, knows one weight
per cell. A weighted share p of an answer k (to half a unit h of its last decimal) then says

    (p - h) * sum_g w_g r_g  <=  sum_g w_g n_gk  <=  (p + h) * sum_g w_g r_g

where n_gk is the number of the answer's respondents in cell g and r_g the number of the table's
respondents in it: linear in unknown integer counts the attacker adds, one per cell and answer. The cells'
sizes J_g add up to the weighting questions' counts (the tables' cells mapped to each group) and the
profile's group counts; with `sizes` the attacker is told them outright. `tables`: use the weighted
figures of only these questions (an attack that pins a count with less knows enough); `raking`: use
the census shares raking met. Raking met the census shares,
which the report prints: sum over a group of w_g J_g is that share of the weighted total (to `margin`).

Written apart from analysis.disclosure, like attacker.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from tests.unit.disclosure.attacker import Attack, build_attack


def weighted_attack(
    doc: Mapping[str, Any],
    questionnaire: Mapping[str, Any],
    cells: Sequence[tuple[Mapping[str, str | None], float]],
    *,
    sizes: Sequence[int] | None = None,
    margin: float = 0.001,
    tables: set[str] | None = None,
    raking: bool = True,
) -> Attack:
    """The attack with the weights (`cells`: each cell's group per weighting dimension and its weight)."""
    a = build_attack(doc, questionnaire)
    by_id = {str(q["id"]): (q, s) for s in questionnaire["sections"] for q in s["questions"]}
    dims = {m["dimension"]: m for m in questionnaire.get("demographics", [])}
    margins = [d for d in doc["weighting"]["margins"] if d in dims]

    def var(name: str, upper: float | None = None) -> str:
        a.names.setdefault(name, len(a.names))
        if upper is not None:
            a.row({name: 1.0}, 0.0, upper)
        return name

    sizes_vars = [var(f"weighting cell {g}") for g in range(len(cells))]
    everyone = var("weighting cells: respondents")
    a.row({**dict.fromkeys(sizes_vars, 1.0), everyone: -1.0}, 0.0, 0.0)
    if sizes is not None:
        for v, size in zip(sizes_vars, sizes, strict=True):
            a.row({v: 1.0}, size, size)
    for d in margins:
        _cells_to_tables(a, doc, dims[d], d, cells, sizes_vars, everyone, margin if raking else None)
    for q in doc["questions"]:
        if not any(r.get("weighted_share") is not None for r in q["rows"]) and q.get("weighted_base") is None:
            continue
        if q.get("weighted_base") == 0:
            continue  # respondents outside the population (businesses): not weighted
        if tables is not None and q["id"] not in tables:
            continue  # an attack using only some of what it knows
        _weighted_table(a, q, by_id, dims, margins, cells, sizes_vars, everyone, var)
    return a


def _cells_to_tables(
    a: Attack,
    doc: Mapping[str, Any],
    m: Mapping[str, Any],
    d: str,
    cells: Sequence[tuple[Mapping[str, str | None], float]],
    sizes_vars: Sequence[str],
    everyone: str,
    margin: float | None,
) -> None:
    """The cells' sizes add up to the weighting question's counts and the profile's group counts; raking
    met the census shares (to `margin`; None: not used)."""
    weights = [w for _, w in cells]
    question = str(m.get("question"))
    groups = {c.get(d) for c, _ in cells}
    if "map" in m and any(q["id"] == question and not q.get("item") for q in doc["questions"]):
        for cat in groups:
            in_cell = [v for v, (c, _) in zip(sizes_vars, cells, strict=True) if c.get(d) == cat]
            codes = [code for code, to in m["map"].items() if to == cat]
            coefs = {**dict.fromkeys(in_cell, 1.0), **{f"{question}|{code}": -1.0 for code in codes}}
            if cat is None:  # not stated: the unmapped answers and those who did not answer
                coefs = {**coefs, everyone: coefs.get(everyone, 0.0) - 1.0, f"{question}|base": 1.0}
            a.row(coefs, 0.0, 0.0)
    for cat in groups:
        group = f"profile:{d}|{cat}"
        if cat is not None and group in a.names:
            in_cell = [v for v, (c, _) in zip(sizes_vars, cells, strict=True) if c.get(d) == cat]
            a.row({**dict.fromkeys(in_cell, 1.0), group: -1.0}, 0.0, 0.0)
    shares = {
        r["category"]: r["population_share"]
        for dim in doc["profile"]
        if dim["dimension"] == d
        for r in dim["rows"]
    }
    stated = {v: w for v, (c, _), w in zip(sizes_vars, cells, weights, strict=True) if c.get(d) is not None}
    for cat, p in shares.items() if margin is not None else ():
        own = {v: w for v, (c, _), w in zip(sizes_vars, cells, weights, strict=True) if c.get(d) == cat}
        if not own:
            continue
        low = {v: own.get(v, 0.0) - (p - margin) * w for v, w in stated.items()}
        high = {v: own.get(v, 0.0) - (p + margin) * w for v, w in stated.items()}
        a.row(low, 0.0, np.inf)
        a.row(high, -np.inf, 0.0)


def _weighted_table(
    a: Attack,
    q: Mapping[str, Any],
    by_id: Mapping[str, Any],
    dims: Mapping[str, Any],
    margins: Sequence[str],
    cells: Sequence[tuple[Mapping[str, str | None], float]],
    sizes_vars: Sequence[str],
    everyone: str,
    var: Any,
) -> None:
    prefix = q["id"] + (f"/{q['item']}" if q.get("item") else "")
    definition, section = by_id[q["id"]]
    fixed = {d: dims[d]["map"] for d in margins if dims[d].get("question") == q["id"] and "map" in dims[d]}
    codes = [r["code"] for r in q["rows"]]
    respondents = []
    weighted = {}
    for g, (c, w) in enumerate(cells):
        r = var(f"{prefix}|weighting cell {g}: respondents")
        respondents.append(r)
        a.row({r: 1.0, sizes_vars[g]: -1.0}, -np.inf, 0.0)
        asked_of_all = not (definition.get("show_if") or section.get("show_if"))
        if asked_of_all and definition.get("required", True) and q["type"] != "rating":
            a.row({r: 1.0, sizes_vars[g]: -1.0}, 0.0, 0.0)
        ns = []
        for code in codes:
            if any(m.get(code) != c.get(d) for d, m in fixed.items()):
                continue  # a weighting question's answer fixes the cell's group
            n = var(f"{prefix}|weighting cell {g}|{code}")
            ns.append(n)
            weighted.setdefault(code, {})[n] = w
            if q["type"] == "multiple":
                a.row({n: 1.0, r: -1.0}, -np.inf, 0.0)
        if q["type"] == "multiple":
            a.row({**dict.fromkeys(ns, 1.0), r: -1.0}, 0.0, np.inf)
        else:
            a.row({**dict.fromkeys(ns, 1.0), r: -1.0}, 0.0, 0.0)
    for code in codes:
        a.row({**dict.fromkeys(weighted.get(code, {}), 1.0), f"{prefix}|{code}": -1.0}, 0.0, 0.0)
    a.row({**dict.fromkeys(respondents, 1.0), f"{prefix}|base": -1.0}, 0.0, 0.0)
    total = {r: w for r, (_, w) in zip(respondents, cells, strict=True)}
    shares = [r["weighted_share"] for r in q["rows"] if r.get("weighted_share") is not None]
    h = 0.005 + 1e-9 if all(round(s, 2) == s for s in shares) else 0.00005 + 1e-9
    if q.get("weighted_base") is not None:
        base = float(q["weighted_base"])
        half = 0.5 if base == round(base) else 0.005
        a.row(total, base - half - 1e-9, base + half + 1e-9)
    for row in q["rows"]:
        p = row.get("weighted_share")
        if p is None:
            continue
        own = weighted.get(row["code"], {})
        a.row({**own, **{r: -(p + h) * w for r, w in total.items()}}, -np.inf, 0.0)
        a.row({**own, **{r: -(p - h) * w for r, w in total.items()}}, 0.0, np.inf)
