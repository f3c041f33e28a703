"""The report as a workbook (openpyxl), in the HTML report's order: key findings (first sheet), notes and
methods, summary, progress, who responded, weights, differences between groups, change since the interim,
themes, one sheet per closed question and number question, and the questionnaire as asked."""

from __future__ import annotations

import io

from openpyxl import Workbook

from analysis.report.model import Report
from analysis.report.profile import margin_name
from analysis.report.xlsx_cells import (
    BOLD,
    DATE,
    PERCENT,
    TITLE,
    WRAP,
    heading,
    number_format,
    rows,
    sheet,
    short_title,
    widths,
)
from analysis.report.xlsx_findings import changes_sheet, differences_sheet, key_findings_sheet

NO_CLOSE = "No closing date set"
FLAG_WORDS = {
    "under": "under-represented",
    "over": "over-represented",
    "fine": "",
    "small": "too few to judge",
    "hidden": "not shown (few people)",
}
NOT_APPLICABLE = "Not applicable (no closing date set)"
ACTIONS_HEADING = {
    "interim": "Groups to reach before the close",
    "final": "Groups still under-represented at the close",
}


def render_xlsx(report: Report) -> bytes:
    """Workbook bytes; shares are fractions formatted as percentages, suppressed cells left empty."""
    book = Workbook()
    first = book.active
    assert first is not None
    key_findings_sheet(first, report)
    used = {first.title.lower()}
    _notes(book, report, used)
    _summary(book, report, used)
    _progress(book, report, used)
    _profile(book, report, used)
    _weights(book, report, used)
    differences_sheet(book, report, used)
    changes_sheet(book, report, used)
    _themes(book, report, used)
    _questions(book, report, used)
    _appendix(book, report, used)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _notes(book: Workbook, report: Report, used: set[str]) -> None:
    notes = sheet(book, "Notes", used)
    heading(notes, f"{report.title}: {report.kind} report", TITLE)
    rows(
        notes,
        [
            ("Organisation", report.organisation),
            ("Responses up to", report.as_of),
            ("Made (UTC)", report.generated_at.replace(tzinfo=None)),
            ("Questionnaire", f"{report.questionnaire_id} {', '.join(report.questionnaire_versions)}"),
            ("Reference population", f"{report.reference} ({report.reference_version})"),
            ("Codebook", f"{report.codebook} {report.codebook_version}"),
            ("Audience", f"{report.audience}: {report.disclosure.get('notice', '')}".strip()),
            ("Suppression", f"hidden counts are left empty (threshold {report.min_cell}; see the methods)"),
            (),
        ],
    )
    notes["B3"].number_format = DATE
    notes["B4"].number_format = "d mmmm yyyy hh:mm"
    for title, text in report.methods:
        rows(notes, [(title, text)])
        notes.cell(notes.max_row, 1).font = BOLD
        notes.cell(notes.max_row, 2).alignment = WRAP
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 110


def _summary(book: Workbook, report: Report, used: set[str]) -> None:
    h = report.headline
    ws = sheet(book, "Summary", used)
    rows(
        ws,
        [
            ("Complete responses", h.complete),
            ("Journeys started", h.started),
            ("Completion rate", h.completion_rate),
            ("Opens", h.opens),
            ("Closes", h.closes or NO_CLOSE),
            ("Days open", h.days_open),
            ("Days left", NOT_APPLICABLE if h.days_left is None else h.days_left),
            ("Complete per day (last 14 days)", h.recent_per_day),
            ("Projected at close", NOT_APPLICABLE if h.projected_at_close is None else h.projected_at_close),
            ("Median minutes", h.median_minutes),
            ("Outside the population", h.outside_population),
            # after the rows formatted by position below
            ("Ended: the survey was not for them", "hidden" if h.screened_out is None else h.screened_out),
        ],
        ("Figure", "Value"),
    )
    ws["B4"].number_format = PERCENT
    ws["B5"].number_format = DATE
    ws["B6"].number_format = DATE
    if report.actions:
        rows(ws, [()])
        heading(ws, ACTIONS_HEADING[report.kind])
        rows(
            ws,
            ((a.group, a.sample_share, a.population_share, a.needed) for a in report.actions[:5]),
            ("Group", "Share of respondents", "Share of the population", "More responses needed"),
        )
        number_format(ws, (1, 2), ws.max_row - min(len(report.actions), 5) + 1)
    widths(ws, 36, 22)


def _progress(book: Workbook, report: Report, used: set[str]) -> None:
    ws = sheet(book, "Progress", used)
    rows(
        ws,
        ((d.day, d.started, d.complete, d.cumulative) for d in report.progress),
        ("Day", "Started", "Completed", "Total completed"),
    )
    number_format(ws, (0,), 2, DATE)
    rows(ws, [()])
    rows(ws, ((t.name, t.started, t.complete) for t in report.channels), ("Channel", "Started", "Complete"))
    rows(ws, [()])
    rows(ws, ((t.name, t.started, t.complete) for t in report.modes), ("Mode", "Started", "Complete"))
    widths(ws, 24)


