"""Which comparisons the builder offers on an earlier question, in words that fit its type.

The operators come from the engine's table of what each question type allows
(`survey.engine.semantic.ALLOWED_OPERATORS`), so the builder never offers one the checks would refuse; the
value a comparison needs (an option, a whole number, a date, a postcode district) follows the type too.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from survey.engine.formats import is_outward_code
from survey.engine.semantic import ALLOWED_OPERATORS

# The operators the builder offers, in the order shown, with their words ("show it when <question> <op> …").
# (The engine's in / not_in take lists, which the builder makes as several rules joined by "any".)
OPERATORS = {
    "equals": "is",
    "not_equals": "is not",
    "contains": "includes",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
    "answered": "is answered",
}
_DATE_WORDS = {"gt": "is after", "gte": "is on or after", "lt": "is before", "lte": "is on or before"}
NUMBER_TYPES = frozenset({"number", "decimal", "money"})
ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class ComparisonError(ValueError):
    """A comparison the builder cannot make; `field` is the box at fault ('op', 'value', 'number' …)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def operator_words(qtype: str, op: str) -> str:
    """The words of `op` for a question of `qtype` ('is after' for a date, 'is more than' for a number)."""
    if qtype == "date" and op in _DATE_WORDS:
        return _DATE_WORDS[op]
    return OPERATORS.get(op, op.replace("_", " "))


def operators_for(question: dict[str, Any]) -> list[tuple[str, str]]:
    """(op, words) for every comparison the engine allows on `question`'s answer (none for an info page)."""
    qtype = str(question.get("type"))
    allowed = ALLOWED_OPERATORS.get(qtype, frozenset())
    return [(op, operator_words(qtype, op)) for op in OPERATORS if op in allowed]


def value_kind(question: dict[str, Any]) -> str:
    """What a comparison on `question` compares its answer with: 'option' (one of its codes), 'number' (a
    whole number), 'date' (YYYY-MM-DD), 'postcode' (a district, or a ward) or '' (nothing: only answered)."""
    qtype = str(question.get("type"))
    if qtype in ("single", "multiple"):
        return "option"
    if qtype in NUMBER_TYPES:
        return "number"
    return qtype if qtype in ("date", "postcode") else ""


def comparison(question: dict[str, Any], op: str, value: str) -> dict[str, Any]:
    """One comparison on an earlier question, checked as the engine will check it."""
    if op not in dict(operators_for(question)):
        raise ComparisonError("op", "Select one of the ways listed to compare the answer")
    leaf: dict[str, Any] = {"q": question["id"], "op": op}
    if op == "answered":
        return leaf
    kind, value = value_kind(question), value.strip()
    if kind == "option":
        codes = [str(o.get("code")) for o in question.get("options") or []]
        if value not in codes:
            raise ComparisonError("value", "Select one of the question’s options")
        leaf["value"] = value
    elif kind == "number":
        if not re.fullmatch(r"-?[0-9]{1,15}", value):
            raise ComparisonError("number", "Enter a whole number to compare with, like 18")
        leaf["value"] = int(value)
    elif kind == "date":
        leaf["value"] = _date(value)
    elif kind == "postcode":
        leaf["value"] = _district(question, value)
    return leaf


def _date(value: str) -> str:
    try:
        date.fromisoformat(value if ISO_DATE.match(value) else "")
    except ValueError:
        raise ComparisonError("date", "Enter a real date like 2027-03-31") from None
    return value


def _district(question: dict[str, Any], value: str) -> str:
    if question.get("keep") == "ward":  # the answer kept is a ward code, not a district
        if not value:
            raise ComparisonError("postcode", "Enter the ward code to compare with")
        return value
    district = value.upper().replace(" ", "")
    if not is_outward_code(district):
        raise ComparisonError("postcode", "Enter the first half of a postcode, like MK9")
    return district
