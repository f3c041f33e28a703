"""Structural validation against questionnaire.schema.json, with errors turned into catalogue Problems."""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from survey.engine.errors import Problem, pointer, problem

if TYPE_CHECKING:  # jsonschema is imported when a definition is first validated, not with the engine
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_TYPE_NAMES = {
    "string": "text in quotes",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list [...]",
    "object": "an object {...}",
    "null": "null",
}
_PATTERN_REASONS = {
    "^[a-z][a-z0-9_]*$": "ids use lower-case letters, digits and underscores, starting with a letter",
    "^[a-z0-9][a-z0-9-]*$": "questionnaire ids and reference names use lower-case letters, digits, hyphens",
    "^[A-Za-z0-9][A-Za-z0-9_.-]*$": "option codes use letters, digits, '_', '.' and '-'",
    "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$": "language codes look like 'en', 'cy' or 'pl'",
    "^https?://": "web addresses start with https://",
    "^#[0-9a-fA-F]{6}$": "colours are written like #005ea5",
    "^[^@\\s]+@[^@\\s]+$": "email addresses look like name@example.gov.uk",
}


@cache
def schema() -> dict[str, Any]:
    """The questionnaire JSON Schema (questionnaires/questionnaire.schema.json, shipped with the engine)."""
    # survey/engine/questionnaire.schema.json is a symbolic link to the one file in questionnaires/; where
    # a checkout has no symbolic links (it then holds the target's path as text) read the file directly.
    try:
        text = resources.files("survey.engine").joinpath("questionnaire.schema.json").read_text("utf-8")
        data: dict[str, Any] = json.loads(text)
    except (OSError, ValueError):
        repo = Path(__file__).resolve().parents[2]
        data = json.loads((repo / "questionnaires" / "questionnaire.schema.json").read_text("utf-8"))
    return data


_RECURSIVE = "#/$defs/condition"


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    """Replace non-recursive local $refs by their definitions (reference lookups dominate validation time)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/") and ref != _RECURSIVE and len(node) == 1:
            return _inline(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline(v, defs) if k != "$defs" else v for k, v in node.items()}
    if isinstance(node, list):
        return [_inline(v, defs) for v in node]
    return node


@cache
def _validator() -> Draft202012Validator:
    """The schema's validator, built once per process on first use (importing jsonschema costs a tenth of
    a second of CPU: commands and pages that never validate a definition do not pay it)."""
    from jsonschema import Draft202012Validator

    original = schema()
    defs = original.get("$defs", {})
    inlined = _inline(original, defs)
    inlined["$defs"] = {**defs, "condition": _inline(defs["condition"], defs)}
    return Draft202012Validator(inlined)


def _show(value: Any) -> str:
    try:
        shown = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _unexpected_keys(error: ValidationError) -> list[str]:
    known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    patterns = error.schema.get("patternProperties", {}) if isinstance(error.schema, dict) else {}
    instance = error.instance if isinstance(error.instance, dict) else {}
    return [k for k in instance if k not in known and not any(re.search(p, k) for p in patterns)]


def _reason(error: ValidationError) -> str:
    kind, expected = error.validator, error.validator_value
    if kind == "pattern":
        return _PATTERN_REASONS.get(str(expected), f"it must match {expected}")
    if kind == "enum" and isinstance(expected, list):
        return "use one of: " + ", ".join(str(v) for v in expected)
    if kind in ("minLength", "minItems", "minProperties"):
        return "it must not be empty"
    if kind == "uniqueItems":
        return "each entry may appear only once"
    if kind in ("minimum", "exclusiveMinimum"):
        return f"it must be at least {expected}" if kind == "minimum" else f"it must be more than {expected}"
    if kind in ("maximum", "maxLength"):
        return f"it must be at most {expected}" + (" characters long" if kind == "maxLength" else "")
    return error.message


def _to_problems(error: ValidationError) -> list[Problem]:
    path = pointer(*error.absolute_path)
    kind = error.validator
    if kind == "required":
        match = re.match(r"^'(.*)' is a required property", error.message)
        return [problem("MISSING_FIELD", path, field=match.group(1) if match else error.message)]
    if kind == "additionalProperties":
        unknown = [
            problem("UNKNOWN_FIELD", pointer(*error.absolute_path, key), field=key)
            for key in _unexpected_keys(error)
        ]
        return unknown or [problem("SCHEMA_VIOLATION", path, reason=error.message)]
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        expected = " or ".join(_TYPE_NAMES.get(str(t), str(t)) for t in wanted)
        return [problem("WRONG_TYPE", path, value=_show(error.instance), expected=expected)]
    if kind == "enum" and error.absolute_path and error.absolute_path[-1] == "op":
        return [problem("UNKNOWN_OPERATOR", path, value=_show(error.instance))]
    if kind in (
        "enum",
        "pattern",
        "minLength",
        "minItems",
        "minProperties",
        "uniqueItems",
        "minimum",
        "exclusiveMinimum",
        "maximum",
        "maxLength",
        "propertyNames",
    ):
        return [problem("BAD_VALUE", path, value=_show(error.instance), reason=_reason(error))]
    return [problem("SCHEMA_VIOLATION", path, reason=error.message)]


def _sort_key(error: ValidationError) -> tuple[str, ...]:
    return tuple(str(p).zfill(6) if isinstance(p, int) else str(p) for p in error.absolute_path)


def schema_problems(data: Any) -> list[Problem]:
    """Every structural problem of a definition, in document order."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for error in sorted(_validator().iter_errors(data), key=_sort_key):
        for p in _to_problems(error):
            if (p.path, p.message) not in seen:
                seen.add((p.path, p.message))
                problems.append(p)
    return problems
