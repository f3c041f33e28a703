"""Formula injection: text cells that a spreadsheet would run as a formula get a leading apostrophe."""

from __future__ import annotations

from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text starting with = + - @ tab or CR gets a leading ' (numbers and other values pass unchanged)."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value
