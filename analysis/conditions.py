"""A small evaluator for questionnaire conditions (docs/questionnaire-format.md); no survey import."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPERATORS = ("equals", "not_equals", "in", "not_in", "contains", "answered", "gt", "gte", "lt", "lte")


class ConditionError(ValueError):
    """A condition is not in the documented format (unknown operator, missing key...)."""


def evaluate(condition: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """True when answers meet the condition (all/any/not of {"q", "op", "value", "item"?} tests)."""
    if "all" in condition:
        return all(evaluate(c, answers) for c in _list(condition, "all"))
    if "any" in condition:
        return any(evaluate(c, answers) for c in _list(condition, "any"))
    if "not" in condition:
        inner = condition["not"]
        if not isinstance(inner, Mapping):
            raise ConditionError(f"'not' needs a condition object, got {inner!r}")
        return not evaluate(inner, answers)
    return _test(condition, answers)


def questions_in(condition: Mapping[str, Any]) -> list[str]:
    """Question ids a condition names, in order of first mention."""
    found: list[str] = []
    for key in ("all", "any"):
        for c in condition.get(key, []) or []:
            found += [q for q in questions_in(c) if q not in found]
    if isinstance(condition.get("not"), Mapping):
        found += [q for q in questions_in(condition["not"]) if q not in found]
    if isinstance(condition.get("q"), str) and condition["q"] not in found:
        found.append(condition["q"])
    return found


def _list(condition: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = condition[key]
    if not isinstance(items, list) or not all(isinstance(c, Mapping) for c in items):
        raise ConditionError(f"'{key}' needs a list of conditions, got {items!r}")
    return items


def _test(condition: Mapping[str, Any], answers: Mapping[str, Any]) -> bool:
    """One {"q", "op", "value"} test; on an unanswered question every operator but `answered` is false."""
    qid, op = condition.get("q"), condition.get("op")
    if not isinstance(qid, str):
        raise ConditionError(f"condition {dict(condition)!r} needs 'q' (a question id) or all/any/not")
    if op not in OPERATORS:
        raise ConditionError(
            f"unknown operator {op!r} in condition on {qid!r}; known: {', '.join(OPERATORS)}"
        )
    answer = answers.get(qid)
    item = condition.get("item")
    if item is not None:
        answer = answer.get(item) if isinstance(answer, Mapping) else None
    answered = answer not in (None, "", [], {})
    if op == "answered" or not answered:
        return answered and op == "answered"
    return _compare(op, answer, condition.get("value"))


def _compare(op: str, answer: Any, value: Any) -> bool:
    """Apply an operator to an answer that is present (same rules as survey.engine's conditions)."""
    values = value if isinstance(value, list) else [value]
    if op in ("equals", "not_equals"):
        hit = value in answer if isinstance(answer, list) else answer == value
        return bool(hit) if op == "equals" else not hit
    if op in ("in", "not_in"):
        hit = any(a in values for a in answer) if isinstance(answer, list) else answer in values
        return hit if op == "in" else not hit
    if op == "contains":
        return isinstance(answer, list) and value in answer
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in (answer, value)):
        return False
    return bool(
        {"gt": answer > value, "gte": answer >= value, "lt": answer < value, "lte": answer <= value}[op]
    )
