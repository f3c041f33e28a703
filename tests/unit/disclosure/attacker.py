"""An integer-programming attacker written apart from the auditor: it reads a report's JSON as a reader
would, and the questionnaire (which is public), builds its own constraints with numpy and asks
scipy.optimize.milp for the smallest and largest value of every hidden count.

It shares no code with analysis.disclosure: its constraints come from reading the document's fields and
the questionnaire's routing directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp


class Attack:
    def __init__(self, upper: float) -> None:
        self.names: dict[str, int] = {}
        self.hidden: list[str] = []
        self.known: dict[str, float] = {}
        self.intervals: dict[str, tuple[float, float]] = {}
        self.rows: list[tuple[dict[str, float], float, float]] = []
        self.upper = upper

    def add(self, name: str, value: Any, rounding: int | None = None) -> str:
        self.names.setdefault(name, len(self.names))
        if value is None:
            self.hidden.append(name)
        elif rounding:
            self.intervals[name] = (max(0.0, value - rounding / 2), value + rounding / 2)
        else:
            self.known[name] = float(value)
        return name

    def row(self, coefs: dict[str, float], lo: float, hi: float) -> None:
        self.rows.append((coefs, lo, hi))

    def solve(self) -> dict[str, tuple[float, float]]:
        n = len(self.names)
        lb, ub = np.zeros(n), np.full(n, self.upper)
        for name, v in self.known.items():
            lb[self.names[name]] = ub[self.names[name]] = v
        for name, (a, b) in self.intervals.items():
            lb[self.names[name]], ub[self.names[name]] = np.ceil(a - 1e-9), np.floor(b + 1e-9)
        matrix = np.zeros((max(len(self.rows), 1), n))
        lo, hi = np.full(max(len(self.rows), 1), -np.inf), np.full(max(len(self.rows), 1), np.inf)
        for r, (coefs, a, b) in enumerate(self.rows):
            for name, c in coefs.items():
                matrix[r, self.names[name]] += c
            lo[r], hi[r] = a, b
        cons = LinearConstraint(matrix, lo, hi)
        out = {}
        for name in dict.fromkeys(self.hidden):
            objective = np.zeros(n)
            objective[self.names[name]] = 1
            low = milp(objective, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons)
            high = milp(-objective, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons)
            assert low.status == 0 and high.status == 0, (name, low.message, high.message)
            out[name] = (round(low.fun), round(-high.fun))
        return out


def attack_report(doc: Mapping[str, Any], questionnaire: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Feasible range of every hidden count of the document."""
    total = doc["headline"]["complete"]
    started = doc["headline"]["started"]
    a = Attack(float(started))
    a.add("complete", total)
    rounding = (doc.get("disclosure") or {}).get("rounding")
    digits = (doc.get("disclosure") or {}).get("share_decimals") or 4
    half = 0.5 * 10.0**-digits + 1e-9
    by_id = {str(q["id"]): q for s in questionnaire["sections"] for q in s["questions"]}
    # Each table has its own population (issue 13), so routing only ties two tables where the report says it
    # does: the attacker reads the routing from the questionnaire and uses it where the report lists it.
    published = {(lk["question"], lk["parent"]) for lk in (doc.get("disclosure") or {}).get("links", [])}
    section_of = {str(q["id"]): s for s in questionnaire["sections"] for q in s["questions"]}

    def table(prefix: str, base: Any, cells: list[tuple[str, Any, Any]], kind: str) -> None:
        b = a.add(f"{prefix}|base", base, rounding)
        names = []
        for code, count, share in cells:
            name = a.add(f"{prefix}|{code}", count, rounding)
            names.append(name)
            if share is not None:
                a.row({name: 1.0, b: -(share + half)}, -np.inf, 0.0)
                a.row({name: 1.0, b: -(share - half)}, 0.0, np.inf)
            if kind == "multiple":
                a.row({name: 1.0, b: -1.0}, -np.inf, 0.0)
        if kind == "single":
            a.row({**dict.fromkeys(names, 1.0), b: -1.0}, 0.0, 0.0)
        if kind == "multiple" and not prefix.startswith("themes:"):  # everyone who answered chose one
            a.row({**dict.fromkeys(names, 1.0), b: -1.0}, 0.0, np.inf)
        a.row({b: 1.0, "complete": -1.0}, -np.inf, 0.0)

    for q in doc["questions"]:
        prefix = q["id"] + (f"/{q['item']}" if q.get("item") else "")
        kind = "multiple" if q["type"] == "multiple" else "single"
        table(prefix, q["base"], [(r["code"], r["count"], r["share"]) for r in q["rows"]], kind)
        _routing(a, prefix, by_id[q["id"]], section_of[q["id"]], by_id, published)
    _other_tables(a, doc, table)
    _tallies(a, doc, rounding)
    _flags(a, doc, questionnaire)
    return a.solve()


