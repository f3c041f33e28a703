"""Numbers and JSON typed or uploaded by people: read in one place, strictly, never raising a 500.

Python's own readers accept more than people mean and fail in ways a page must not: `str.isdigit()` is true
for '²' and '１２' (then `int('²')` raises), `int()` of more than 4,300 digits raises ValueError, an id past
the database's integers raises OverflowError in the driver, and `json.loads` raises RecursionError on deeply
nested arrays and ValueError on huge integers. Every id, page number and JSON document that comes from a
request goes through these helpers, which either give a clean value or say plainly what is wrong.
"""

from __future__ import annotations

import json
from typing import Any

from survey.services.words import gettext

# Every id is a database integer: Postgres' INTEGER is 32-bit signed (2^31 - 1), SQLite's is 64-bit.
MAX_DATABASE_INT = 2**31 - 1
# Real codebooks nest 4 levels and questionnaires about 8; Python's parser and the validators recurse once
# per level, so a file of 100,000 `[` would exhaust the stack.
MAX_JSON_DEPTH = 64
# No number in a questionnaire or codebook has more digits (Python refuses more than 4,300 anyway).
MAX_JSON_INT_DIGITS = 100


def whole_number(raw: object, *, low: int = 0, high: int = MAX_DATABASE_INT) -> int | None:
    """The whole number written in ASCII digits 0-9 (spaces around allowed) from `low` to `high`, else None.

    '²', '١٢' (Arabic-Indic) and '１２' (fullwidth) are refused, as are signs, decimals and anything longer
    than `high` can be, before any conversion is tried.
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > len(str(high)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if low <= value <= high else None


def ascii_digits(raw: object, length: int) -> str | None:
    """`raw` when it is exactly `length` ASCII digits 0-9 (a one-time code), else None."""
    if isinstance(raw, str) and len(raw) == length and raw.isascii() and raw.isdigit():
        return raw
    return None


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
        return gettext(
            "The file nests lists and objects more than %(limit)s levels deep: it cannot be a valid file",
            limit=limit,
        )
    return None


class JsonInputError(ValueError):
    """JSON from a request that cannot be read; the message says why, in words for the person who sent it."""


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise JsonInputError(
            gettext(
                "A number has more than %(limit)s digits: it cannot be a valid file",
                limit=MAX_JSON_INT_DIGITS,
            )
        )
    return int(digits)


def read_json(text: str, *, limit: int = MAX_JSON_DEPTH) -> Any:
    """Parse JSON sent in a form field or an upload; raises JsonInputError (a ValueError) saying why.

    Refused: nesting deeper than `limit`, integers longer than MAX_JSON_INT_DIGITS, and text that is
    not JSON (with the line and column).
    """
    if (too_deep := too_deep_message(text, limit)) is not None:
        raise JsonInputError(too_deep)
    try:
        return json.loads(text, parse_int=_bounded_int)
    except JsonInputError:
        raise
    except json.JSONDecodeError as error:
        raise JsonInputError(
            gettext(
                "Not valid JSON at line %(line)s, column %(column)s: %(problem)s",
                line=error.lineno,
                column=error.colno,
                problem=error.msg,
            )
        ) from None
    except (RecursionError, ValueError) as error:  # a structure the depth count missed; a number too long
        raise JsonInputError(gettext("Not valid JSON: %(problem)s", problem=type(error).__name__)) from None
