"""The report as a workbook (openpyxl): notes, summary, progress, profile, weights, themes, questions."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from analysis.export.safe import clean_text, safe_cell
from analysis.report.model import Report

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
NO_CLOSE = "No closing date set"
NOT_APPLICABLE = "Not applicable (no closing date set)"


def _sheet(book: Workbook, title: str, used: set[str]) -> Worksheet:
    name = re.sub(r"[\[\]:*?/\\']", " ", clean_text(title)).strip()[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return book.create_sheet(name)


def _rows(ws: Worksheet, rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None) -> None:
    if header:
        ws.append([safe_cell(h) for h in header])
        for cell in ws[ws.max_row]:
            cell.font = BOLD
    for row in rows:
        ws.append([safe_cell(v) for v in row])


def _widths(ws: Worksheet, first: int = 48) -> None:
    ws.column_dimensions["A"].width = first
    for col in "BCDEFGHIJ":
        ws.column_dimensions[col].width = 14


def render_xlsx(report: Report) -> bytes:
    """Workbook bytes; shares are fractions formatted as percentages, suppressed cells left empty."""
    book = Workbook()
    used: set[str] = set()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    used.add("notes")
    notes.append([safe_cell(f"{report.title}: {report.kind} report")])
    notes["A1"].font = TITLE
    _rows(
        notes,
        [
            ("Organisation", report.organisation),
            ("Responses up to", report.as_of.isoformat()),
            ("Made", report.generated_at.isoformat()),
            ("Questionnaire", f"{report.questionnaire_id} {', '.join(report.questionnaire_versions)}"),
            ("Reference population", f"{report.reference} ({report.reference_version})"),
            ("Codebook", f"{report.codebook} {report.codebook_version}"),
            ("Audience", f"{report.audience}: {report.disclosure.get('notice', '')}".strip()),
            ("Suppression", f"hidden counts are left empty (threshold {report.min_cell}; see the methods)"),
            (),
        ],
    )
    for heading, text in report.methods:
        _rows(notes, [(heading, text)])
        notes.cell(notes.max_row, 1).font = BOLD
        notes.cell(notes.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 110

    h = report.headline
    ws = _sheet(book, "Summary", used)
    _rows(
        ws,
        [
            ("Complete responses", h.complete),
            ("Journeys started", h.started),
            ("Completion rate", h.completion_rate),
            ("Opens", h.opens.isoformat()),
            ("Closes", h.closes.isoformat() if h.closes else NO_CLOSE),
            ("Days open", h.days_open),
            ("Days left", NOT_APPLICABLE if h.days_left is None else h.days_left),
            ("Complete per day (last 14 days)", h.recent_per_day),
            ("Projected at close", NOT_APPLICABLE if h.projected_at_close is None else h.projected_at_close),
            ("Median minutes", h.median_minutes),
            ("Outside the population", h.outside_population),
        ],
        ("Figure", "Value"),
    )
    ws["B4"].number_format = "0.0%"
    _widths(ws, 36)

    ws = _sheet(book, "Progress", used)
    _rows(
        ws,
        ((d.day, d.started, d.complete, d.cumulative) for d in report.progress),
        ("Day", "Started", "Completed", "Total completed"),
    )
    _rows(ws, [()])
    _rows(ws, ((t.name, t.started, t.complete) for t in report.channels), ("Channel", "Started", "Complete"))
    _rows(ws, [()])
    _rows(ws, ((t.name, t.started, t.complete) for t in report.modes), ("Mode", "Started", "Complete"))
    _widths(ws, 24)

    _profile(book, report, used)
    _weights(book, report, used)
    _themes(book, report, used)
    _questions(book, report, used)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _percent(ws: Worksheet, columns: Sequence[int], first_row: int) -> None:
    for row in ws.iter_rows(min_row=first_row):
        for c in columns:
            row[c].number_format = "0.0%"


def _profile(book: Workbook, report: Report, used: set[str]) -> None:
    ws = _sheet(book, "Profile", used)
    _rows(
        ws,
        (
            (
                d.title,
                r.category,
                r.respondents,
                r.sample_share,
                r.weighted_share,
                r.population_share,
                r.index,
                r.flag,
                r.needed,
            )
            for d in report.profile
            for r in d.rows
        ),
        (
            "Dimension",
            "Group",
            "Respondents",
            "Share",
            "Weighted share",
            "Population share",
            "Index",
            "Flag",
            "More needed",
        ),
    )
    _percent(ws, (3, 4, 5), 2)
    _widths(ws, 22)
    ws.column_dimensions["B"].width = 44
    _rows(ws, [(), ("Under-represented groups and what to do",)])
    _rows(
        ws,
        ((a.dimension, a.group, a.needed, a.advice) for a in report.actions),
        ("Dimension", "Group", "More needed", "What to do"),
    )


def _weights(book: Workbook, report: Report, used: set[str]) -> None:
    w = report.weighting
    ws = _sheet(book, "Weights", used)
    _rows(
        ws,
        [
            ("Applied", "yes" if w.applied else "no"),
            ("Margins", ", ".join(w.margins)),
            ("Respondents weighted", w.respondents),
            ("Converged", "yes" if w.converged else "no"),
            ("Effective sample size", w.effective_n),
            ("Efficiency", w.efficiency),
            ("Design effect", w.deff),
            ("Smallest weight", w.min_weight),
            ("Largest weight", w.max_weight),
            ("Cap", w.cap),
            *(("Message", m) for m in w.messages),
        ],
        ("Weighting", ""),
    )
    _widths(ws, 26)


def _themes(book: Workbook, report: Report, used: set[str]) -> None:
    ws = _sheet(book, "Themes", used)
    _rows(
        ws,
        (
            (b.number, b.text, t.label, t.respondents, t.share, b.answered, " | ".join(t.quotes))
            for b in report.themes
            for t in b.themes
        ),
        ("Question", "Text", "Theme", "Respondents", "Share", "Answered", "Quotes (redacted)"),
    )
    _percent(ws, (4,), 2)
    _widths(ws, 10)
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 30
    ws.column_dimensions["G"].width = 80
    _rows(ws, [(), ("Emerging themes",)])
    _rows(
        ws,
        (
            (b.number, e.label, e.size, ", ".join(e.key_terms), " | ".join(e.examples))
            for b in report.themes
            for e in b.emerging
        ),
        ("Question", "Label", "Answers", "Key terms", "Examples (redacted)"),
    )


def _questions(book: Workbook, report: Report, used: set[str]) -> None:
    for q in report.questions:
        ws = _sheet(book, f"{q.number} {q.item or q.id}", used)
        ws.append([safe_cell(f"{q.number} {q.text}")])
        ws["A1"].font = BOLD
        ws.append([safe_cell(f"Base: {q.base_note}")])
        if q.paper_note:
            ws.append([safe_cell(f"Paper forms: {q.paper_note}")])
        ws.append([safe_cell(f"Weighted base {q.weighted_base}, effective sample size {q.effective_n}")])
        _rows(
            ws,
            (
                (
                    r.label,
                    r.code,
                    r.count,
                    r.share,
                    r.low,
                    r.high,
                    r.weighted_share,
                    r.weighted_low,
                    r.weighted_high,
                    r.suppressed or "",
                )
                for r in q.rows
            ),
            (
                "Answer",
                "Code",
                "Count",
                "Share",
                "95% low",
                "95% high",
                "Weighted share",
                "Weighted low",
                "Weighted high",
                "Suppressed",
            ),
        )
        _percent(ws, (3, 4, 5, 6, 7, 8), 5)
        _widths(ws)
    for n in report.numbers:
        ws = _sheet(book, f"{n.number} {n.id}", used)
        ws.append([safe_cell(f"{n.number} {n.text}")])
        ws.append([safe_cell(f"Base {n.base}; median {n.median}; mean {n.mean}")])
        _rows(ws, n.bands, ("Band", "Respondents", "Share"))
        _percent(ws, (2,), 4)
        _widths(ws, 20)
