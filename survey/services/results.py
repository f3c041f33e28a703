"""Public results ("We asked, you said, we did"): what of a published report the public page shows.

Integration point with disclosure control (kept simple on purpose): the page reads the JSON numbers of the
latest report snapshot that staff *published* (survey/staff/results.py), and shows only aggregates:
- a count under MIN_CELL (10) is never shown: the cell reads "fewer than 10" and its share is hidden;
- where a table has exactly one such cell, the next smallest cell is hidden too, so that it cannot be
  worked out from the base and the other cells;
- a question answered by fewer than MIN_CELL people is not shown at all; sensitive questions and free
  text are never shown.
When the public audience's rules of the disclosure work land, `public_results` is the one place to apply
them. This module imports no analysis code (the residents' face may not).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

MIN_CELL = 10
FEWER = f"fewer than {MIN_CELL}"


@dataclass(frozen=True)
class Cell:
    """One answer or category: its count and share, or None when hidden."""

    label: str
    count: int | None
    share: float | None
    population_share: float | None = None
    code: str = ""


@dataclass(frozen=True)
class Table:
    """A question's answers, or respondents against the population on one dimension."""

    kind: str  # question | population
    key: str
    number: str
    title: str
    base: int
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class PublicResults:
    """What the public page and the open data show of one published report."""

    questionnaire_id: str
    kind: str
    as_of: str
    responses: int
    min_cell: int
    questions: tuple[Table, ...]
    population: tuple[Table, ...]


def _hide_small(
    pairs: Sequence[tuple[str, int, float | None, float | None]], codes: Sequence[str] = ()
) -> tuple[Cell, ...]:
    small = {i for i, (_l, n, _s, _p) in enumerate(pairs) if n < MIN_CELL}
    if len(small) == 1:
        shown = [i for i in range(len(pairs)) if i not in small and pairs[i][1] > 0]
        if shown:
            small.add(min(shown, key=lambda i: pairs[i][1]))
    return tuple(
        Cell(
            label,
            None if i in small else n,
            None if i in small else share,
            pop,
            codes[i] if i < len(codes) else "",
        )
        for i, (label, n, share, pop) in enumerate(pairs)
    )


def _questions(numbers: Mapping[str, Any]) -> list[Table]:
    out: list[Table] = []
    for result in numbers.get("questions") or []:
        if result.get("sensitive") or int(result.get("base") or 0) < MIN_CELL:
            continue
        rows = [
            (str(r.get("label")), int(r.get("count") or 0), r.get("share"), None)  # suppressed: 0, hidden
            for r in result.get("rows") or []
        ]
        if not rows:
            continue
        title = str(result.get("text") or result.get("id"))
        key = str(result.get("id")) + (f".{result['item']}" if result.get("item") else "")
        codes = [str(r.get("code") or "") for r in result.get("rows") or []]
        out.append(
            Table(
                "question",
                key,
                str(result.get("number") or ""),
                title,
                int(result["base"]),
                _hide_small(rows, codes),
            )
        )
    return out


def _population(numbers: Mapping[str, Any]) -> list[Table]:
    out: list[Table] = []
    for dim in numbers.get("profile") or []:
        rows = [
            (
                str(r.get("category")),
                int(r.get("respondents") or 0),
                r.get("sample_share"),
                r.get("population_share"),
            )
            for r in dim.get("rows") or []
        ]
        if not rows or int(dim.get("respondents") or 0) < MIN_CELL:
            continue
        out.append(
            Table(
                "population",
                str(dim.get("dimension")),
                "",
                str(dim.get("title") or dim.get("dimension")),
                int(dim.get("respondents") or 0),
                _hide_small(rows),
            )
        )
    return out


def public_results(numbers: Mapping[str, Any]) -> PublicResults:
    """The public view of a report's JSON numbers (see the module's rules)."""
    head = numbers.get("headline") or {}
    return PublicResults(
        questionnaire_id=str(numbers.get("questionnaire_id") or ""),
        kind=str(numbers.get("kind") or ""),
        as_of=str(numbers.get("as_of") or ""),
        responses=int(head.get("complete") or 0),
        min_cell=MIN_CELL,
        questions=tuple(_questions(numbers)),
        population=tuple(_population(numbers)),
    )


def open_data(results: PublicResults) -> dict[str, Any]:
    """The JSON open data: the published aggregates only."""
    return {"format": "survey-public-results", "format_version": 1, **asdict(results)}


def open_data_csv(results: PublicResults) -> str:
    """The CSV open data: one row per cell; hidden cells are empty with a note."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "table",
            "key",
            "number",
            "title",
            "base",
            "answer_or_category",
            "count",
            "share",
            "population_share",
            "note",
        ]
    )
    for table in (*results.questions, *results.population):
        for cell in table.cells:
            writer.writerow(
                [
                    table.kind,
                    _safe(table.key),
                    table.number,
                    _safe(table.title),
                    table.base,
                    _safe(cell.label),
                    "" if cell.count is None else cell.count,
                    "" if cell.share is None else round(cell.share, 4),
                    "" if cell.population_share is None else round(cell.population_share, 4),
                    FEWER + " (hidden)" if cell.count is None else "",
                ]
            )
    return buffer.getvalue()


def _safe(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
