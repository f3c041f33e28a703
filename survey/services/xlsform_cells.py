"""Cells of a questionnaire workbook: what kind of value each field holds and how it is written and read.

The kinds come from the engine's JSON Schema, so a field added to the format later gets the right column
without a change here: localised text (a plain column plus one ``field::lang`` column per language), a
condition (the readable syntax of condition_syntax), text, true/false, whole number, number, or any other
value (written as JSON unless it is text that JSON would not read, which is written as it is).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

from survey.engine.schema import schema
from survey.services.inputs import read_json
from survey.services.words import gettext

MAX_CELL = 32767


class Kind(Enum):
    """What a field's cell holds (the values are names in code, never shown)."""

    TEXT = "localised text"  # not translated: a name in code
    CONDITION = "condition"
    STRING = "text"
    BOOL = "true or false"  # not translated: a name in code
    INT = "whole number"  # not translated: a name in code
    NUMBER = "number"
    ANY = "value"


class CellError(ValueError):
    """A cell whose content does not fit its column; the message says what was expected."""


def _kind(prop: Any) -> Kind:
    if not isinstance(prop, dict):
        return Kind.ANY
    ref = prop.get("$ref", "")
    if ref == "#/$defs/text":
        return Kind.TEXT
    if ref == "#/$defs/condition":
        return Kind.CONDITION
    if ref in ("#/$defs/id", "#/$defs/code", "#/$defs/language"):
        return Kind.STRING
    if "enum" in prop and all(isinstance(v, str) for v in prop["enum"]):
        return Kind.STRING
    simple = {"string": Kind.STRING, "boolean": Kind.BOOL, "integer": Kind.INT, "number": Kind.NUMBER}
    kind = prop.get("type")
    return simple.get(kind, Kind.ANY) if isinstance(kind, str) else Kind.ANY


@cache
def field_kinds(definition: str) -> dict[str, Kind]:
    """Field name -> Kind for a `$defs` entry of the schema ('question', 'option', ...) or 'root'."""
    root = schema()
    if definition == "root":
        node = root
    elif definition == "time_budget":
        node = root["properties"]["time_budget"]
    else:
        node = root["$defs"][definition]
    return {name: _kind(prop) for name, prop in node.get("properties", {}).items()}


@cache
def enum_values(definition: str, name: str) -> tuple[str, ...]:
    """The values the schema allows for a field with a fixed list (e.g. the question types)."""
    prop = schema()["$defs"].get(definition, {}).get("properties", {}).get(name, {})
    return tuple(v for v in prop.get("enum", ()) if isinstance(v, str))


# OOXML cells cannot hold most control characters, lone surrogates or U+FFFE/U+FFFF, and XML turns a
# carriage return into a new line: such characters are written as _xHHHH_ (the spreadsheet convention)
# and a literal "_xHHHH_" in the text is protected as "_x005F_xHHHH_".
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape(text: str) -> str:
    """Text made safe for a cell (reversible with unescape)."""
    return _UNSAFE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unescape(text: str) -> str:
    """The text a cell stands for."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _quoted(text: str) -> str | None:
    """The text a cell written in JSON quotes stands for ('""' is the empty text), else None."""
    if not text.startswith('"'):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


def text_cell(value: str) -> str:
    """A text value as cell content: as it is, in JSON quotes when empty or when it looks quoted."""
    if value == "" or _quoted(value) is not None:
        value = json.dumps(value, ensure_ascii=False)
    return escape(value)


def cell_value(value: Any, kind: Kind) -> Any:
    """The cell content for a field value."""
    if kind in (Kind.STRING, Kind.TEXT) and isinstance(value, str):
        return text_cell(value)
    if kind is Kind.BOOL and isinstance(value, bool):
        return value
    if kind in (Kind.INT, Kind.NUMBER) and isinstance(value, int | float) and not isinstance(value, bool):
        # openpyxl writes numbers with 16 significant digits: others are kept exactly as text.
        exact = abs(value) < 2**53 if isinstance(value, int) else float(f"{value:.16g}") == value
        return value if exact else repr(value)
    return escape(any_text(value))


def any_text(value: Any) -> str:
    """Text as it is when JSON would not read it as something else; anything else as JSON."""
    if isinstance(value, str) and value and value.strip() == value:
        try:
            read_json(value)
        except ValueError:
            return value
    return json.dumps(value, ensure_ascii=False)


def _plain(raw: Any) -> str:
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def read_text(raw: Any) -> str:
    """A text cell (numbers and dates typed in a text column are read as their text)."""
    return unescape(raw) if isinstance(raw, str) else _plain(raw)


def _read_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = read_text(raw).strip().lower()
    if word in ("true", "yes", "1"):
        return True
    if word in ("false", "no", "0"):
        return False
    raise CellError(gettext("'%(value)s' should be TRUE or FALSE", value=read_text(raw)))


def _read_int(raw: Any) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    text = read_text(raw).strip()
    if re.fullmatch(r"-?[0-9]{1,4000}", text):  # ASCII digits; Python refuses more than 4,300
        return int(text)
    raise CellError(gettext("'%(value)s' should be a whole number", value=text[:40]))


def _read_number(raw: Any) -> int | float:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return raw
    text = read_text(raw).strip()
    try:
        return int(text) if re.fullmatch(r"-?\d+", text) else float(text)
    except ValueError:
        raise CellError(gettext("'%(value)s' should be a number", value=text)) from None


def read_any(raw: Any) -> Any:
    """A cell of the 'any value' kind: JSON when it reads as JSON, otherwise the text itself."""
    if not isinstance(raw, str):
        return raw if isinstance(raw, bool | int | float) else read_text(raw)
    text = unescape(raw)
    try:
        return read_json(text)  # too deep, a huge number or not JSON: the text itself
    except ValueError:
        return text


def read_cell(raw: Any, kind: Kind) -> Any:
    """The field value of a non-empty cell; raises CellError saying what was expected."""
    if kind in (Kind.STRING, Kind.TEXT):
        text = read_text(raw)
        quoted = _quoted(text) if isinstance(raw, str) else None
        return text if quoted is None else quoted
    if kind is Kind.BOOL:
        return _read_bool(raw)
    if kind is Kind.INT:
        return _read_int(raw)
    if kind is Kind.NUMBER:
        return _read_number(raw)
    return read_any(raw)


_LANGUAGE_IN_BRACKETS = re.compile(r"^.*\(([A-Za-z0-9-]+)\)\s*$")


def split_header(header: str) -> tuple[str, str | None]:
    """'label::cy' -> ('label', 'cy'); 'label::Welsh (cy)' -> ('label', 'cy'); 'hint' -> ('hint', None)."""
    base, sep, language = header.partition("::")
    if not sep:
        return header.strip(), None
    language = language.strip()
    match = _LANGUAGE_IN_BRACKETS.match(language)
    return base.strip(), match.group(1) if match else language
