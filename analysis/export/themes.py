"""Theme columns for exports: one 0/1 column per theme of a free-text question and the source of each row.

The source is "staff" where staff hand-coded the answer (their codes are the truth) and "model" where the
themes are the model's tags; empty where the response did not answer the question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from analysis.export.responses import Column, ExportTable
from analysis.text.codebook import Codebook
from analysis.text.handcodes import ResolvedAnswer


def with_theme_columns(
    table: ExportTable, question_id: str, resolved: Sequence[ResolvedAnswer], codebook: Codebook
) -> ExportTable:
    """The table with `<question>_theme_<id>` (1/0) columns and a `<question>_theme_source` column added."""
    names = [c.name for c in table.columns]
    if "response_id" not in names:
        raise ValueError("the export has no response_id column to attach themes to")
    by_id = {r.response_id: r for r in resolved}
    theme_ids = list(dict.fromkeys([*codebook.theme_ids, *(t for r in resolved for t in r.themes)]))
    labels = {t.id: t.label for t in codebook.themes}
    columns = [
        Column(
            f"{question_id}_theme_{t}",
            f"{question_id}: theme {labels.get(t, t)}",
            "multiple",
            question=question_id,
            key=t,
            note="staff hand code where the answer has one, else the model's tag (see _theme_source)",
        )
        for t in theme_ids
    ]
    source = Column(
        f"{question_id}_theme_source",
        f"{question_id}: where the themes come from",
        "single",
        question=question_id,
        values=(("staff", "Staff hand code"), ("model", "Model's tag")),
    )
    at = names.index("response_id")
    rows = []
    for row in table.rows:
        answer = by_id.get(row[at])
        if answer is None:
            extra: list[object] = [None] * (len(theme_ids) + 1)
        else:
            extra = [int(t in answer.themes) for t in theme_ids] + [answer.source]
        rows.append((*row, *extra))
    asked = table.asked
    if asked:  # the theme columns were shown when the question was (routing); asked if its text is left out
        at_text = names.index(question_id) if question_id in names else None
        asked = tuple(
            (*shown, *([shown[at_text] if at_text is not None else True] * (len(theme_ids) + 1)))
            for shown in asked
        )
    return replace(table, columns=(*table.columns, *columns, source), rows=tuple(rows), asked=asked)
