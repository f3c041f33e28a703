"""Paper-form mark columns in exports: `<variable>_paper_mark` after each question (rating item) marked.

analysis.paper_marks says what a mark is; here each question (each rating item) that a paper form in the
export marked "blank" or "multiple" gets a companion column right after its own, coded blank / multiple
(empty: no mark) in CSV and 1 / 2 (0: no mark, -1: not asked) in SPSS (analysis.export.spss).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from analysis.paper_marks import MARK_VALUES, SUFFIX, marked_items

if TYPE_CHECKING:
    from analysis.export.responses import Column

MARK_NOTE = (
    "paper forms only: why the answer is missing (blank = left blank on the form, multiple = more than one "
    "box ticked; empty = no mark). Added for each question a paper form in this export marked."
)


def _mark_group(col: Column) -> tuple[str, str | None] | None:
    """The question (and rating item) a column belongs to, for placing paper-mark columns."""
    if not col.question or col.kind in ("meta", "weight", "paper_mark") or "." in col.question:
        return None
    return col.question, col.key if col.kind == "rating" else None


def with_mark_columns(columns: Sequence[Column], responses: Sequence[Mapping[str, Any]]) -> list[Column]:
    """The columns with a `<variable>_paper_mark` column after each question (each rating item) that a
    paper form among `responses` marked "blank" or "multiple" (analysis.paper_marks)."""
    groups: dict[str, list[str | None]] = {}
    for col in columns:
        if (group := _mark_group(col)) is not None and group[1] not in groups.setdefault(group[0], []):
            groups[group[0]].append(group[1])
    marked: set[tuple[str, str | None]] = set()
    for r in responses:
        for question, keys in groups.items():
            for item in marked_items(r, question):
                marked |= {(question, k) for k in keys} if item is None else {(question, item)}
    out: list[Column] = []
    for i, col in enumerate(columns):
        out.append(col)
        group = _mark_group(col)
        following = _mark_group(columns[i + 1]) if i + 1 < len(columns) else None
        if group is None or group == following or group not in marked:
            continue
        question, item = group
        name = f"{question}_{item}" if item is not None else question
        label = col.label if item is not None else col.label.split(" – ")[0]
        note = "; ".join(n for n in (MARK_NOTE, col.note) if n)
        out.append(
            replace(
                col,
                name=name + SUFFIX,
                label=f"{label} (paper form mark)",
                kind="paper_mark",
                key=item,
                values=MARK_VALUES,
                note=note,
                missing=(),
            )
        )
    return out
