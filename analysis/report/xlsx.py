"""The report as a workbook (openpyxl), in the HTML report's order: key findings (first sheet), notes and
methods, summary, progress, who responded, weights, differences between groups, change since the interim,
themes, one sheet per closed question and number question, and the questionnaire as asked."""

from __future__ import annotations

import io

from openpyxl import Workbook

from analysis.report.model import Report
from analysis.report.profile import margin_name
from analysis.report.words import words
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
from survey.engine.catalogue import N_

NO_CLOSE = N_("No closing date set")
FLAG_WORDS = {
    "under": N_("under-represented"),
    "over": N_("over-represented"),
    "fine": "",
    "small": N_("too few to judge"),
    "hidden": N_("not shown (few people)"),
}
NOT_APPLICABLE = N_("Not applicable (no closing date set)")
ACTIONS_HEADING = {
    "interim": N_("Groups to reach before the close"),
    "final": N_("Groups still under-represented at the close"),
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
    _ = words(report.language).gettext
    notes = sheet(book, _("Notes"), used)
    notice = _(report.disclosure["notice"]) if report.disclosure.get("notice") else ""
    title = (
        _("%(title)s: interim report", title=report.title)
        if report.kind == "interim"
        else _("%(title)s: final report", title=report.title)
    )
    heading(notes, title, TITLE)
    rows(
        notes,
        [
            (_("Organisation"), report.organisation),
            (_("Responses up to"), report.as_of),
            (_("Made (UTC)"), report.generated_at.replace(tzinfo=None)),
            (_("Questionnaire"), f"{report.questionnaire_id} {', '.join(report.questionnaire_versions)}"),
            (_("Reference population"), f"{report.reference} ({report.reference_version})"),
            (_("Codebook"), f"{report.codebook} {report.codebook_version}"),
            (_("Audience"), f"{report.audience}: {notice}".strip()),
            (
                _("Suppression"),
                _("hidden counts are left empty (threshold %(n)s; see the methods)", n=report.min_cell),
            ),
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
    _ = words(report.language).gettext
    h = report.headline
    ws = sheet(book, _("Summary"), used)
    rows(
        ws,
        [
            (_("Complete responses"), h.complete),
            (_("Journeys started"), h.started),
            (_("Completion rate"), h.completion_rate),
            (_("Opens"), h.opens),
            (_("Closes"), h.closes or _(NO_CLOSE)),
            (_("Days open"), h.days_open),
            (_("Days left"), _(NOT_APPLICABLE) if h.days_left is None else h.days_left),
            (_("Complete per day (last 14 days)"), h.recent_per_day),
            (
                _("Projected at close"),
                _(NOT_APPLICABLE) if h.projected_at_close is None else h.projected_at_close,
            ),
            (_("Median minutes"), h.median_minutes),
            (_("Outside the population"), h.outside_population),
            # after the rows formatted by position below
            (
                _("Ended: the survey was not for them"),
                _("hidden") if h.screened_out is None else h.screened_out,
            ),
        ],
        (_("Figure"), _("Value")),
    )
    ws["B4"].number_format = PERCENT
    ws["B5"].number_format = DATE
    ws["B6"].number_format = DATE
    if report.actions:
        rows(ws, [()])
        heading(ws, _(ACTIONS_HEADING[report.kind]))
        rows(
            ws,
            ((a.group, a.sample_share, a.population_share, a.needed) for a in report.actions[:5]),
            (_("Group"), _("Share of respondents"), _("Share of the population"), _("More responses needed")),
        )
        number_format(ws, (1, 2), ws.max_row - min(len(report.actions), 5) + 1)
    widths(ws, 36, 22)


def _progress(book: Workbook, report: Report, used: set[str]) -> None:
    _ = words(report.language).gettext
    ws = sheet(book, _("Progress"), used)
    rows(
        ws,
        ((d.day, d.started, d.complete, d.cumulative) for d in report.progress),
        (_("Day"), _("Started"), _("Completed"), _("Total completed")),
    )
    number_format(ws, (0,), 2, DATE)
    rows(ws, [()])
    rows(
        ws,
        ((t.name, t.started, t.complete) for t in report.channels),
        (_("Channel"), _("Started"), _("Complete")),
    )
    rows(ws, [()])
    rows(
        ws, ((t.name, t.started, t.complete) for t in report.modes), (_("Mode"), _("Started"), _("Complete"))
    )
    widths(ws, 24)


def _profile(book: Workbook, report: Report, used: set[str]) -> None:
    _ = words(report.language).gettext
    ws = sheet(book, _("Profile"), used)
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
                _(FLAG_WORDS[r.flag]) if FLAG_WORDS.get(r.flag) else FLAG_WORDS.get(r.flag, r.flag),
                r.needed,
            )
            for d in report.profile
            for r in d.rows
        ),
        (
            _("Dimension"),
            _("Group"),
            _("Respondents"),
            _("Share"),
            _("Weighted share"),
            _("Population share"),
            _("Index"),
            _("Flag"),
            _("More needed"),
        ),
    )
    number_format(ws, (3, 4, 5), 2)
    widths(ws, 22)
    ws.column_dimensions["B"].width = 44
    rows(ws, [(), (_("Under-represented groups and what to do"),)])
    rows(
        ws,
        (
            (margin_name(a.dimension, words(report.language)), a.group, a.needed, a.advice)
            for a in report.actions
        ),
        (_("Dimension"), _("Group"), _("More needed"), _("What to do")),
    )
    rows(ws, [(), (_("Each dimension: respondents without a category, findings, caveat and sources"),)])
    rows(
        ws,
        (
            (
                _(d.title),
                d.respondents,
                d.missing.get("not_answered"),
                d.missing.get("not_stated"),
                d.missing.get("unmapped"),
                " ".join(d.findings),
                _(d.caveat) if d.caveat else "",
                "; ".join(d.sources),
            )
            for d in report.profile
        ),
        (
            _("Dimension"),
            _("Respondents"),
            _("Not answered"),
            _("Prefer not to say"),
            _("Outside every category"),
            _("Findings"),
            _("Caveat"),
            _("Sources"),
        ),
    )


