"""Paper forms' marks: why a keyed answer is missing ("left blank", "more than one box ticked").

A response dict may carry `missing_reasons` ({question id: "blank" | "multiple"}, or for a rating set
{question id: {item id: mark}}; survey.store.repository.responses_for_report). A marked question has no
answer, so it is not in any base; exports get a companion column per marked question (per rating item)
and reports a note under the question's base saying how many paper forms marked it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

Response = Mapping[str, Any]
MARK_VALUES = (("blank", "Left blank on the paper form"), ("multiple", "More than one box ticked"))
MARKS = frozenset(code for code, _ in MARK_VALUES)
SUFFIX = "_paper_mark"


def mark_of(response: Response, question: str, item: str | None = None) -> str | None:
    """The mark of a question (of one rating item) on this response's paper form, or None.

    A mark on a whole rating set (forms keyed before marks were per row) applies to each of its items.
    """
    mark = (response.get("missing_reasons") or {}).get(question)
    if isinstance(mark, Mapping):
        mark = mark.get(item) if item is not None else None
    return str(mark) if mark in MARKS else None


def marked_items(response: Response, question: str) -> dict[str | None, str]:
    """{item id (None: the whole question): mark} of one question on this response's form."""
    mark = (response.get("missing_reasons") or {}).get(question)
    if isinstance(mark, Mapping):
        return {str(k): str(v) for k, v in mark.items() if v in MARKS}
    return {None: str(mark)} if mark in MARKS else {}


def count_marks(responses: Sequence[Response], question: str, item: str | None = None) -> Counter[str]:
    """How many of these responses' paper forms marked the question (or rating item) blank or multiple."""
    found: Counter[str] = Counter()
    for r in responses:
        mark = mark_of(r, question, item)
        if mark is not None:
            found[mark] += 1
    return found


def mark_note(counts: Mapping[str, int]) -> str:
    """The report's note on a question's marks, e.g. '3 paper forms left it blank and 1 had more than one
    box ticked (not in the base)'; '' when there are none."""
    blank, multiple = counts.get("blank", 0), counts.get("multiple", 0)
    forms = "paper form" if (blank or multiple) == 1 else "paper forms"
    parts = [f"{blank} {forms} left it blank"] if blank else []
    if multiple:
        parts.append(
            f"{multiple} had more than one box ticked"
            if blank
            else f"{multiple} {forms} had more than one box ticked"
        )
    return (" and ".join(parts) + " (not in the base)") if parts else ""
