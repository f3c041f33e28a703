"""Interim and final reports: build the numbers (`build_report`), then render HTML, PDF, XLSX or JSON.

Pure Python (no Flask, SQLModel or `survey`):

    report = build_report("interim", q, responses, as_of, reference, codebook, previous=None)
    render_html(report) / render_pdf(report) / render_xlsx(report) / render_json(report) -> bytes
    report_to_dict(report) -> the JSON numbers (docs/reports.md)
"""

from __future__ import annotations

from analysis.report.build import STEPS, as_of_view, build_report, reference_version
from analysis.report.jsonout import render_json, report_to_dict
from analysis.report.model import FORMAT_VERSION, KINDS, Report
from analysis.report.render import FORMATS, render, render_html, render_pdf


def render_xlsx(report: Report) -> bytes:
    """The report as an Excel workbook (`analysis.report.xlsx`, which loads openpyxl, is imported on first
    use)."""
    from analysis.report.xlsx import render_xlsx as render_workbook

    return render_workbook(report)


__all__ = [
    "FORMATS",
    "FORMAT_VERSION",
    "KINDS",
    "STEPS",
    "Report",
    "as_of_view",
    "build_report",
    "reference_version",
    "render",
    "render_html",
    "render_json",
    "render_pdf",
    "render_xlsx",
    "report_to_dict",
]
