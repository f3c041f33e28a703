"""Choose the hidden cells of a table, then let the auditor check them; hide more until every range holds.

A table is rows (groups) by columns (answers) with a base per row. What a reader sees of it: the shown
cells, the shown bases, each row adding up to its base (single choice) or each cell at most its base
(multiple choice), and, when the table has several rows, each column's total and the total of the bases
(they are published as the overall figures). Every hidden count must be uncertain over a range at least
`threshold` wide; `protect` hides small cells (1..threshold-1) and rows on small bases first, audits, and
for each cell still pinned down hides the smallest shown cell of its row (else its column, else the base).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.disclosure.auditor import INF, CellRange, System, audit

HIDDEN = "suppressed"  # the one label every hidden cell gets: never which ones are small


@dataclass(frozen=True)
class Protection:
    """Which cells and bases are hidden; `ranges` is the audit; `unresolved` when no pattern can hold."""

    cells: tuple[tuple[bool, ...], ...]
    bases: tuple[bool, ...]
    ranges: tuple[CellRange, ...]
    unresolved: bool = False

    @property
    def hidden(self) -> int:
        """Number of hidden cells and bases."""
        return sum(sum(r) for r in self.cells) + sum(self.bases)


def cell_name(i: int, j: int) -> str:
    return f"r{i}c{j}"


def base_name(i: int) -> str:
    return f"base{i}"


def table_system(
    cells: Sequence[Sequence[int]],
    bases: Sequence[int],
    hide_cells: Sequence[Sequence[bool]],
    hide_bases: Sequence[bool],
    *,
    rows_add_up: bool,
    upper: float = INF,
) -> System:
    """The constraints a reader can build from the table as shown."""
    system = System()
    for i, (row, base) in enumerate(zip(cells, bases, strict=True)):
        system.var(base_name(i), hidden=hide_bases[i], upper=upper)
        if not hide_bases[i]:
            system.fix(base_name(i), base)
        for j, value in enumerate(row):
            system.var(cell_name(i, j), hidden=hide_cells[i][j], upper=upper)
            if not hide_cells[i][j]:
                system.fix(cell_name(i, j), value)
            if not rows_add_up:
                system.constrain({cell_name(i, j): 1.0, base_name(i): -1.0}, hi=0.0)
        if rows_add_up and row:
            system.equal({**{cell_name(i, j): 1.0 for j in range(len(row))}, base_name(i): -1.0}, 0.0)
    if len(cells) > 1:
        for j in range(len(cells[0]) if cells else 0):
            system.equal({cell_name(i, j): 1.0 for i in range(len(cells))}, sum(r[j] for r in cells))
        system.equal({base_name(i): 1.0 for i in range(len(cells))}, sum(bases))
    return system


def first_pass(
    cells: Sequence[Sequence[int]], bases: Sequence[int], threshold: int
) -> tuple[list[list[bool]], list[bool]]:
    """Counts 1..threshold-1 hidden; a row on a base under the threshold hidden whole (cells and base)."""
    hide_bases = [0 < b < threshold for b in bases]
    hide_cells = [[hide_bases[i] or 0 < v < threshold for v in row] for i, row in enumerate(cells)]
    return hide_cells, hide_bases


def protect(
    cells: Sequence[Sequence[int]],
    bases: Sequence[int],
    *,
    threshold: int = 10,
    rows_add_up: bool = True,
    upper: float = INF,
    force: Iterable[tuple[int, int]] = (),
    force_bases: Iterable[int] = (),
) -> Protection:
    """Hide cells until the auditor finds no hidden count narrower than `threshold`.

    `upper` bounds every count (the output's published total, when the table's own total is hidden);
    `force`/`force_bases` are cells and bases that must be hidden (a report-level audit asks for them).
    """
    hide_cells, hide_bases = first_pass(cells, bases, threshold)
    for i, j in force:
        hide_cells[i][j] = True
    for i in force_bases:
        hide_bases[i] = True
    ranges: list[CellRange] = []
    while True:
        if not any(hide_bases) and not any(any(r) for r in hide_cells):
            return Protection(_freeze(hide_cells), tuple(hide_bases), ())
        system = table_system(cells, bases, hide_cells, hide_bases, rows_add_up=rows_add_up, upper=upper)
        ranges = audit(system, threshold)
        weak = [r for r in ranges if r.narrower_than(threshold)]
        if not weak:
            return Protection(_freeze(hide_cells), tuple(hide_bases), tuple(ranges))
        if not _hide_more(cells, bases, hide_cells, hide_bases, weak[:1], rows_add_up):
            # nothing left to hide that helps (the table's own total is under the threshold): hide it all
            everything = [[True] * len(row) for row in cells]
            return Protection(_freeze(everything), (True,) * len(bases), tuple(ranges), unresolved=True)


def _hide_more(
    cells: Sequence[Sequence[int]],
    bases: Sequence[int],
    hide_cells: list[list[bool]],
    hide_bases: list[bool],
    weak: Sequence[CellRange],
    rows_add_up: bool = True,
) -> bool:
    """For each pinned-down count hide one more: smallest shown cell of its row, else column, else base."""
    changed = False
    for r in weak:
        if r.name.startswith("base"):
            i = int(r.name[4:])
            in_own_row = _smallest([(cells[i][k], k) for k in range(len(cells[i])) if not hide_cells[i][k]])
            if in_own_row is not None:  # a hidden base the shown cells add up to: hide one of them
                hide_cells[i][in_own_row] = True
                changed = True
                continue
            choice = _smallest([(bases[k], k) for k in range(len(bases)) if not hide_bases[k]])
            if choice is None:
                continue
            hide_bases[choice] = True
            hide_cells[choice] = [True] * len(hide_cells[choice])
            changed = True
            continue
        i, j = (int(x) for x in r.name[1:].split("c"))
        if hide_cells[i][j] is False:
            continue
        in_row = _smallest([(cells[i][k], k) for k in range(len(cells[i])) if not hide_cells[i][k]])
        if not rows_add_up and len(cells) > 1:  # multiple choice: only the column total links the cells
            in_row = None
        in_col = _smallest([(cells[k][j], k) for k in range(len(cells)) if not hide_cells[k][j]])
        row_alone = rows_add_up and sum(hide_cells[i]) == 1
        col_alone = len(cells) > 1 and sum(hide_cells[k][j] for k in range(len(cells))) == 1
        if in_col is not None and col_alone and not row_alone:
            hide_cells[in_col][j] = True
            changed = True
            continue
        if in_row is not None:
            hide_cells[i][in_row] = True
            changed = True
            continue
        if in_col is not None:
            hide_cells[in_col][j] = True
            changed = True
            continue
        if not hide_bases[i]:
            hide_bases[i] = True
            changed = True
    return changed


def _smallest(candidates: list[tuple[int, int]]) -> int | None:
    """Position of the smallest positive value (else the smallest), or None when there is none."""
    if not candidates:
        return None
    positive = [c for c in candidates if c[0] > 0]
    return min(positive or candidates)[1]


def _freeze(grid: list[list[bool]]) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(r) for r in grid)
