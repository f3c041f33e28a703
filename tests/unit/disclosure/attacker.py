"""An integer-programming attacker written apart from the auditor: it reads a report's JSON as a reader
would, and the questionnaire (which is public), builds its own constraints with numpy and asks
scipy.optimize.milp for the smallest and largest value of every hidden count.

It shares no code with analysis.disclosure: its constraints come from reading the document's fields and
the questionnaire's routing directly.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array

from survey.engine.conditions import evaluate


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

    def _substituted(self, lb: np.ndarray, fixed: np.ndarray) -> list[tuple[dict[int, float], float, float]]:
        """The rows with the published values put in (rows left with no unknown are checked and dropped)."""
        rows = []
        for coefs, a, b in self.rows:
            shift, live = 0.0, {}
            for name, c in coefs.items():
                i = self.names[name]
                if fixed[i]:
                    shift += c * lb[i]
                else:
                    live[i] = live.get(i, 0.0) + c
            live = {i: c for i, c in live.items() if c != 0}
            if not live:
                assert a - 1e-6 <= shift <= b + 1e-6, ("the published figures contradict each other", coefs)
                continue
            rows.append((live, a - shift, b - shift))
        return rows

    def _bound_by_sums(self, lb: np.ndarray, ub: np.ndarray) -> None:
        """Bounds a sum or difference of counts puts on its one count not yet known, until none changes.

        A row of coefficients +1 and -1 whose other counts are known (published, or pinned by an earlier
        row) bounds the last one outright: a weighting group is the sum of its cells, whose sizes the
        reader is told, so it is pinned without a programme. Exact: the programmes have these bounds in
        their constraints already (integer counts, integer sums), so every range comes out the same.
        """
        sums = [(c, lo, hi) for c, lo, hi in self.rows if c and all(v in (1.0, -1.0) for v in c.values())]
        changed = True
        while changed:
            changed = False
            for coefs, lo, hi in sums:
                open_ = [name for name in coefs if lb[self.names[name]] != ub[self.names[name]]]
                if len(open_) != 1:
                    continue
                i = self.names[open_[0]]
                c = coefs[open_[0]]
                known = sum(v * lb[self.names[name]] for name, v in coefs.items() if name != open_[0])
                low, high = (lo - known, hi - known) if c > 0 else (known - hi, known - lo)
                low, high = max(lb[i], np.ceil(low - 1e-9)), min(ub[i], np.floor(high + 1e-9))
                assert low <= high, ("the published figures contradict each other", coefs)
                if (low, high) != (lb[i], ub[i]):
                    lb[i], ub[i] = low, high
                    changed = True

    def solve(
        self, only: set[str] | None = None, *, wide_enough: float | None = None
    ) -> dict[str, tuple[float, float]]:
        """Smallest and largest value of every hidden count (or of those in `only`).

        Published values are put in first and each count is solved with the constraints connected to it
        (an exact split: the other parts do not move it), so a large programme costs only its linked part.

        `wide_enough`: every solution found is a set of counts that fits everything published, so the
        values a count takes in them are values it can take. Once they span `wide_enough`, the count is not
        narrowed further and its range is that span (the true range is at least as wide). A count whose
        range is narrower than `wide_enough` never gets there and is always solved exactly: which counts are
        narrower than a threshold is the same answer as without it, for fewer programmes.
        """
        n = len(self.names)
        lb, ub = np.zeros(n), np.full(n, self.upper)
        for name, v in self.known.items():
            lb[self.names[name]] = ub[self.names[name]] = v
        for name, (a, b) in self.intervals.items():
            lb[self.names[name]], ub[self.names[name]] = np.ceil(a - 1e-9), np.floor(b + 1e-9)
        self._bound_by_sums(lb, ub)
        fixed = lb == ub
        rows = self._substituted(lb, fixed)
        parent = list(range(n))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for live, _, _ in rows:
            first, *rest = live
            for j in rest:
                parent[find(j)] = find(first)
        parts: dict[int, Any] = {}
        out = {}
        seen: dict[int, tuple[float, float]] = {}  # each count's values in the solutions found so far
        for name in dict.fromkeys(self.hidden):
            if only is not None and name not in only:
                continue
            i = self.names[name]
            if fixed[i]:
                out[name] = (float(lb[i]), float(lb[i]))
                continue
            root = find(i)
            if root not in parts:
                members = [k for k in range(n) if find(k) == root]
                parts[root] = _part(members, [r for r in rows if find(next(iter(r[0]))) == root], lb, ub)
            out[name] = _range(i, parts[root], seen, wide_enough)
        return out


def _range(
    i: int,
    part: tuple[dict[int, int], LinearConstraint, Bounds],
    seen: dict[int, tuple[float, float]],
    wide_enough: float | None,
) -> tuple[float, float]:
    """Smallest and largest value of count `i` in its part (see Attack.solve for `wide_enough`); every
    solution's values are added to `seen`."""
    pos, cons, bounds = part

    def solve_for(sense: float) -> float:
        objective = np.zeros(len(pos))
        objective[pos[i]] = sense
        res = milp(objective, integrality=np.ones(len(pos)), bounds=bounds, constraints=cons)
        assert res.status == 0, (i, res.message)
        for k, p in pos.items():
            v = float(round(res.x[p]))
            low, high = seen.get(k, (v, v))
            seen[k] = (min(low, v), max(high, v))
        return float(round(res.fun * sense))

    def wide(low: float, high: float) -> bool:
        return wide_enough is not None and high - low >= wide_enough

    if i in seen and wide(*seen[i]):
        return seen[i]
    low = solve_for(1.0)
    if wide(low, seen[i][1]):
        return low, seen[i][1]
    return low, solve_for(-1.0)