def _routing(
    a: Attack,
    prefix: str,
    definition: Mapping[str, Any],
    section: Mapping[str, Any],
    by_id: Mapping[str, Any],
    published: set[tuple[Any, Any]],
) -> None:
    """A required question asked of everyone has every complete response as its base; one asked on a
    single-choice answer has that answer's count as its base (at most, when optional); each only where the
    report lists the link as true of its tables."""
    cond = definition.get("show_if") or section.get("show_if")
    required = definition.get("required", True)
    if cond is None and required and (prefix.split("/")[0], None) in published:
        a.row({f"{prefix}|base": 1.0, "complete": -1.0}, 0.0, 0.0)
    elif (
        isinstance(cond, dict)
        and cond.get("op") == "equals"
        and not (definition.get("show_if") and section.get("show_if"))
    ):
        parent = f"{cond['q']}|{cond['value']}"
        listed = (prefix, cond["q"]) in published
        if parent in a.names and by_id[cond["q"]]["type"] == "single" and listed:
            hi = 0.0 if required else np.inf
            a.row({parent: 1.0, f"{prefix}|base": -1.0}, 0.0, hi)


def _tallies(a: Attack, doc: Mapping[str, Any], rounding: int | None) -> None:
    """Channels and modes add up to the complete count, started at least complete; so do the days."""
    for part in ("channels", "modes"):
        names = []
        for t in doc[part]:
            c = a.add(f"{part}:{t['name']}|complete", t["complete"], rounding)
            s = a.add(f"{part}:{t['name']}|started", t["started"], rounding)
            a.row({s: 1.0, c: -1.0}, 0.0, np.inf)
            names.append(c)
        if names:
            a.row({**dict.fromkeys(names, 1.0), "complete": -1.0}, 0.0, 0.0)
    days = [a.add(f"day:{d['day']}", d["complete"], rounding) for d in doc["progress"]]
    if days:
        a.row({**dict.fromkeys(days, 1.0), "complete": -1.0}, 0.0, 0.0)


def _other_tables(a: Attack, doc: Mapping[str, Any], table: Any) -> None:
    for n in doc["numbers"]:
        table(f"number:{n['id']}", n["base"], [tuple(b) for b in n["bands"]], "single")
    for block in doc["themes"]:
        table(
            f"themes:{block['question']}",
            block["answered"],
            [(t["id"], t["respondents"], t["share"]) for t in block["themes"]],
            "multiple",
        )


def _flags(a: Attack, doc: Mapping[str, Any], questionnaire: Mapping[str, Any]) -> None:
    """Representation flags (docs/reports.md: index 100·(c/n)/P below 80 under, above 120 over) on group
    counts: the sum of the mapped answers' cells where the report says the profile counts the same people
    as the question's table, else a count of its own (then audited too)."""
    disclosure = doc.get("disclosure") or {}
    listed = {lk["dimension"] for lk in disclosure.get("profile_links", [])}
    mappings = {m["dimension"]: m for m in questionnaire.get("demographics", [])}
    h = 0.00005 + 1e-9  # population shares are shown to 4 places
    for dim in doc["profile"]:
        rows = [r for r in dim["rows"] if r["flag"] in ("under", "fine", "over")]
        if not rows:
            continue
        d = dim["dimension"]
        n = a.add(f"profile:{d}|n", dim["respondents"])
        a.hidden = [x for x in a.hidden if x != n]  # the dimension's respondents: not a small count
        mapping = mappings.get(d, {})
        groups = []
        for r in dim["rows"]:
            c = f"profile:{d}|{r['category']}"
            codes = [code for code, cat in (mapping.get("map") or {}).items() if cat == r["category"]]
            cells = [f"{mapping.get('question')}|{code}" for code in codes]
            if d in listed and all(x in a.names for x in cells):
                a.names.setdefault(c, len(a.names))
                a.row({**dict.fromkeys(cells, 1.0), c: -1.0}, 0.0, 0.0)
            else:
                a.add(c, r["respondents"])
            groups.append(c)
            p = r["population_share"]
            if r["flag"] == "under":
                a.row({c: 1.0, n: -0.8 * (p + h)}, -np.inf, 0.0)
            elif r["flag"] == "fine":
                a.row({c: 1.0, n: -1.2 * (p + h)}, -np.inf, 0.0)
                a.row({c: 1.0, n: -0.8 * max(p - h, 0.0)}, 0.0, np.inf)
            elif r["flag"] == "over":
                a.row({c: 1.0, n: -1.2 * max(p - h, 0.0)}, 0.0, np.inf)
        a.row({**dict.fromkeys(groups, 1.0), n: -1.0}, 0.0, 0.0)
