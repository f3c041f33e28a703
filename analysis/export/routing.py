"""Which questions a response was shown, and each exported question's number and routing in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from analysis.report.appendix import describe, numbering, typed, typed_condition
from survey.engine import evaluate

if TYPE_CHECKING:
    from analysis.export.responses import Column

MISSING_KINDS = ("dont_know", "prefer_not_to_say")


def _conditions(questionnaire: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    """Question id -> the show_if conditions that must all hold (its section's and its own)."""
    out: dict[str, list[Mapping[str, Any]]] = {}
    for section in questionnaire.get("sections", []):
        for question in section.get("questions", []):
            conds = [c for c in (section.get("show_if"), question.get("show_if")) if c]
            out[str(question.get("id"))] = conds
    return out


def routing(questionnaire: Mapping[str, Any], column: Column) -> dict[str, Any]:
    """The column's question number, routing in words and user-missing codes (for `dataclasses.replace`)."""
    qid = str(column.question)
    conds = _conditions(questionnaire).get(qid, [])
    words = " and ".join(describe(typed_condition(c), typed(questionnaire)) for c in conds)  # TRANSITIONAL
    question: Mapping[str, Any] = next(
        (q for s in questionnaire.get("sections", []) for q in s.get("questions", []) if q.get("id") == qid),
        {},
    )
    options = question.get("scale" if question.get("type") == "rating" else "options", [])
    missing = tuple(str(o.get("code")) for o in options if o.get("kind") in MISSING_KINDS)
    out: dict[str, Any] = {
        "number": numbering(typed(questionnaire)).get(qid, ""),
        "asked_when": words,
    }  # TRANSITIONAL
    if column.kind in ("single", "rating"):
        out["missing"] = missing
    if words:
        out["note"] = f"asked only to some respondents: when {words}"
    return out


def shown(
    questionnaire: Mapping[str, Any], columns: Sequence[Column], answers: Mapping[str, Any]
) -> tuple[bool, ...]:
    """Per column: was its question shown to this response (True for columns that are not questions)?"""
    conds = _conditions(questionnaire)
    seen: dict[str, bool] = {}
    out = []
    for col in columns:
        if not col.question:
            out.append(True)
            continue
        if col.question not in seen:
            seen[col.question] = all(evaluate(c, answers) for c in conds.get(col.question, []))
        out.append(seen[col.question])
    return tuple(out)
