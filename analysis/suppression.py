"""Small-cell suppression for breakdown tables, checked by the disclosure auditor.

`suppress` hides counts of 1..min_cell-1 and rows on small bases, then lets the auditor
(analysis.disclosure) work out how narrowly a reader could pin each hidden count down from what the table
shows, hiding more cells until every hidden count is uncertain over at least `min_cell`. Every hidden cell
carries the same label, HIDDEN: an output never says which hidden cells are the small ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.disclosure.auditor import INF
from analysis.disclosure.protect import HIDDEN, protect

PRIMARY = SECONDARY = HIDDEN  # former labels, kept as names: both are now the one label "suppressed"


@dataclass(frozen=True)
class Suppression:
    """Which cells and row bases of a table are hidden (HIDDEN) or shown (None)."""

    cells: tuple[tuple[str | None, ...], ...]
    bases: tuple[str | None, ...]
    unresolved: bool = False  # no pattern could keep every hidden count uncertain (the table is tiny)

    @property
    def hidden(self) -> int:
        """Number of hidden cells and bases."""
        return sum(m is not None for row in self.cells for m in row) + sum(m is not None for m in self.bases)


def suppress(
    cells: Sequence[Sequence[int]],
    bases: Sequence[int],
    *,
    min_cell: int = 10,
    rows_add_up: bool = True,
    upper: float = INF,
) -> Suppression:
    """Hide small cells and whatever would reveal them, audited (see analysis.disclosure.protect).

    Rows are groups and columns answers; when there are several rows, each column's total and the total of
    the bases are taken as published. rows_add_up: single choice (a row's cells add up to its base);
    otherwise each cell is at most its base. `upper` bounds every count (the output's total responses).
    """
    if min_cell <= 1 or not cells:
        return Suppression(tuple(tuple(None for _ in row) for row in cells), tuple(None for _ in bases))
    result = protect(cells, bases, threshold=min_cell, rows_add_up=rows_add_up, upper=upper)
    return Suppression(
        tuple(tuple(HIDDEN if h else None for h in row) for row in result.cells),
        tuple(HIDDEN if h else None for h in result.bases),
        result.unresolved,
    )
