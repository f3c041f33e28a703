"""Spreadsheet-safe cells: no control characters openpyxl rejects, no text a spreadsheet would run."""

from __future__ import annotations

import re
from typing import Any

# openpyxl's own ILLEGAL_CHARACTERS_RE (openpyxl.cell.cell), written out so that importing this module does
# not load openpyxl (a test checks the two agree).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(value: str) -> str:
    """Text without the control characters XML 1.0 and openpyxl refuse (tab, LF and CR are kept)."""
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))


def safe_cell(value: Any) -> Any:
    """Text loses illegal control characters, then gets a leading ' if it starts with = + - @ tab or CR."""
    if not isinstance(value, str):
        return value
    value = clean_text(value)
    if value.startswith(TRIGGERS):
        return "'" + value
    return value
