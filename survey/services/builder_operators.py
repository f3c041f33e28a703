"""Which comparisons the builder offers on an earlier question, in words that fit its type.

The operators come from the engine's table of what each question type allows
(`survey.engine.semantic.ALLOWED_OPERATORS`), so the builder never offers one the checks would refuse; the
value a comparison needs (an option, a whole number, a date, a postcode district) follows the type too.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from survey.engine.catalogue import N_
from survey.engine.formats import is_outward_code
from survey.engine.semantic import ALLOWED_OPERATORS
from survey.services.words import gettext

# The operators the builder offers, in the order shown, with their words ("show it when <question> <op> …").
# (The engine's in / not_in take lists, which the builder makes as several rules joined by "any".)
# The words are msgids (marked N_, translated where they are shown: `operator_words`).
OPERATORS = {
    "equals": N_("is"),
    "not_equals": N_("is not"),
    "contains": N_("includes"),
    "gt": N_("is more than"),
    "gte": N_("is at least"),
    "lt": N_("is less than"),
    "lte": N_("is at most"),
    "answered": N_("is answered"),
}
_DATE_WORDS = {
    "gt": N_("is after"),
    "gte": N_("is on or after"),
    "lt": N_("is before"),
    "lte": N_("is on or before"),
}
# A whole comparison in words, for the condition's description ('Shown when ‘Age’ is more than 18').
RULES = {
    "equals": N_("‘%(question)s’ is ‘%(value)s’"),
    "not_equals": N_("‘%(question)s’ is not ‘%(value)s’"),
    "contains": N_("‘%(question)s’ includes ‘%(value)s’"),
    "gt": N_("‘%(question)s’ is more than ‘%(value)s’"),
    "gte": N_("‘%(question)s’ is at least ‘%(value)s’"),
    "lt": N_("‘%(question)s’ is less than ‘%(value)s’"),
    "lte": N_("‘%(question)s’ is at most ‘%(value)s’"),
    "answered": N_("‘%(question)s’ is answered"),
}
_DATE_RULES = {
    "gt": N_("‘%(question)s’ is after ‘%(value)s’"),
    "gte": N_("‘%(question)s’ is on or after ‘%(value)s’"),
    "lt": N_("‘%(question)s’ is before ‘%(value)s’"),
    "lte": N_("‘%(question)s’ is on or before ‘%(value)s’"),
}
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
        return gettext(_DATE_WORDS[op])
    return gettext(OPERATORS[op]) if op in OPERATORS else op.replace("_", " ")


def rule_words(qtype: str, op: str, question: str, value: str | None) -> str:
    """One comparison in words, a whole clause: '‘Age’ is more than ‘18’' (`value` None: no value)."""
    rule = _DATE_RULES.get(op) if qtype == "date" else None
    rule = rule or RULES.get(op)
    if rule is None:  # an operator made outside the builder
        rule = N_("‘%(question)s’ %(operator)s ‘%(value)s’")
        return gettext(rule, question=question, operator=op.replace("_", " "), value=value or "")
    if op == "answered":
        return gettext(rule, question=question)
    return gettext(rule, question=question, value=value or "")


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
        raise ComparisonError("op", gettext("Select one of the ways listed to compare the answer"))
    leaf: dict[str, Any] = {"q": question["id"], "op": op}
    if op == "answered":
        return leaf
    kind, value = value_kind(question), value.strip()
    if kind == "option":
        codes = [str(o.get("code")) for o in question.get("options") or []]
        if value not in codes:
            raise ComparisonError("value", gettext("Select one of the question’s options"))
        leaf["value"] = value
    elif kind == "number":
        if not re.fullmatch(r"-?[0-9]{1,15}", value):
            raise ComparisonError("number", gettext("Enter a whole number to compare with, like 18"))
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
        raise ComparisonError("date", gettext("Enter a real date like 2027-03-31")) from None
    return value


def _district(question: dict[str, Any], value: str) -> str:
    if question.get("keep") == "ward":  # the answer kept is a ward code, not a district
        if not value:
            raise ComparisonError("postcode", gettext("Enter the ward code to compare with"))
        return value
    district = value.upper().replace(" ", "")
    if not is_outward_code(district):
        raise ComparisonError("postcode", gettext("Enter the first half of a postcode, like MK9"))
    return district
