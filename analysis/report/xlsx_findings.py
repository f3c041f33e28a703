"""The workbook's findings sheets: key findings (first), differences between groups, change since the interim.

Each states what the HTML report states, with numbers as numbers: shares are fractions formatted as
percentages, differences are percentage points, p-values are numbers.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from analysis.report.keyfindings import KINDS
from analysis.report.model import Report
from analysis.report.render import figure_label
from analysis.report.words import words
from analysis.report.xlsx_cells import (
    P_VALUE,
    PERCENT,
    POINTS,
    SUBTITLE,
    TITLE,
    WHOLE_PERCENT,
    WRAP,
    column_widths,
    formats,
    heading,
    rows,
    sheet,
)
from survey.engine.catalogue import N_

CHOSEN = N_(
    "How these were chosen: the largest net figure of each headline question, the clearest differences "
    "between groups that are significant after allowing for every comparison in this report, any significant "
    "change since the interim report, and how far the respondents represent the area (see Notes: methods)."
)
FINDINGS_HEADER = (
    N_("No."),
    N_("Kind"),
    N_("Finding"),
    N_("Figure"),
    N_("95% CI low"),
    N_("95% CI high"),
    N_("Base (respondents)"),
    N_("Difference (percentage points)"),
    N_("Comparison"),
    N_("Significance"),
    N_("Adjusted p"),
    N_("Comparisons allowed for"),
    N_("Source table"),
)
GROUPS_HEADER = (
    N_("Finding no."),
    N_("Group"),
    N_("In words"),
    N_("Share"),
    N_("95% CI low"),
    N_("95% CI high"),
    N_("Base (respondents)"),
)
SHARE_CELLS = {4: WHOLE_PERCENT, 5: WHOLE_PERCENT, 6: WHOLE_PERCENT}


def key_findings_sheet(ws: Worksheet, report: Report) -> None:
    """The key findings as the HTML states them, then the groups each comparison sets side by side."""
    said = words(report.language)
    _ = said.gettext
    ws.title = _("Key findings")
    heading(ws, _("Key findings: %(title)s", title=report.title), TITLE)
    day = f"{report.as_of:%d %B %Y}" if said.english else said.long_date(report.as_of)
    heading(
        ws,
        _("Interim report, responses up to %(day)s", day=day)
        if report.kind == "interim"
        else _("Final report, responses up to %(day)s", day=day),
    )
    if not report.key_findings:
        rows(
            ws,
            [
                (),
                (
                    _(
                        "This %(audience)s version has no key findings: net figures and comparisons "
                        "between groups are not yet covered by its disclosure checks.",
                        audience=report.audience,
                    ),
                ),
            ],
        )
        ws.column_dimensions["A"].width = 110
        return
    rows(ws, [(_(CHOSEN),), ()])
    rows(ws, [], tuple(_(h) for h in FINDINGS_HEADER))
    first = ws.max_row + 1
    for n, f in enumerate(report.key_findings, start=1):
        comparison = f.kind in ("difference", "change")
        rows(
            ws,
            [
                (
                    n,
                    _(KINDS[f.kind]) if f.kind in KINDS else f.kind,
                    f.text,
                    None if comparison else f.estimate,
                    f.low,
                    f.high,
                    f.base,
                    round(100 * f.estimate, 1) if comparison and f.estimate is not None else None,
                    f.comparison,
                    f.significance,
                    f.p_adjusted,
                    f.comparisons,
                    f.source_title,
                )
            ],
        )
        formats(ws, ws.max_row, {**SHARE_CELLS, 8: POINTS, 11: P_VALUE})
        for column in (3, 9, 10, 13):
            ws.cell(ws.max_row, column).alignment = WRAP
    ws.freeze_panes = ws.cell(first, 4)
    sides = [(n, side) for n, f in enumerate(report.key_findings, start=1) for side in f.compared]
    if sides:
        rows(ws, [()])
        heading(ws, _("The groups each comparison sets side by side"), SUBTITLE)
        rows(ws, [], tuple(_(h) for h in GROUPS_HEADER))
        for n, side in sides:
            rows(ws, [(n, side.group, side.among, side.share, side.low, side.high, side.base)])
            formats(ws, ws.max_row, SHARE_CELLS)
    column_widths(ws, (8, 22, 70, 10, 10, 10, 12, 14, 50, 50, 11, 12, 50))


def differences_sheet(book: Workbook, report: Report, used: set[str]) -> None:
    """Every comparison between groups: one row per group, with its test (as the HTML tables)."""
    if not report.group_tests:
        return
    ws = sheet(book, "Group differences", used)
    heading(ws, "Differences between groups", TITLE)
    rows(
        ws,
        [
            (
                "Each headline figure compared across groups (Rao–Scott adjusted chi-square on the "
                f"weighted table; Benjamini–Hochberg across all {len(report.group_tests)} comparisons, "
                "false discovery rate 5%). Groups under 10 respondents are left out of a test; under 30 are "
                "marked small.",
            ),
            (),
        ],
    )
    rows(
        ws,
        [],
        (
            "Figure",
            "Compared by",
            "Group",
            "In words",
            "Respondents",
            "Share",
            "95% CI low",
            "95% CI high",
            "Small base",
            "Rao–Scott statistic",
            "Degrees of freedom",
            "p",
            "Adjusted p",
            "Significant",
            "Result",
        ),
    )
    first = ws.max_row + 1
    for t in report.group_tests:
        label = figure_label(report, t.figure)
        for g in t.groups:
            rows(
                ws,
                [
                    (
                        label,
                        t.title,
                        g.group,
                        g.among,
                        g.base,
                        g.share,
                        g.low,
                        g.high,
                        "yes" if g.small else "no",
                        t.statistic,
                        t.df,
                        t.p_value,
                        t.p_adjusted,
                        "yes" if t.significant else "no",
                        t.words,
                    )
                ],
            )
            formats(ws, ws.max_row, {6: PERCENT, 7: PERCENT, 8: PERCENT, 12: P_VALUE, 13: P_VALUE})
    ws.freeze_panes = ws.cell(first, 4)
    column_widths(ws, (50, 14, 30, 40, 12, 9, 10, 10, 9, 11, 10, 9, 10, 11, 70))


def changes_sheet(book: Workbook, report: Report, used: set[str]) -> None:
    """A final report's change since the interim: headline figures among earlier and later respondents."""
    c = report.comparison
    if c is None:
        return
    ws = sheet(book, "Changes since interim", used)
    heading(ws, "What changed since the interim report", TITLE)
    as_of = f"{c.as_of:%d %B %Y}" if c.as_of else "the interim report"
    method = "weighted shares, linearised variances" if report.weighting.applied else "unweighted shares"
    rows(
        ws,
        [
            (
                "The headline figures among the respondents who had answered by the interim report "
                f"({as_of}) against those who answered after it: different people, compared as independent "
                f"samples ({method}, a Wald test), with the Benjamini–Hochberg procedure across the headline "
                "figures.",
            ),
            ("Answered by the interim report", c.responses_before),
            ("Answered after it", c.responses_after),
            (),
        ],
    )
    rows(
        ws,
        [],
        (
            "Figure",
            "By the interim",
            "95% CI low",
            "95% CI high",
            "Base",
            "After it",
            "95% CI low",
            "95% CI high",
            "Base",
            "Change (percentage points)",
            "p",
            "Adjusted p",
            "Significant",
        ),
    )
    labels = {ch.code: ch.label for ch in c.changes}
    for p in report.period_changes:
        rows(
            ws,
            [
                (
                    labels.get(p.figure, figure_label(report, p.figure)),
                    p.before,
                    p.before_low,
                    p.before_high,
                    p.base_before,
                    p.after,
                    p.after_low,
                    p.after_high,
                    p.base_after,
                    p.points,
                    p.p_value,
                    p.p_adjusted,
                    "yes" if p.significant else "no",
                )
            ],
        )
        formats(
            ws,
            ws.max_row,
            {**dict.fromkeys((2, 3, 4, 6, 7, 8), PERCENT), 10: POINTS, 11: P_VALUE, 12: P_VALUE},
        )
    if not report.period_changes:
        rows(ws, [("No headline figure could be compared.",)])
    rows(ws, [(), ("New themes",)])
    rows(ws, [(t,) for t in c.new_themes] or [("No new themes since the interim report.",)])
    ws.column_dimensions["A"].width = 60
    for column in "BCDEFGHIJKLM":
        ws.column_dimensions[column].width = 12
