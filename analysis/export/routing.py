"""Which questions a response was shown, and each exported question's number and routing in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from analysis.disclosure.routing import show_conditions
from analysis.report.appendix import describe, numbering
from survey.engine import Questionnaire, evaluate
from survey.engine.model import Condition

if TYPE_CHECKING:
    from analysis.export.responses import Column

MISSING_KINDS = ("dont_know", "prefer_not_to_say")


@dataclass(frozen=True, eq=False)
class Routes:
    """A questionnaire's routing as an export reads it, worked out once per export (not per column or row)."""

    questionnaire: Questionnaire

    @cached_property
    def conditions(self) -> dict[str, tuple[Condition, ...]]:
        """Question id -> the show_if conditions that must all hold (its section's and its own)."""
        q = self.questionnaire
        return {question.id: show_conditions(question, s) for s in q.sections for question in s.questions}

    @cached_property
    def numbers(self) -> dict[str, str]:
        """Question id -> its number (analysis.report.appendix.numbering)."""
        return numbering(self.questionnaire)

    def routing(self, column: Column) -> dict[str, Any]:
        """The column's question number, routing in words and user-missing codes (for dataclasses.replace)."""
        q, qid = self.questionnaire, str(column.question)
        words = " and ".join(describe(c, q, self.numbers) for c in self.conditions.get(qid, ()))
        question = q.question(qid) if q.has_question(qid) else None
        missing = tuple(o.code for o in (question.options if question else ()) if o.kind in MISSING_KINDS)
        out: dict[str, Any] = {"number": self.numbers.get(qid, ""), "asked_when": words}
        if column.kind in ("single", "rating"):
            out["missing"] = missing
        if words:
            out["note"] = f"asked only to some respondents: when {words}"
        return out

    def shown(self, columns: Sequence[Column], answers: Mapping[str, Any]) -> tuple[bool, ...]:
        """Per column: was its question shown to this response (True for columns that are not questions)?"""
        conds = self.conditions
        seen: dict[str, bool] = {}
        out = []
        for col in columns:
            if not col.question:
                out.append(True)
                continue
            if col.question not in seen:
                seen[col.question] = all(evaluate(c, answers) for c in conds.get(col.question, ()))
            out.append(seen[col.question])
        return tuple(out)
