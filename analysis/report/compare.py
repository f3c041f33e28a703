"""What changed between two reports' JSON numbers: shares that moved and themes that are new."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date
from typing import Any

from analysis.report.model import Change, Comparison

MIN_POINTS = 5.0  # moves smaller than this are listed only when statistically significant


def significant(p1: float, n1: int, p2: float, n2: int) -> bool:
    """Two-proportion z-test at the 5% level (pooled)."""
    if n1 <= 0 or n2 <= 0:
        return False
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return se > 0 and abs(p1 - p2) / se > 1.959963984540054


def compare(
    previous: Mapping[str, Any], after: Mapping[str, Any], snapshot_id: int | None = None
) -> Comparison:
    """Compare two reports' numbers (dicts as in docs/reports.md: questions, themes, headline)."""
    before_q = {(q.get("id"), q.get("item")): q for q in previous.get("questions", [])}
    changes = []
    for result in after.get("questions", []):
        old = before_q.get((result.get("id"), result.get("item")))
        if old is None:
            continue
        old_rows = {r.get("code"): r for r in old.get("rows", [])}
        for row in result.get("rows", []):
            old_row = old_rows.get(row.get("code"))
            if row.get("share") is None or old_row is None or old_row.get("share") is None:
                continue
            change = _change(
                result["id"],
                result.get("item"),
                row["code"],
                f"{result.get('text')}: {row.get('label')}",
                float(old_row["share"]),
                int(old.get("base", 0)),
                float(row["share"]),
                int(result.get("base", 0)),
            )
            if change is not None:
                changes.append(change)
    theme_changes, new = _themes(previous, after)
    as_of = previous.get("as_of")
    return Comparison(
        snapshot_id=snapshot_id,
        as_of=date.fromisoformat(as_of) if isinstance(as_of, str) else None,
        responses_before=int((previous.get("headline") or {}).get("complete", 0)),
        responses_after=int((after.get("headline") or {}).get("complete", 0)),
        changes=tuple(sorted(changes, key=lambda c: -abs(c.points))),
        theme_changes=tuple(sorted(theme_changes, key=lambda c: -abs(c.points))),
        new_themes=tuple(new),
    )


def _change(
    qid: str, item: str | None, code: str, label: str, before: float, n1: int, after: float, n2: int
) -> Change | None:
    points = round(100 * (after - before), 1)
    sig = significant(before, n1, after, n2)
    if abs(points) < MIN_POINTS and not sig:
        return None
    return Change(qid, item, code, label, round(before, 4), round(after, 4), points, sig)


def _themes(previous: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[list[Change], list[str]]:
    before = {b.get("question"): b for b in previous.get("themes", [])}
    changes: list[Change] = []
    new: list[str] = []
    for block in after.get("themes", []):
        old = before.get(block.get("question")) or {}
        old_rows = {t.get("id"): t for t in old.get("themes", [])}
        old_emerging = {e.get("label") for e in old.get("emerging", [])}
        number = block.get("number", "")
        for row in block.get("themes", []):
            prev = old_rows.get(row.get("id")) or {}
            if row.get("respondents") and not prev.get("respondents"):
                new.append(f"{number} {row.get('label')}")
            if row.get("share") is not None and prev.get("share") is not None:
                change = _change(
                    block["question"],
                    None,
                    row["id"],
                    f"{number} theme: {row.get('label')}",
                    float(prev["share"]),
                    int(old.get("answered", 0)),
                    float(row["share"]),
                    int(block.get("answered", 0)),
                )
                if change is not None:
                    changes.append(change)
        new.extend(
            f"{number} emerging: {e.get('label')}"
            for e in block.get("emerging", [])
            if e.get("label") not in old_emerging
        )
    return changes, new
