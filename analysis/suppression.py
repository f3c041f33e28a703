"""Small-cell suppression for breakdown tables: primary (cells under a threshold) and secondary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PRIMARY = "primary"  # fewer than min_cell responses (or the row's base is that small)
SECONDARY = "secondary"  # hidden so that a primary cell cannot be worked out from a total

Mask = list[list[str | None]]


@dataclass(frozen=True)
class Suppression:
    """Which cells and row bases of a table are hidden and why (None = shown)."""

    cells: tuple[tuple[str | None, ...], ...]
    bases: tuple[str | None, ...]

    @property
    def hidden(self) -> int:
        """Number of hidden cells and bases."""
        return sum(m is not None for row in self.cells for m in row) + sum(m is not None for m in self.bases)


def suppress(
    cells: Sequence[Sequence[int]], bases: Sequence[int], *, min_cell: int = 10, rows_add_up: bool = True
) -> Suppression:
    """Hide cells with 1..min_cell-1 responses, whole rows on small bases, then enough others to protect them.

    Rows are groups and columns answers; every column (and the bases) adds up over the rows to a total
    that is published, so a column with one hidden cell gets a second. When rows_add_up (single choice:
    the cells of a row add up to its base), a row with one hidden cell gets a second too.
    """
    grid: Mask = []
    base_mask: list[str | None] = []
    for row, base in zip(cells, bases, strict=True):
        small_base = 0 < base < min_cell
        base_mask.append(PRIMARY if small_base else None)
        grid.append([PRIMARY if small_base or 0 < value < min_cell else None for value in row])
    while (
        (rows_add_up and _protect_rows(cells, grid, base_mask))
        or _protect_columns(cells, grid)
        or _protect_bases(bases, grid, base_mask)
    ):
        pass
    return Suppression(tuple(tuple(r) for r in grid), tuple(base_mask))


def _protect_rows(cells: Sequence[Sequence[int]], grid: Mask, base_mask: list[str | None]) -> bool:
    """A shown row total with exactly one hidden cell: hide the row's next smallest cell (or its base)."""
    for i, row in enumerate(cells):
        if base_mask[i] is None and sum(m is not None for m in grid[i]) == 1:
            j = _smallest([(row[j], j) for j in range(len(row)) if grid[i][j] is None])
            if j is None:
                base_mask[i] = SECONDARY
            else:
                grid[i][j] = SECONDARY
            return True
    return False


def _protect_columns(cells: Sequence[Sequence[int]], grid: Mask) -> bool:
    """A column (its total is published) with exactly one hidden cell: hide its next smallest cell."""
    for j in range(len(cells[0]) if cells else 0):
        if sum(grid[i][j] is not None for i in range(len(cells))) == 1:
            i = _smallest([(cells[i][j], i) for i in range(len(cells)) if grid[i][j] is None])
            if i is not None:
                grid[i][j] = SECONDARY
                return True
    return False


def _protect_bases(bases: Sequence[int], grid: Mask, base_mask: list[str | None]) -> bool:
    """Exactly one hidden base (the bases add up to the published total): hide another row entirely."""
    if sum(m is not None for m in base_mask) != 1:
        return False
    i = _smallest([(bases[i], i) for i in range(len(bases)) if base_mask[i] is None])
    if i is None:
        return False
    base_mask[i] = SECONDARY  # a hidden base would follow from its shown cells, so hide the row too
    grid[i] = [m or SECONDARY for m in grid[i]]
    return True


def _smallest(candidates: list[tuple[int, int]]) -> int | None:
    """Position of the smallest positive value (else the smallest), or None when there is none."""
    if not candidates:
        return None
    positive = [c for c in candidates if c[0] > 0]
    return min(positive or candidates)[1]
