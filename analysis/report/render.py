"""HTML (Jinja2, self-contained, accessible) and PDF (WeasyPrint, from the same HTML) renderings."""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from analysis.report.findings import table_anchor
from analysis.report.keyfindings import p_words
from analysis.report.model import Chart, QuestionResult, Report
from analysis.report.profile import margin_name
from analysis.report.sourcelang import mark_within, marker, mixes
from analysis.report.words import Words, words

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


def _environment(lang: str) -> Environment:
    said = words(lang)
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=lambda value: "–" if value is None else value,  # a hidden count (disclosure control)
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(said.translations, newstyle=False)  # type: ignore[attr-defined]
    env.filters.update(
        pct=pct if said.english else said.pct,
        interval=interval,
        long_date=long_date if said.english else said.long_date,
        date_time=said.date_time,
        number=said.number,
        data_uri=data_uri,
        margin_name=lambda d: margin_name(d, said),
        say=lambda text: said.gettext(str(text)),
        table_id=lambda q: table_anchor(q.id, q.item),
        first_upper=first_upper,
        join_and=lambda items: join_and(items, said),
    )
    env.globals["p_words"] = lambda p: p_words(p, said)
    return env


_ENV: dict[str, Environment] = {}


def environment(lang: str = "en") -> Environment:
    """The reports' Jinja2 environment for a language (made once per language)."""
    if lang not in _ENV:
        _ENV[lang] = _environment(lang)
    return _ENV[lang]


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


def significant_by_figure(report: Report) -> list[tuple[str, list[Any]]]:
    """The significant group differences, one entry per figure in report order: (figure label, tests)."""
    out: dict[str, list[Any]] = {}
    for test in report.group_tests:
        if test.significant:
            out.setdefault(test.figure, []).append(test)
    return [(figure_label(report, fid), tests) for fid, tests in out.items()]


def comparison_grid(report: Report) -> tuple[list[str], list[tuple[str, list[Any]]]]:
    """Every comparison as a grid: dimension titles, then per figure its label and each dimension's test
    (None where the figure was not compared on that dimension)."""
    titles = list(dict.fromkeys(t.title for t in report.group_tests))
    rows: dict[str, dict[str, Any]] = {}
    for test in report.group_tests:
        rows.setdefault(test.figure, {})[test.title] = test
    return titles, [(figure_label(report, fid), [got.get(t) for t in titles]) for fid, got in rows.items()]


def figure_label(report: Report, fid: str) -> str:
    """'Q8: are fairly or very concerned about burglary' for a figure id."""
    return next((f"{f.number}: {f.label}" for f in report.figures if f.id == fid), fid)


def join_and(items: Any, said: Words | None = None) -> str:
    """'sex, age and ward' ('rhyw, oedran a ward' in Welsh)."""
    texts = [str(w) for w in items]
    if len(texts) < 2:
        return "".join(texts)
    _ = (said or words("en")).gettext
    return _("%(items)s and %(last)s", items=", ".join(texts[:-1]), last=texts[-1])


def first_upper(text: str) -> str:
    """The text with its first letter upper-case and the rest left alone (unlike Jinja's capitalize)."""
    return text[:1].upper() + text[1:]


def render_html(report: Report) -> bytes:
    """The report as one self-contained, accessible HTML page (tables scroll in their own region)."""
    label = words(report.language).gettext("Table (scrolls sideways)")
    return scrollable_tables(_page(report), label).encode("utf-8")


def _page(report: Report, *, pdf: bool = False) -> str:
    """The report's HTML; the PDF uses it as it is (a page has no sideways scroll, and a wrapper would
    let WeasyPrint split a table from its caption), except that its charts keep their whole description
    as the `alt` (WeasyPrint draws no visually hidden text, and a PDF's structure tree carries no
    language of parts either way)."""
    template = environment(report.language).get_template("report.html")
    src = marker(report)
    html = template.render(
        r=report,
        sections=sections(report),
        chart=lambda key: report.charts.get(key),
        figure_label=lambda fid: figure_label(report, fid),
        significant=significant_by_figure(report),
        grid=comparison_grid(report),
        periods={c.figure: c for c in report.period_changes},
        src=src,
        mixed=mixes(report) if not pdf else (lambda text: False),
        own=lambda text: own(text, words(report.language), src),
    )
    return mark_within(html, report)


def own(text: Any, said: Words, src: Any) -> Any:
    """Data the catalogue can say (a shipped census universe or caveat) in the report's language; other data
    as it is, marked with its language by `src`."""
    if not text:
        return text
    translated = said.gettext(str(text))
    return translated if translated != str(text) else src(text)


def scrollable_tables(html: str, label: str = "Table (scrolls sideways)") -> str:
    """Wrap each table in a focusable region that scrolls sideways on a narrow screen (WCAG 1.4.10:
    the page reflows at 320 px; a data table may scroll inside its own region)."""
    wrapper = f'<div class="table-scroll" role="region" aria-label="{escape(label)}" tabindex="0">'
    out = re.sub(r"<table\b", wrapper + "<table", html)
    return out.replace("</table>", "</table></div>")


def render_pdf(report: Report) -> bytes:
    """The report as a tagged A4 PDF (PDF/UA-1: structure tree, language, title) from the same HTML."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.ERROR)
    pdf: bytes = HTML(
        string=_page(report, pdf=True), url_fetcher=URLFetcher(allowed_protocols=["data"])
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