def _part(
    members: list[int], mine: list[tuple[dict[int, float], float, float]], lb: np.ndarray, ub: np.ndarray
) -> tuple[dict[int, int], LinearConstraint, Bounds]:
    """One connected part of the programme: its variables' positions, constraints and bounds."""
    pos = {k: p for p, k in enumerate(members)}
    data, r_idx, c_idx = [], [], []
    for r, (live, _, _) in enumerate(mine):
        for k, c in live.items():
            data.append(c)
            r_idx.append(r)
            c_idx.append(pos[k])
    shape = (max(len(mine), 1), len(members))
    cons = LinearConstraint(
        csr_array((data, (r_idx, c_idx)), shape=shape),
        np.array([r[1] for r in mine] or [-np.inf]),
        np.array([r[2] for r in mine] or [np.inf]),
    )
    return pos, cons, Bounds(lb[members], ub[members])


def attack_report(
    doc: Mapping[str, Any], questionnaire: Mapping[str, Any], *, wide_enough: float | None = 10
) -> dict[str, tuple[float, float]]:
    """Feasible range of every hidden count of the document: exact where narrower than `wide_enough` (the
    threshold the tests hold reports to), else at least that wide (Attack.solve)."""
    return build_attack(doc, questionnaire).solve(wide_enough=wide_enough)


def build_attack(doc: Mapping[str, Any], questionnaire: Mapping[str, Any]) -> Attack:
    """The attacker's integer programme for the document, not yet solved (others add to it)."""
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
    published = {(lk["question"], lk.get("parent")) for lk in (doc.get("disclosure") or {}).get("links", [])}
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
    _combinations(a, doc, questionnaire, by_id, section_of)
    return a


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


def _condition_of(definition: Mapping[str, Any], section: Mapping[str, Any]) -> Any:
    own, sect = definition.get("show_if"), section.get("show_if")
    return {"all": [sect, own]} if own and sect else (own or sect)


def _read(condition: Any) -> set[str]:
    if not isinstance(condition, Mapping):
        return set()
    subs = (
        condition.get("all") or condition.get("any") or ([condition["not"]] if "not" in condition else None)
    )
    if subs is not None:
        return set().union(*(_read(c) for c in subs))
    return {str(condition.get("q"))}


