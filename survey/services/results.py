"""Public results ("We asked, you said, we did"): how the page and its open data present a published report.

The public page shows only a report made for the public audience (services.reporting.make_report with
audience="public"). Such a report is already safe to publish: analysis.disclosure hid its small counts and
every count they could be worked out from (checked by the integer-programming auditor against everything
the report shows), left out sensitive sections and free text, moved it only in release steps, and rounded
its counts where the questionnaire's disclosure policy asks. Staff can publish nothing else
(survey/services/results_publish.py refuses other audiences and audits what the page would show).

So this module adds no disclosure rule of its own. It presents the report's question tables cell by cell
as they are: a hidden count stays hidden, marked like every other hidden count and never as "small"; a
question whose base is hidden is shown with every cell hidden; counts are rounded exactly as the report
rounded them, and the page says so. "Who took part" sets the census population shares (public figures)
beside the share of respondents in each group, worked out from the same public question table (a group's
answers over all mapped answers), and hidden wherever one of those cells is hidden, so it shows nothing the
question table does not. The representation flags of the report's profile are not shown: the auditor
does not model them. The open data (JSON and CSV) holds the same figures.

This module imports no analysis code: the residents' face (survey/respond) uses it and may not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from survey.engine import Questionnaire

PUBLIC = "public"


class NotPublic(ValueError):
    """A report that was not made for the public audience: it may not be shown on the public page."""


@dataclass(frozen=True)
class Cell:
    """One answer, or one group of people against the population; count and share None when hidden."""

    label: str
    count: int | None
    share: float | None
    population_share: float | None = None
    code: str = ""
    hidden: bool = False  # hidden by the public report's disclosure control (marked like every other)


@dataclass(frozen=True)
class Table:
    """A question's answers (kind "question"), or respondents against the population on one dimension."""

    kind: str  # question | population
    key: str
    number: str
    title: str
    type: str  # single | multiple | rating (questions); population
    base: int | None  # None: hidden (too few answered), with every cell
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class PublicResults:
    """What the public page and the open data show of one published public-audience report."""

    questionnaire_id: str
    kind: str
    as_of: str
    responses: int
    threshold: int
    rounding: int | None
    share_decimals: int
    questions: tuple[Table, ...]
    population: tuple[Table, ...]
    links: tuple[dict[str, Any], ...] = ()  # routing the report's bases follow (from the questionnaire)


def audience(numbers: Mapping[str, Any]) -> str:
    """The audience a report's JSON numbers were made for ("internal" for reports older than audiences)."""
    return str(numbers.get("audience") or (numbers.get("disclosure") or {}).get("audience") or "internal")


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _questions(numbers: Mapping[str, Any]) -> list[Table]:
    out = []
    for result in numbers.get("questions") or []:
        rows = result.get("rows") or []
        if not rows:
            continue
        base = _int(result.get("base"))
        cells = []
        for r in rows:
            count = None if base is None else _int(r.get("count"))
            share = None if count is None else _float(r.get("share"))
            cells.append(
                Cell(str(r.get("label")), count, share, None, str(r.get("code") or ""), count is None)
            )
        key = str(result.get("id")) + (f".{result['item']}" if result.get("item") else "")
        title = str(result.get("text") or result.get("id"))
        number = str(result.get("number") or "")
        out.append(Table("question", key, number, title, str(result.get("type") or ""), base, tuple(cells)))
    return out


def _mapped_share(table: Table, codes: Sequence[str], mapped: Sequence[str]) -> float | None:
    """The share of the mapped answers that are among `codes`, from shown cells only (None if any of them
    is hidden or missing)."""
    counts = {c.code: c.count for c in table.cells}
    if table.base is None or any(counts.get(code) is None for code in mapped):
        return None
    total = sum(counts[code] or 0 for code in mapped)
    if not total:
        return None
    return round(sum(counts[code] or 0 for code in codes) / total, 4)


def _population(numbers: Mapping[str, Any], questionnaire: Questionnaire | None) -> list[Table]:
    """Census shares beside respondents' shares worked out from the public question tables."""
    maps = {
        d.dimension: d for d in (questionnaire.demographics if questionnaire is not None else ()) if d.map
    }
    tables = {t.key: t for t in _questions(numbers)}
    out = []
    for dim in numbers.get("profile") or []:
        entry = maps.get(str(dim.get("dimension")))
        if entry is None:
            continue  # a dimension made from a number (age ranges): no public table to work it out from
        table = tables.get(entry.question)
        if table is None or table.type != "single":
            continue  # the question's table is not part of the public report
        mapping = dict(entry.map)
        mapped = [code for code, category in mapping.items() if category is not None]
        cells = []
        for row in dim.get("rows") or []:
            category = row.get("category")
            codes = [code for code, cat in mapping.items() if cat == category]
            share = _mapped_share(table, codes, mapped)
            population_share = _float(row.get("population_share"))
            cells.append(Cell(str(category), None, share, population_share, "", share is None))
        if cells:
            title = str(dim.get("title") or dim.get("dimension"))
            out.append(
                Table("population", str(dim.get("dimension")), "", title, "population", None, tuple(cells))
            )
    return out


def public_results(numbers: Mapping[str, Any], questionnaire: Questionnaire | None = None) -> PublicResults:
    """The public view of a public-audience report's JSON numbers (NotPublic for any other audience);
    `questionnaire` (its definition) maps answers to census groups for "who took part"."""
    if audience(numbers) != PUBLIC:
        raise NotPublic(
            f"this report was made for the {audience(numbers)} audience: only a report made for the public "
            "audience may be shown on the public results page"
        )
    head = numbers.get("headline") or {}
    block = numbers.get("disclosure") or {}
    return PublicResults(
        questionnaire_id=str(numbers.get("questionnaire_id") or ""),
        kind=str(numbers.get("kind") or ""),
        as_of=str(numbers.get("as_of") or ""),
        responses=int(head.get("complete") or 0),
        threshold=int(block.get("threshold") or numbers.get("min_cell") or 10),
        rounding=_int(block.get("rounding")),
        share_decimals=_int(block.get("share_decimals")) or 4,
        questions=tuple(_questions(numbers)),
        population=tuple(_population(numbers, questionnaire)),
        links=tuple(dict(link) for link in block.get("links") or []),
    )


HIDDEN_NOTE = "hidden"
ABOUT = (
    "Aggregates of a report made for the public audience: counts and bases under the disclosure threshold, "
    "and every count they could be worked out from, are hidden (empty) and all marked the same way; counts "
    "are rounded to the nearest `rounding` when it is set. population: the census share of each group "
    "beside the share of respondents in it, worked out from the question's table."
)


def open_data(results: PublicResults) -> dict[str, Any]:
    """The JSON open data: the published aggregates only."""
    return {"format": "survey-public-results", "format_version": 2, "about": ABOUT, **asdict(results)}


def open_data_csv(results: PublicResults) -> str:
    """The CSV open data: one row per cell; hidden figures are empty, with the note "hidden"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "table",
            "key",
            "number",
            "title",
            "type",
            "base",
            "answer_or_category",
            "code",
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
                    table.type,
                    "" if table.base is None else table.base,
                    _safe(cell.label),
                    _safe(cell.code),
                    "" if cell.count is None else cell.count,
                    "" if cell.share is None else cell.share,
                    "" if cell.population_share is None else cell.population_share,
                    HIDDEN_NOTE if cell.hidden else "",
                ]
            )
    return buffer.getvalue()


def _safe(text: str) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
