"""The test process's shared URL builders (tests/rule_builders.py) build exactly what Werkzeug builds."""

from __future__ import annotations

from werkzeug.routing import Map, Rule

from tests import rule_builders


def _adapter(default_page: int = 1) -> object:
    return Map(
        [
            Rule("/a/<int(fixed_digits=3):n>", endpoint="a"),
            Rule("/c/<int(fixed_digits=5):n>", endpoint="c"),
            Rule("/b/<name>", endpoint="b", defaults={"page": default_page}),
            Rule("/b/<name>/<int:page>", endpoint="b"),
            Rule("/d/<int(fixed_digits=2):n>", endpoint="d", defaults={"n": default_page}),
        ]
    ).bind("example.org")


def test_rules_of_a_second_map_build_as_the_first_with_their_own_converters_and_defaults() -> None:
    rule_builders.install()
    first, second, other = _adapter(), _adapter(), _adapter(default_page=2)
    for adapter in (first, second):
        assert adapter.build("a", {"n": 7}) == "/a/007"  # type: ignore[attr-defined]
        assert adapter.build("c", {"n": 7}) == "/c/00007"  # type: ignore[attr-defined]
        assert adapter.build("b", {"name": "x", "page": 1}) == "/b/x"  # type: ignore[attr-defined]
        assert adapter.build("b", {"name": "x", "page": 2}) == "/b/x/2"  # type: ignore[attr-defined]
        assert adapter.build("b", {"name": "x y", "q": "1 2"}) == "/b/x%20y?q=1+2"  # type: ignore[attr-defined]
        assert adapter.build("d", {}) == "/d/01"  # type: ignore[attr-defined]
    # the same rule text with another default is another builder
    assert other.build("b", {"name": "x", "page": 2}) == "/b/x"  # type: ignore[attr-defined]
    assert other.build("d", {}) == "/d/02"  # type: ignore[attr-defined]


def test_every_rule_of_the_service_builds_the_same_with_and_without_the_cache(app: object) -> None:
    from flask import Flask

    assert isinstance(app, Flask)
    for rule in app.url_map.iter_rules():
        for append_unknown in (True, False):
            shared = rule_builders._cached_compile_builder(rule, append_unknown)
            fresh = rule_builders._ORIGINAL(rule, append_unknown)
            values = {name: "1" for name in rule.arguments if name not in (rule.defaults or {})}
            try:
                expected = fresh(rule, **values)
            except Exception as error:  # a converter refusing "1" refuses it either way
                try:
                    shared(rule, **values)
                except Exception as again:
                    assert type(again) is type(error)
                    continue
                raise AssertionError(f"{rule.rule}: shared builder took what Werkzeug refused") from None
            assert shared(rule, **values) == expected, rule.rule
