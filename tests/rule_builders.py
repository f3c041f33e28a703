"""One compile of each URL rule's builder functions for the whole test process.

Every test makes its own app (its own database), and making an app registers about 140 URL rules; Werkzeug
compiles two URL-building functions per rule from a generated syntax tree each time (`Rule._compile_builder`:
`ast.parse`, `compile`, `exec`), about 0.1 s of the 0.15 s CPU `create_app` costs, so a fifth of the suite's
time went on compiling the same functions again. The generated function depends only on the rule's text, its
parsed parts, its defaults (and their converters) and `append_unknown`, and takes the rule itself as its first
argument (`__get__` binds it per rule), so the same function serves every app's copy of the rule. Only the
test process uses this cache (tests/conftest.py installs it); the service compiles once per process anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.routing.rules import Rule

_ORIGINAL = Rule._compile_builder
_BUILDERS: dict[tuple[Any, ...], Callable[..., tuple[str, str]]] = {}


def _converter_state(converter: Any) -> tuple[Any, ...]:
    """A converter's class and settings (num_digits, min, max, ...), without the map it belongs to."""
    settings = sorted((k, repr(v)) for k, v in vars(converter).items() if k != "map")
    return (type(converter).__module__, type(converter).__qualname__, tuple(settings))


def _key(rule: Rule, append_unknown: bool) -> tuple[Any, ...]:
    defaults = rule.defaults or {}
    return (
        rule.rule,
        append_unknown,
        tuple(rule._trace),
        tuple(sorted((str(k), repr(v)) for k, v in defaults.items())),
        tuple(sorted((n, _converter_state(c)) for n, c in rule._converters.items() if n in defaults)),
    )


def _cached_compile_builder(self: Rule, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
    key = _key(self, append_unknown)
    builder = _BUILDERS.get(key)
    if builder is None:
        builder = _BUILDERS[key] = _ORIGINAL(self, append_unknown)
    return builder


def install() -> None:
    """Share compiled builders between the apps of this process (idempotent)."""
    Rule._compile_builder = _cached_compile_builder  # type: ignore[method-assign]