def _combinations(
    a: Attack,
    doc: Mapping[str, Any],
    questionnaire: Mapping[str, Any],
    by_id: Mapping[str, Any],
    section_of: Mapping[str, Any],
) -> None:
    """Routed questions the report lists with a whole condition: one count per combination of every
    answer to the questions the conditions read (and the questions those are asked under), the
    combinations the questionnaire rules out left out; counts and routed bases are sums of them."""
    listed = [lk["question"] for lk in (doc.get("disclosure") or {}).get("links", []) if lk.get("condition")]
    groups: list[tuple[list[str], list[str]]] = []  # (parents, routed questions): those sharing a parent
    for q in listed:
        parents: list[str] = []
        todo = [_condition_of(by_id[q], section_of[q])]
        while todo:
            for p in sorted(_read(todo.pop())):
                if p not in parents:
                    parents.append(p)
                    todo.append(_condition_of(by_id[p], section_of[p]))
        routed = [q]
        for g in [g for g in groups if set(g[0]) & set(parents)]:
            groups.remove(g)
            parents += [p for p in g[0] if p not in parents]
            routed = g[1] + routed
        groups.append((parents, routed))
    for k, (parents, routed) in enumerate(groups):
        people = f"combinations {k}: respondents"  # each group's own: not every respondent answers everything
        a.names.setdefault(people, len(a.names))
        _combination_group(a, k, parents, routed, people, by_id, section_of)


def _combos(
    parents: list[str], by_id: Mapping[str, Any], section_of: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Every combination of answers to the parents the questionnaire's routing allows."""
    states = []
    for p in parents:
        codes = [o["code"] for o in by_id[p]["options"]]
        if by_id[p]["type"] == "single":
            states.append([None, *codes])
        else:
            subsets = [list(c) for r in range(1, len(codes) + 1) for c in itertools.combinations(codes, r)]
            states.append([None, *subsets])
    conditions = {p: _condition_of(by_id[p], section_of[p]) for p in parents}

    def allowed(p: str, answers: Mapping[str, Any]) -> bool:
        asked = conditions[p] is None or evaluate(conditions[p], answers)
        required = by_id[p].get("required", True)
        return not ((p in answers and not asked) or (p not in answers and asked and required))

    combos = []
    for values in itertools.product(*states):
        answers = {p: v for p, v in zip(parents, values, strict=True) if v is not None}
        if all(allowed(p, answers) for p in parents):
            combos.append(answers)
    return combos


def _combination_group(
    a: Attack,
    k: int,
    parents: list[str],
    listed: list[str],
    people: str,
    by_id: Mapping[str, Any],
    section_of: Mapping[str, Any],
) -> None:
    combos = _combos(parents, by_id, section_of)
    names = [f"combination {k}.{i}" for i in range(len(combos))]
    for name in names:
        a.names.setdefault(name, len(a.names))
    a.row({**dict.fromkeys(names, 1.0), people: -1.0}, 0.0, 0.0)
    for p in parents:
        if f"{p}|base" not in a.names:
            continue
        a.row({**{n: 1.0 for n, c in zip(names, combos, strict=True) if p in c}, f"{p}|base": -1.0}, 0.0, 0.0)
        for o in by_id[p]["options"]:
            code = o["code"]
            chose = [
                n
                for n, c in zip(names, combos, strict=True)
                if c.get(p) == code or (isinstance(c.get(p), list) and code in c[p])
            ]
            if f"{p}|{code}" in a.names:
                a.row({**dict.fromkeys(chose, 1.0), f"{p}|{code}": -1.0}, 0.0, 0.0)
    for q in listed:
        met = [
            n
            for n, c in zip(names, combos, strict=True)
            if evaluate(_condition_of(by_id[q], section_of[q]), c)
        ]
        hi = 0.0 if by_id[q].get("required", True) and by_id[q]["type"] != "rating" else np.inf
        if f"{q}|base" in a.names:
            a.row({**dict.fromkeys(met, 1.0), f"{q}|base": -1.0}, 0.0, hi)


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
