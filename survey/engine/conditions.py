"""Conditions as data: parsing JSON conditions and evaluating them with a small table of named operators."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from survey.engine.model import All, AnyOf, Compare, Condition, ConditionValue, Not

OPERATORS = ("equals", "not_equals", "in", "not_in", "contains", "answered", "gt", "gte", "lt", "lte")


def _freeze(value: Any) -> ConditionValue:
    if isinstance(value, list | tuple):
        return tuple(v for v in value if isinstance(v, str | int))
    if isinstance(value, str | int):
        return value
    return None


def parse_condition(raw: Any) -> Condition:
    """Turn a JSON condition (already checked against the schema) into typed condition objects."""
    if isinstance(raw, Mapping):
        if "all" in raw:
            return All(tuple(parse_condition(c) for c in raw["all"]))
        if "any" in raw:
            return AnyOf(tuple(parse_condition(c) for c in raw["any"]))
        if "not" in raw:
            return Not(parse_condition(raw["not"]))
        item = raw.get("item")
        value_of = raw.get("value_of")
        return Compare(
            q=str(raw.get("q", "")),
            op=str(raw.get("op", "")),
            value=_freeze(raw.get("value")),
            item=item if isinstance(item, str) else None,
            value_of=value_of if isinstance(value_of, str) else None,
        )
    return All(())


def condition_json(condition: Condition) -> dict[str, Any]:
    """A typed condition as the JSON the schema accepts (`parse_condition` reads it back to an equal one)."""
    match condition:
        case All(conditions=subs):
            return {"all": [condition_json(c) for c in subs]}
        case AnyOf(conditions=subs):
            return {"any": [condition_json(c) for c in subs]}
        case Not(condition=sub):
            return {"not": condition_json(sub)}
    leaf: dict[str, Any] = {"q": condition.q, "op": condition.op}
    if condition.item is not None:
        leaf["item"] = condition.item
    if condition.value is not None:
        leaf["value"] = list(condition.value) if isinstance(condition.value, tuple) else condition.value
    if condition.value_of is not None:
        leaf["value_of"] = condition.value_of
    return leaf


def leaves(condition: Condition | None, path: str = "") -> Iterator[tuple[Compare, str]]:
    """Every leaf comparison of a condition with its JSON path relative to the condition."""
    match condition:
        case None:
            return
        case Compare():
            yield condition, path
        case All(conditions=subs):
            for i, sub in enumerate(subs):
                yield from leaves(sub, f"{path}/all/{i}")
        case AnyOf(conditions=subs):
            for i, sub in enumerate(subs):
                yield from leaves(sub, f"{path}/any/{i}")
        case Not(condition=sub):
            yield from leaves(sub, f"{path}/not")


def comparisons(condition: Condition | Mapping[str, Any] | None) -> tuple[Compare, ...]:
    """Every comparison of a condition (typed or JSON), in order of mention, under `all`, `any` or `not`."""
    if isinstance(condition, Mapping):
        condition = parse_condition(condition)
    return tuple(leaf for leaf, _ in leaves(condition))


def conjuncts(condition: Condition | Mapping[str, Any] | None) -> tuple[Compare, ...]:
    """The comparisons that hold whenever the condition holds: the condition itself when it is one, else
    those of each part of an `all` (nested `all`s too); nothing under `any` or `not`. An `equals`/`in`
    conjunct fixes its question's answer for everyone who meets the condition."""
    if isinstance(condition, Mapping):
        condition = parse_condition(condition)
    match condition:
        case Compare():
            return (condition,)
        case All(conditions=subs):
            return tuple(leaf for sub in subs for leaf in conjuncts(sub))
    return ()


def is_answered(value: Any) -> bool:
    """True when a stored value counts as an answer (not None, '' or an empty list or object)."""
    return value is not None and value != "" and value != [] and value != {}


def _as_int(value: Any) -> int | float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _is_date(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 10 and value[4:5] == "-" and value[7:8] == "-"


def _numeric(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def compare(answer: Any, value: ConditionValue) -> bool:
        if _is_date(answer) and _is_date(value):  # ISO dates (date questions) compare as text
            return test(answer, value)
        a, v = _as_int(answer), _as_int(value)
        return a is not None and v is not None and test(a, v)

    return compare


def _values(value: ConditionValue) -> tuple[str | int, ...]:
    if isinstance(value, tuple):
        return value
    return () if value is None else (value,)


def _equals(answer: Any, value: ConditionValue) -> bool:
    if isinstance(answer, list):
        return value in answer
    return bool(answer == value)


def _in(answer: Any, value: ConditionValue) -> bool:
    choices = _values(value)
    if isinstance(answer, list):
        return any(a in choices for a in answer)
    return answer in choices


_TABLE: dict[str, Callable[[Any, ConditionValue], bool]] = {
    "equals": _equals,
    "not_equals": lambda a, v: not _equals(a, v),
    "in": _in,
    "not_in": lambda a, v: not _in(a, v),
    "contains": lambda a, v: isinstance(a, list) and v in a,
    "gt": _numeric(lambda a, v: a > v),
    "gte": _numeric(lambda a, v: a >= v),
    "lt": _numeric(lambda a, v: a < v),
    "lte": _numeric(lambda a, v: a <= v),
}


def _answer_of(leaf: Compare, answers: Mapping[str, Any]) -> Any:
    answer = answers.get(leaf.q)
    if leaf.item is not None:
        return answer.get(leaf.item) if isinstance(answer, Mapping) else None
    return answer


def _compare(leaf: Compare, answers: Mapping[str, Any]) -> bool:
    answer = _answer_of(leaf, answers)
    if leaf.op == "answered":
        return is_answered(answer)
    if not is_answered(answer):
        # Every comparison on an unanswered (or hidden) question is false, not_equals and not_in included.
        return False
    value: Any = leaf.value
    if leaf.value_of is not None:  # a check across questions: compare with another answer
        value = answers.get(leaf.value_of)
        if not is_answered(value):
            return False
    test = _TABLE.get(leaf.op)
    return test(answer, value) if test is not None else False


def evaluate(condition: Condition | Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    """Evaluate a condition (typed or JSON) against answers keyed by question id; None is always true."""
    if condition is None:
        return True
    if isinstance(condition, Mapping):
        condition = parse_condition(condition)
    match condition:
        case Compare():
            return _compare(condition, answers)
        case All(conditions=subs):
            return all(evaluate(c, answers) for c in subs)
        case AnyOf(conditions=subs):
            return any(evaluate(c, answers) for c in subs)
        case Not(condition=sub):
            return not evaluate(sub, answers)
    return False


def questions_in(condition: Condition | Mapping[str, Any] | None) -> list[str]:
    """The ids of the questions a condition reads (and names in `value_of`), in order of first mention."""
    named: list[str] = []
    for leaf in comparisons(condition):
        named += [leaf.q] + ([leaf.value_of] if leaf.value_of else [])
    return list(dict.fromkeys(named))
