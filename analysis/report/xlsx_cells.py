"""Workbook helpers shared by the report's sheets: safe sheet names, rows of safe cells, number formats."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analysis.export.safe import clean_text, safe_cell

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
SUBTITLE = Font(bold=True, size=12)
WRAP = Alignment(wrap_text=True, vertical="top")
PERCENT = "0.0%"  # shares are fractions (0.48) shown as percentages
WHOLE_PERCENT = "0%"  # as the HTML report states key findings (48%)
POINTS = "+0.0;-0.0;0.0"  # differences in percentage points
P_VALUE = "0.0000"
DATE = "d mmmm yyyy"


def short_title(text: str, limit: int = 31) -> str:
    """Text cut to `limit` characters at a word boundary, with an ellipsis when cut (for sheet names)."""
    text = " ".join(clean_text(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def sheet(book: Workbook, title: str, used: set[str]) -> Worksheet:
    """A new sheet with a valid, unique name (31 characters at most, no []:*?/\\')."""
    name = re.sub(r"[\[\]:*?/\\']", " ", clean_text(title)).strip()[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return book.create_sheet(name)


def rows(ws: Worksheet, values: Iterable[Sequence[Any]], header: Sequence[str] | None = None) -> None:
    """Append a bold header (if given) and rows; text is made spreadsheet-safe, numbers stay numbers."""
    if header:
        ws.append([safe_cell(h) for h in header])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
    for row in values:
        ws.append([safe_cell(v) for v in row])


def heading(ws: Worksheet, text: str, font: Font = BOLD) -> None:
    """A line of its own in bold (or the title font)."""
    ws.append([safe_cell(text)])
    ws.cell(ws.max_row, 1).font = font


def widths(ws: Worksheet, first: int = 48, others: int = 14) -> None:
    """Column A wide, the next nine narrower."""
    ws.column_dimensions["A"].width = first
    for col in "BCDEFGHIJ":
        ws.column_dimensions[col].width = others


def number_format(ws: Worksheet, columns: Sequence[int], first_row: int, fmt: str = PERCENT) -> None:
    """Give columns (0-based) from first_row down a number format."""
    for row in ws.iter_rows(min_row=first_row):
        for c in columns:
            if c < len(row):
                row[c].number_format = fmt


def formats(ws: Worksheet, row: int, by_column: dict[int, str]) -> None:
    """Number formats for some cells (1-based columns) of one row."""
    for column, fmt in by_column.items():
        ws.cell(row, column).number_format = fmt


def column_widths(ws: Worksheet, sizes: Sequence[int]) -> None:
    """Widths of columns A, B, ... in order."""
    for i, size in enumerate(sizes):
        ws.column_dimensions[get_column_letter(i + 1)].width = size