def _weights(book: Workbook, report: Report, used: set[str]) -> None:
    _ = words(report.language).gettext
    w = report.weighting
    ws = sheet(book, _("Weights"), used)
    rows(
        ws,
        [
            (_("Applied"), _("yes") if w.applied else _("no")),
            (_("Margins"), ", ".join(margin_name(m) for m in w.margins)),
            (_("Respondents weighted"), w.respondents),
            (_("Converged"), _("yes") if w.converged else _("no")),
            (_("Effective sample size"), w.effective_n),
            (_("Efficiency"), w.efficiency),
            (_("Design effect"), w.deff),
            (_("Smallest weight"), w.min_weight),
            (_("Largest weight"), w.max_weight),
            (_("Cap"), w.cap),
            *((_("Message"), m) for m in w.messages),
        ],
        (_("Weighting"), ""),
    )
    ws["B7"].number_format = PERCENT
    widths(ws, 26)


def _themes(book: Workbook, report: Report, used: set[str]) -> None:
    _ = words(report.language).gettext
    ws = sheet(book, _("Themes"), used)
    rows(
        ws,
        (
            (b.number, b.text, t.label, t.respondents, t.share, b.answered, " | ".join(t.quotes))
            for b in report.themes
            for t in b.themes
        ),
        (
            _("Question"),
            _("Text"),
            _("Theme"),
            _("Respondents"),
            _("Share"),
            _("Answered"),
            _("Quotes (redacted)"),
        ),
    )
    number_format(ws, (4,), 2)
    widths(ws, 10)
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 30
    ws.column_dimensions["G"].width = 80
    rows(ws, [(), (_("Emerging themes"),)])
    rows(
        ws,
        (
            (b.number, e.label, e.size, ", ".join(e.key_terms), " | ".join(e.examples))
            for b in report.themes
            for e in b.emerging
        ),
        (_("Question"), _("Label"), _("Answers"), _("Key terms"), _("Examples (redacted)")),
    )
    rows(ws, [(), (_("Most frequent terms (the word cloud as a table)"),)])
    rows(
        ws,
        ((b.number, term, count) for b in report.themes for term, count in b.top_terms),
        (_("Question"), _("Term"), _("Mentions")),
    )


def _questions(book: Workbook, report: Report, used: set[str]) -> None:
    _ = words(report.language).gettext
    for q in report.questions:
        # named in words (an item by its own label), never by internal ids
        name = q.text.rsplit(" – ", 1)[-1] if q.item else q.text
        ws = sheet(book, short_title(f"{q.number} {name}"), used)
        heading(ws, f"{q.number} {q.text}")
        rows(
            ws,
            [
                (
                    _("Who: %(who)s.", who=q.population) + " " + _("Base: %(base)s.", base=q.base_note)
                    if q.population
                    else _("Base: %(base)s", base=q.base_note),
                )
            ],
        )
        if q.paper_note:
            rows(ws, [(_("Paper forms: %(note)s.", note=q.paper_note),)])
        rows(
            ws,
            [
                (
                    _("Respondents (base)"),
                    q.base,
                    _("Weighted base"),
                    q.weighted_base,
                    _("Effective sample size"),
                    q.effective_n,
                    _("Small base (under 30)") if q.small_base else "",
                )
            ],
        )
        others = [_("%(group)s (n = %(n)s): share", group=g.label, n=g.base) for g in q.others]
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
                _("Answer"),
                _("Code"),
                _("Count"),
                _("Share"),
                "95% low",
                "95% high",
                _("Weighted share"),
                _("Weighted low"),
                _("Weighted high"),
                _("Suppressed"),
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
                        _(
                            "Columns after Suppressed: respondents outside the weighted population, "
                            "unweighted; empty where fewer than 10 answered."
                        ),
                    ),
                ],
            )
        widths(ws)
    for n in report.numbers:
        ws = sheet(book, short_title(f"{n.number} {n.text}"), used)
        heading(ws, f"{n.number} {n.text}")
        rows(ws, [(_("Respondents (base)"), n.base, _("Median"), n.median, _("Mean"), n.mean)])
        rows(ws, n.bands, (_("Band"), _("Respondents"), _("Share")))
        number_format(ws, (2,), 4)
        widths(ws, 20)


def _appendix(book: Workbook, report: Report, used: set[str]) -> None:
    _ = words(report.language).gettext
    ws = sheet(book, _("Questionnaire"), used)
    heading(ws, _("The questionnaire as asked"), TITLE)
    rows(
        ws,
        (
            (
                s.title,
                _("yes") if s.sensitive else _("no"),
                s.shown_when,
                q.number,
                q.text,
                q.type,
                _("yes") if q.required else _("no"),
                " · ".join(q.answers),
                "; ".join(q.items),
                q.shown_when,
            )
            for s in report.appendix
            for q in s.questions
        ),
        (
            _("Section"),
            _("Sensitive"),
            _("Section shown when"),
            _("Number"),
            _("Question"),
            _("Type"),
            _("Required"),
            _("Answers"),
            _("Items"),
            _("Asked when"),
        ),
    )
    for column, width in zip("ABCDEFGHIJ", (24, 10, 30, 8, 60, 10, 9, 60, 40, 40), strict=True):
        ws.column_dimensions[column].width = width