def _profile(book: Workbook, report: Report, used: set[str]) -> None:
    ws = sheet(book, "Profile", used)
    rows(
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
                FLAG_WORDS.get(r.flag, r.flag),
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
    number_format(ws, (3, 4, 5), 2)
    widths(ws, 22)
    ws.column_dimensions["B"].width = 44
    rows(ws, [(), ("Under-represented groups and what to do",)])
    rows(
        ws,
        ((margin_name(a.dimension), a.group, a.needed, a.advice) for a in report.actions),
        ("Dimension", "Group", "More needed", "What to do"),
    )
    rows(ws, [(), ("Each dimension: respondents without a category, findings, caveat and sources",)])
    rows(
        ws,
        (
            (
                d.title,
                d.respondents,
                d.missing.get("not_answered"),
                d.missing.get("not_stated"),
                d.missing.get("unmapped"),
                " ".join(d.findings),
                d.caveat,
                "; ".join(d.sources),
            )
            for d in report.profile
        ),
        (
            "Dimension",
            "Respondents",
            "Not answered",
            "Prefer not to say",
            "Outside every category",
            "Findings",
            "Caveat",
            "Sources",
        ),
    )


def _weights(book: Workbook, report: Report, used: set[str]) -> None:
    w = report.weighting
    ws = sheet(book, "Weights", used)
    rows(
        ws,
        [
            ("Applied", "yes" if w.applied else "no"),
            ("Margins", ", ".join(margin_name(m) for m in w.margins)),
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
    ws["B7"].number_format = PERCENT
    widths(ws, 26)


def _themes(book: Workbook, report: Report, used: set[str]) -> None:
    ws = sheet(book, "Themes", used)
    rows(
        ws,
        (
            (b.number, b.text, t.label, t.respondents, t.share, b.answered, " | ".join(t.quotes))
            for b in report.themes
            for t in b.themes
        ),
        ("Question", "Text", "Theme", "Respondents", "Share", "Answered", "Quotes (redacted)"),
    )
    number_format(ws, (4,), 2)
    widths(ws, 10)
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 30
    ws.column_dimensions["G"].width = 80
    rows(ws, [(), ("Emerging themes",)])
    rows(
        ws,
        (
            (b.number, e.label, e.size, ", ".join(e.key_terms), " | ".join(e.examples))
            for b in report.themes
            for e in b.emerging
        ),
        ("Question", "Label", "Answers", "Key terms", "Examples (redacted)"),
    )
    rows(ws, [(), ("Most frequent terms (the word cloud as a table)",)])
    rows(
        ws,
        ((b.number, term, count) for b in report.themes for term, count in b.top_terms),
        ("Question", "Term", "Mentions"),
    )


def _questions(book: Workbook, report: Report, used: set[str]) -> None:
    for q in report.questions:
        # named in words (an item by its own label), never by internal ids
        words = q.text.rsplit(" – ", 1)[-1] if q.item else q.text
        ws = sheet(book, short_title(f"{q.number} {words}"), used)
        heading(ws, f"{q.number} {q.text}")
        rows(
            ws, [(f"Who: {q.population}. Base: {q.base_note}." if q.population else f"Base: {q.base_note}",)]
        )
        if q.paper_note:
            rows(ws, [(f"Paper forms: {q.paper_note}.",)])
        rows(
            ws,
            [
                (
                    "Respondents (base)",
                    q.base,
                    "Weighted base",
                    q.weighted_base,
                    "Effective sample size",
                    q.effective_n,
                    "Small base (under 30)" if q.small_base else "",
                )
            ],
        )
        others = [f"{g.label} (n = {g.base}): share" for g in q.others]
        rows(
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
                    *(g.shares[i] if i < len(g.shares) else None for g in q.others),
                )
                for i, r in enumerate(q.rows)
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
                *others,
            ),
        )
        number_format(ws, (3, 4, 5, 6, 7, 8, *range(10, 10 + len(others))), 5)
        if others:
            rows(
                ws,
                [
                    (),
                    (
                        "Columns after Suppressed: respondents outside the weighted population, unweighted; "
                        "empty where fewer than 10 answered.",
                    ),
                ],
            )
        widths(ws)
    for n in report.numbers:
        ws = sheet(book, short_title(f"{n.number} {n.text}"), used)
        heading(ws, f"{n.number} {n.text}")
        rows(ws, [("Respondents (base)", n.base, "Median", n.median, "Mean", n.mean)])
        rows(ws, n.bands, ("Band", "Respondents", "Share"))
        number_format(ws, (2,), 4)
        widths(ws, 20)


def _appendix(book: Workbook, report: Report, used: set[str]) -> None:
    ws = sheet(book, "Questionnaire", used)
    heading(ws, "The questionnaire as asked", TITLE)
    rows(
        ws,
        (
            (
                s.title,
                "yes" if s.sensitive else "no",
                s.shown_when,
                q.number,
                q.text,
                q.type,
                "yes" if q.required else "no",
                " · ".join(q.answers),
                "; ".join(q.items),
                q.shown_when,
            )
            for s in report.appendix
            for q in s.questions
        ),
        (
            "Section",
            "Sensitive",
            "Section shown when",
            "Number",
            "Question",
            "Type",
            "Required",
            "Answers",
            "Items",
            "Asked when",
        ),
    )
    for column, width in zip("ABCDEFGHIJ", (24, 10, 30, 8, 60, 10, 9, 60, 40, 40), strict=True):
        ws.column_dimensions[column].width = width
