"""HTML (Jinja2, self-contained, accessible) and PDF (WeasyPrint, from the same HTML) renderings."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from analysis.report.model import Chart, QuestionResult, Report

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "reports"
if not TEMPLATES.is_dir():  # an installed wheel carries the templates in the service's bundle
    TEMPLATES = Path(__file__).resolve().parents[2] / "survey" / "_bundle" / "templates" / "reports"
FORMATS = ("html", "pdf", "xlsx", "json")


def pct(value: float | None, digits: int = 0) -> str:
    """A share (fraction) as a percentage; '–' when missing or suppressed."""
    if value is None:
        return "–"
    return f"{100 * value:.{digits}f}%"


def interval(low: float | None, high: float | None) -> str:
    """A 95% interval as 'a–b%'."""
    if low is None or high is None:
        return "–"
    return f"{100 * low:.0f}–{100 * high:.0f}%"


def long_date(value: date | None) -> str:
    """6 July 2016."""
    return "" if value is None else f"{value.day} {value:%B %Y}"


def data_uri(chart: Chart) -> str:
    """A chart as a data: URI (no external request)."""
    return f"data:{chart.mime};base64,{base64.b64encode(chart.data).decode('ascii')}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(pct=pct, interval=interval, long_date=long_date, data_uri=data_uri)
    return env


_ENV: list[Environment] = []


def environment() -> Environment:
    """The reports' Jinja2 environment (made once)."""
    if not _ENV:
        _ENV.append(_environment())
    return _ENV[0]


def sections(report: Report) -> list[tuple[str, list[tuple[str, Any, list[QuestionResult]]]]]:
    """Results in questionnaire order, per section: ("question"|"rating"|"number", result, item tables)."""
    singles = {q.id: q for q in report.questions if q.item is None}
    ratings = {x.id: x for x in report.ratings}
    numbers = {x.id: x for x in report.numbers}
    out = []
    for section in report.appendix:
        entries: list[tuple[str, Any, list[QuestionResult]]] = []
        for aq in section.questions:
            if aq.id in singles:
                entries.append(("question", singles[aq.id], []))
            elif aq.id in ratings:
                items = [q for q in report.questions if q.id == aq.id and q.item is not None]
                entries.append(("rating", ratings[aq.id], items))
            elif aq.id in numbers:
                entries.append(("number", numbers[aq.id], []))
        if entries:
            out.append((section.title, entries))
    return out


def key_findings(report: Report) -> list[str]:
    """Short sentences for the summary: the most common answer of each single-choice question."""
    out = []
    for result in report.questions:
        if result.type != "single" or result.sensitive or result.base == 0:
            continue
        shown = [r for r in result.rows if r.share is not None]
        if shown:
            top = max(shown, key=lambda r: r.share or 0.0)
            out.append(f"{result.number} {result.text} {top.label}: {pct(top.share)} (of {result.base}).")
    for rating in report.ratings:
        for item_id, label, base, shares in rating.items:
            del item_id
            two = sum(s for s in shares[:2] if s is not None)
            out.append(
                f"{rating.number} {label}: {pct(two)} {rating.labels[0].lower()} or "
                f"{rating.labels[1].lower()} (of {base})."
            )
    return out


def render_html(report: Report) -> bytes:
    """The report as one self-contained, accessible HTML page."""
    template = environment().get_template("report.html")
    html = template.render(
        r=report,
        sections=sections(report),
        findings=key_findings(report),
        chart=lambda key: report.charts.get(key),
    )
    return html.encode("utf-8")


def render_pdf(report: Report) -> bytes:
    """The report as a tagged A4 PDF (PDF/UA-1: structure tree, language, title) from the same HTML."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pdf: bytes = HTML(
        string=render_html(report).decode("utf-8"), url_fetcher=URLFetcher(allowed_protocols=["data"])
    ).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def render(report: Report, fmt: str) -> bytes:
    """Render in one of FORMATS."""
    from analysis.report.jsonout import render_json
    from analysis.report.xlsx import render_xlsx

    renderers: dict[str, Callable[[Report], bytes]] = {
        "html": render_html,
        "pdf": render_pdf,
        "xlsx": render_xlsx,
        "json": render_json,
    }
    if fmt not in renderers:
        raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](report)
