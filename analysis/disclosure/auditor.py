"""The auditor: how narrowly can a reader pin down each hidden count from what an output shows?

A `System` holds one integer variable per count (hidden or shown) and every published figure as a linear
constraint `lo <= sum(coef * var) <= hi`: a shown count is `x = c`, a rounded count `c - b/2 <= x <= c + b/2`,
a percentage p of a base n (rounded to d places) `n*(p - h) <= x <= n*(p + h)`, a total `sum(x) = T`.
`audit` solves, for every hidden variable, its smallest and largest integer value consistent with all of
them (scipy.optimize.milp, i.e. the HiGHS branch-and-bound solver) and reports the feasible range.

Speed: shown counts are substituted out; the variables split into independent groups (connected through
constraints) and a group without hidden variables is never solved; every solution the solver returns is a
witness for all the other hidden variables of its group, so a variable whose witnesses already span the
threshold needs no further solve.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


from survey.engine.lru import LRU

INF = math.inf
EPS = 1e-7  # slack for figures printed with a finite number of decimals


class InconsistentFigures(ValueError):
    """The published figures admit no non-negative integer counts at all (a typo or a tampered file)."""


@dataclass(frozen=True)
class CellRange:
    """The feasible integer range of one hidden count."""

    name: str
    low: float
    high: float
    group: int = -1  # the independent group of counts it was solved in (linked through constraints)

    @property
    def width(self) -> float:
        """high - low (infinite when nothing bounds the count from above)."""
        return self.high - self.low

    def narrower_than(self, threshold: int) -> bool:
        """Whether the range is narrower than the threshold (a disclosure)."""
        return self.width < threshold

    def __str__(self) -> str:
        high = "∞" if self.high == INF else f"{self.high:g}"
        return f"{self.name}: {self.low:g}–{high}"


@dataclass
class System:
    """Variables (counts) and the linear constraints a reader can build from an output."""

    names: list[str] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    hidden: set[int] = field(default_factory=set)
    index: dict[str, int] = field(default_factory=dict)

    def var(self, name: str, *, hidden: bool = False, upper: float = INF) -> str:
        """Declare (or look up) a count variable; `hidden` marks it for auditing."""
        i = self.index.get(name)
        if i is None:
            i = self.index[name] = len(self.names)
            self.names.append(name)
            self.upper.append(upper)
        else:
            self.upper[i] = min(self.upper[i], upper)
        if hidden:
            self.hidden.add(i)
        return name

    def constrain(self, coefs: Mapping[str, float], lo: float = -INF, hi: float = INF) -> None:
        """lo <= sum(coef * var) <= hi (variables are declared on first use)."""
        row: dict[int, float] = {}
        for name, coef in coefs.items():
            i = self.index[name] if name in self.index else self.index[self.var(name)]
            row[i] = row.get(i, 0.0) + coef
        self.rows.append((row, lo, hi))

    def equal(self, coefs: Mapping[str, float], value: float) -> None:
        """sum(coef * var) = value."""
        self.constrain(coefs, value, value)

    def fix(self, name: str, value: float) -> None:
        """A shown count: var = value."""
        self.var(name)
        self.equal({name: 1.0}, value)

    def between(self, name: str, lo: float, hi: float) -> None:
        """A count known to lie in [lo, hi] (rounded, or a percentage of a known base)."""
        self.var(name)
        self.constrain({name: 1.0}, lo, hi)

    def share(self, count: str, base: str, share: float, half_step: float) -> None:
        """count / base shown as `share` to within +-half_step: (share-h)*base <= count <= (share+h)*base."""
        self.constrain({count: 1.0, base: -(share + half_step + EPS)}, hi=0.0)
        self.constrain({count: 1.0, base: -(share - half_step - EPS)}, lo=0.0)


GroupKey = tuple[object, ...]


class SolvedGroups(MutableMapping[GroupKey, list[CellRange]]):
    """A memo for `audit` kept across calls (a process's requests and report builds): the least recently
    used solved groups go first past `size` ranges in all, each group under a digest of its key (the key
    itself can hold a group's every constraint). The same programme gives the same answer, so an output
    audited again (the partner page on each visit, a partner report made in another format) solves only
    what changed.
    """

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self._solved: LRU[bytes, list[CellRange]] = LRU(size, weight=len)

    @property
    def ranges(self) -> int:
        """The ranges kept, in all groups."""
        return self._solved.size

    @staticmethod
    def _digest(key: GroupKey) -> bytes:
        return hashlib.blake2b(repr(key).encode(), digest_size=20).digest()

    def __getitem__(self, key: GroupKey) -> list[CellRange]:
        found = self._solved.get(self._digest(key))
        if found is None:
            raise KeyError(key)
        return list(found)

    def __setitem__(self, key: GroupKey, value: list[CellRange]) -> None:
        self._solved.put(self._digest(key), list(value))

    def __delitem__(self, key: GroupKey) -> None:
        if self._solved.pop(self._digest(key)) is None:
            raise KeyError(key)

    def __iter__(self) -> Iterator[GroupKey]:
        raise TypeError("a SolvedGroups memo keeps digests of its keys, not the keys")

    def __len__(self) -> int:
        return len(self._solved)


SOLVED = SolvedGroups()  # this process's solved groups, for callers that audit the same outputs again


def audit(
    system: System,
    threshold: int,
    *,
    names: Iterable[str] | None = None,
    memo: MutableMapping[GroupKey, list[CellRange]] | None = None,
) -> list[CellRange]:
    """The feasible range of every hidden variable (or of `names`), solved per independent group.

    Ranges already proved at least `threshold` wide by witnesses are not narrowed further, so a returned
    range is exact only when it is narrower than the threshold (the case that matters); otherwise it is a
    range the solver proved feasible at both ends. Raises InconsistentFigures when no counts fit.

    `memo`: a dict kept by a caller that audits one output round after round, changing a little each time
    (protect_flags): a group whose variables, bounds and constraints are exactly those of a group already
    solved gets that group's ranges again without solving (the same programme gives the same answer).
    SOLVED is such a memo kept across calls.
    """
    wanted = {system.index[n] for n in names} if names is not None else set(system.hidden)
    if not wanted:
        return []
    lower, upper, rows = _substitute(system)
    out: list[CellRange] = []
    for k, (group_vars, group_rows) in enumerate(_groups(len(system.names), rows, wanted)):
        key = (
            _group_key(system, group_vars, group_rows, lower, upper, wanted, threshold)
            if memo is not None
            else ()
        )
        found = memo.get(key) if memo is not None else None
        if found is None:
            found = _audit_group(system, group_vars, group_rows, lower, upper, wanted, threshold)
            if memo is not None:
                memo[key] = found
        out.extend(CellRange(r.name, r.low, r.high, k) for r in found)
    return sorted(out, key=lambda r: system.index[r.name])


def _group_key(
    system: System,
    variables: list[int],
    rows: list[tuple[dict[int, float], float, float]],
    lower: np.ndarray,
    upper: np.ndarray,
    wanted: set[int],
    threshold: int,
) -> GroupKey:
    """Everything _audit_group reads of one group, by variable name, in the order it reads it."""
    name = system.names
    return (
        threshold,
        tuple(name[i] for i in variables),
        tuple(float(lower[i]) for i in variables),
        tuple(float(upper[i]) for i in variables),
        tuple(name[i] for i in variables if i in wanted),
        tuple((tuple((name[i], c) for i, c in row.items()), a, b) for row, a, b in rows),
    )


def feasible(system: System) -> bool:
    """Whether any non-negative integer counts fit every constraint of the system."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    try:
        lower, upper, rows = _substitute(system)
    except InconsistentFigures:
        return False
    if not rows:
        return True
    used = sorted({i for row, _, _ in rows for i in row})
    pos = {v: k for k, v in enumerate(used)}
    data, r_idx, c_idx = [], [], []
    for r, (row, _, _) in enumerate(rows):
        for i, c in row.items():
            r_idx.append(r)
            c_idx.append(pos[i])
            data.append(c)
    matrix = csr_array((data, (r_idx, c_idx)), shape=(len(rows), len(used)))
    constraint = LinearConstraint(matrix, np.array([r[1] for r in rows]), np.array([r[2] for r in rows]))
    res = milp(
        np.zeros(len(used)),
        integrality=np.ones(len(used)),
        bounds=Bounds(lower[used], upper[used]),
        constraints=constraint,
    )
    return bool(res.status != 2)


def _substitute(system: System) -> tuple[np.ndarray, np.ndarray, list[tuple[dict[int, float], float, float]]]:
    """Bounds from single-variable constraints (shown counts become fixed), other rows kept."""
    import numpy as np

    n = len(system.names)
    lower = np.zeros(n)
    upper = np.array(system.upper, dtype=float)
    rows = []
    for row, lo, hi in system.rows:
        live = {i: c for i, c in row.items() if c != 0}
        if len(live) == 1:
            ((i, c),) = live.items()
            a, b = (lo / c, hi / c) if c > 0 else (hi / c, lo / c)
            lower[i] = max(lower[i], math.ceil(a - 1e-6) if a != -INF else lower[i])
            upper[i] = min(upper[i], math.floor(b + 1e-6) if b != INF else upper[i])
        elif live:
            rows.append((live, lo, hi))
    if np.any(lower > upper):
        bad = [system.names[i] for i in np.nonzero(lower > upper)[0]]
        raise InconsistentFigures(f"no count fits the figures shown for {', '.join(bad[:5])}")
    fixed = lower == upper
    out = []
    for row, lo, hi in rows:
        known = sum(c * lower[i] for i, c in row.items() if fixed[i])
        live = {i: c for i, c in row.items() if not fixed[i]}
        if not live:
            if known < lo - 1e-6 or known > hi + 1e-6:
                names = ", ".join(system.names[i] for i in row)
                raise InconsistentFigures(f"the figures shown for {names} do not add up")
            continue
        out.append((live, lo - known, hi - known))
    return lower, upper, out


def _groups(
    n: int, rows: list[tuple[dict[int, float], float, float]], wanted: set[int]
) -> list[tuple[list[int], list[tuple[dict[int, float], float, float]]]]:
    """Connected groups of variables (union-find over the constraint rows) that hold a wanted variable."""
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for coefs, _, _ in rows:
        first, *rest = coefs
        for j in rest:
            a, b = find(first), find(j)
            if a != b:
                parent[b] = a
    members: dict[int, list[int]] = {}
    for i in range(n):
        members.setdefault(find(i), []).append(i)
    by_root: dict[int, list[tuple[dict[int, float], float, float]]] = {}
    for entry in rows:
        by_root.setdefault(find(next(iter(entry[0]))), []).append(entry)
    roots = {find(i) for i in wanted}
    return [(members[r], by_root.get(r, [])) for r in sorted(roots)]


def _audit_group(
    system: System,
    variables: list[int],
    rows: list[tuple[dict[int, float], float, float]],
    lower: np.ndarray,
    upper: np.ndarray,
    wanted: set[int],
    threshold: int,
) -> list[CellRange]:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    targets = [i for i in variables if i in wanted]
    if not rows:  # nothing links these counts: each lies anywhere within its own bounds
        return [CellRange(system.names[i], float(lower[i]), float(upper[i])) for i in targets]
    pos = {v: k for k, v in enumerate(variables)}
    data, r_idx, c_idx, lo, hi = [], [], [], [], []
    for r, (row, a, b) in enumerate(rows):
        for i, c in row.items():
            r_idx.append(r)
            c_idx.append(pos[i])
            data.append(c)
        lo.append(a)
        hi.append(b)
    matrix = csr_array((data, (r_idx, c_idx)), shape=(len(rows), len(variables)))
    constraint = LinearConstraint(matrix, np.array(lo), np.array(hi))
    bounds = Bounds(lower[variables], upper[variables])
    integrality = np.ones(len(variables))
    seen_low = dict.fromkeys(targets, INF)
    seen_high = dict.fromkeys(targets, -INF)

    def solve(i: int, sense: float) -> float:
        c = np.zeros(len(variables))
        c[pos[i]] = sense
        res = milp(c, integrality=integrality, bounds=bounds, constraints=constraint)
        if res.status == 2:
            raise InconsistentFigures(
                "no counts fit the figures shown around " + ", ".join(system.names[j] for j in targets[:5])
            )
        if res.x is None:  # unbounded (or the solver gave up): treat as not pinned down
            return -INF if sense > 0 else INF
        for j in targets:
            v = round(float(res.x[pos[j]]))
            seen_low[j] = min(seen_low[j], v)
            seen_high[j] = max(seen_high[j], v)
        return round(float(res.fun) * sense)

    out = []
    for i in targets:
        if seen_high[i] - seen_low[i] >= threshold:
            out.append(CellRange(system.names[i], seen_low[i], seen_high[i]))
            continue
        low = solve(i, 1.0)
        if seen_high[i] - low >= threshold:
            out.append(CellRange(system.names[i], low, seen_high[i]))
            continue
        high = solve(i, -1.0)
        out.append(CellRange(system.names[i], low, high))
    return out
