"""Checks on uploaded files before they are parsed: a JSON file nested absurdly deep is refused early.

Python's JSON parser and the validators recurse once per level, so a file of 100,000 `[` would exhaust
the stack (a 500). Real codebooks nest 4 levels and questionnaires about 8.
"""

from __future__ import annotations

MAX_JSON_DEPTH = 64


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON `text` (brackets inside strings do not count)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def too_deep_message(text: str, limit: int = MAX_JSON_DEPTH) -> str | None:
    """A message when `text` nests more than `limit` levels (None when it is fine)."""
    if json_depth(text) > limit:
        return f"The file nests lists and objects more than {limit} levels deep: it cannot be a valid file"
    return None
