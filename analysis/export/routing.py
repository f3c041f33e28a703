"""Which questions a response was shown, and each exported question's number and routing in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from analysis.report.appendix import describe, numbering
from survey.engine import Questionnaire, evaluate
from survey.engine.model import Condition

if TYPE_CHECKING:
    from analysis.export.responses import Column

MISSING_KINDS = ("dont_know", "prefer_not_to_say")


def _conditions(questionnaire: Questionnaire) -> dict[str, list[Condition]]:
    """Question id -> the show_if conditions that must all hold (its section's and its own)."""
    out: dict[str, list[Condition]] = {}
    for section in questionnaire.sections:
        for question in section.questions:
            out[question.id] = [c for c in (section.show_if, question.show_if) if c is not None]
    return out


def routing(questionnaire: Questionnaire, column: Column) -> dict[str, Any]:
    """The column's question number, routing in words and user-missing codes (for `dataclasses.replace`)."""
    qid = str(column.question)
    conds = _conditions(questionnaire).get(qid, [])
    words = " and ".join(describe(c, questionnaire) for c in conds)
    question = questionnaire.question(qid) if questionnaire.has_question(qid) else None
    missing = tuple(o.code for o in (question.options if question else ()) if o.kind in MISSING_KINDS)
    out: dict[str, Any] = {"number": numbering(questionnaire).get(qid, ""), "asked_when": words}
    if column.kind in ("single", "rating"):
        out["missing"] = missing
    if words:
        out["note"] = f"asked only to some respondents: when {words}"
    return out


def shown(
    questionnaire: Questionnaire, columns: Sequence[Column], answers: Mapping[str, Any]
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
