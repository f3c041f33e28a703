"""HTML (accessible, self-contained, escaped), PDF (A4, page numbers), XLSX and JSON renderings."""

from __future__ import annotations

import copy
import io
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import Report, build_report, render, render_html, render_json, render_pdf, render_xlsx
from analysis.text import default_codebook
from survey.engine import load_dict
from tests.unit.report.helpers import INTERIM_DAY, demo_rows, safermk

# One xdist worker runs the whole module (--dist loadgroup), not a part on each worker: the module's report,
# HTML and PDF are built once per process.
pytestmark = pytest.mark.xdist_group("render-report")

XSS = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://x")'


def _hostile_questionnaire() -> dict[str, Any]:
    raw = copy.deepcopy(safermk().raw)
    ward = next(q for s in raw["sections"] for q in s["questions"] if q["id"] == "ward")
    ward["options"][0]["label"] = {"en": f'{XSS}"><img src=x onerror=alert(1)>', "pl": "x"}
    tenure = next(q for s in raw["sections"] for q in s["questions"] if q["id"] == "tenure")
    tenure["options"][0]["label"] = {"en": FORMULA, "pl": "x"}
    return raw


@pytest.fixture(scope="module")
def report() -> Report:
    q = load_dict(_hostile_questionnaire())
    rows = demo_rows(150, seed=3)
    for i, row in enumerate(rows[:15]):
        if row["status"] == "complete":
            row["answers"]["concerns_text"] = (
                f"{XSS} burglars broke into sheds on our road, number {i} this year"
            )
    return build_report(
        "interim",
        q,
        rows,
        INTERIM_DAY,
        resolve_reference(reference_name_for(q)),
        default_codebook(),
    )


@pytest.fixture(scope="module")
def html(report: Report) -> str:
    return render_html(report).decode("utf-8")


def test_html_is_accessible(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html is not None and soup.html.get("lang") == "en"
    assert soup.title is not None and "Interim report" in soup.title.text
    assert len(soup.find_all("h1")) == 1
    images = soup.find_all("img")
    assert len(images) > 20
    assert all(len(str(img.get("alt", ""))) > 20 for img in images)
    tables = soup.find_all("table")
    assert all(t.find("caption") and t.find("caption").text.strip() for t in tables)
    # every chart has a table equivalent nearby: as many tables as figures at least
    assert len(tables) >= len(images)
    assert all(th.get("scope") in ("col", "row") for th in soup.find_all("th"))


def test_html_is_self_contained(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find_all("script") and not soup.find_all("link")
    assert all(str(img["src"]).startswith("data:image/") for img in soup.find_all("img"))
    assert all(str(a["href"]).startswith("#") for a in soup.find_all("a"))
    assert "http://" not in html.replace("HYPERLINK(&#34;http://x&#34;)", "")
    assert "https://" not in html


def test_html_escapes_hostile_text(html: str) -> None:
    assert XSS not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_interim_is_labelled(html: str) -> None:
    assert "Interim snapshot" in html and "still open" in html


@pytest.fixture(scope="module")
def pdf_bytes(report: Report) -> bytes:
    return render_pdf(report)


@pytest.fixture(scope="module")
def pdf_texts(pdf_bytes: bytes) -> list[str]:
    """Each page's text as pypdf extracts it (once per module: it takes seconds)."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages]


def test_pdf_is_a4_with_page_numbers(pdf_bytes: bytes, pdf_texts: list[str]) -> None:
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(pdf_bytes))
    assert len(pdf.pages) > 10
    box = pdf.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2
    assert f"Page 2 of {len(pdf.pages)}" in pdf_texts[1]
    text = "".join(pdf_texts[:4])
    assert "Contents" in text and "Interim report" in text


def test_no_pdf_page_holds_only_a_caption_or_heading(pdf_texts: list[str], report: Report) -> None:
    """A table's caption (or a heading) never sits alone at the foot of a page with its table on the next."""
    assert report.actions, "the fixture should have the under-represented groups table (its long rows split)"
    lonely = []
    for number, page in enumerate(pdf_texts[:-1], start=1):  # the appendix may end on a short page
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = [line for line in lines if not re.search(r"Page \d+ of \d+$", line)]
        if number > 1 and len(body) <= 2:
            lonely.append((number, body))
    assert not lonely, lonely


def test_pdf_is_tagged_with_language_and_title(pdf_bytes: bytes, report: Report) -> None:
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(pdf_bytes))
    catalog = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog  # tagged: headings, tables, figures and reading order
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == report.language == "en"
    assert pdf.metadata is not None and pdf.metadata.title is not None
    assert pdf.metadata.title.startswith(f"{report.title} – Interim report")
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])


def test_xlsx_sheets_and_no_formulas(report: Report) -> None:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render_xlsx(report)))
    names = book.sheetnames
    assert names[:6] == ["Key findings", "Notes", "Summary", "Progress", "Profile", "Weights"]
    # questions are named in words (rating items by their own label), never by internal ids
    assert "Q1 Which of these best…" in names and "Q8 Burglary" in names and "Q9 After dark" in names
    assert not [n for n in names if "_" in n], names
    assert all(len(n) <= 31 for n in names)
    assert len(names) == len({n.lower() for n in names})
    found_formula_text = False
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "@")), (ws.title, cell.value)
                    found_formula_text |= cell.value == "'" + FORMULA
    assert found_formula_text  # the hostile label is there, neutralised
    q3 = book["Q3 Does your household own or…"]
    header = [c.value for c in q3[4]]
    assert header[:4] == ["Answer", "Code", "Count", "Share"]


def test_json_numbers(report: Report) -> None:
    numbers = json.loads(render_json(report))
    assert numbers["format"] == "survey-report" and numbers["kind"] == "interim"
    assert numbers["as_of"] == INTERIM_DAY.isoformat()
    assert numbers["headline"]["complete"] == report.headline.complete
    assert "charts" not in numbers and numbers["chart_alternatives"]["progress"].startswith(
        "Chart of responses"
    )
    assert {q["id"] for q in numbers["questions"]} >= {"respondent_type", "concern", "substances"}


def test_render_rejects_unknown_format(report: Report) -> None:
    with pytest.raises(ValueError, match="unknown report format 'docx'"):
        render(report, "docx")


def test_build_rejects_bad_kind_and_min_cell() -> None:
    q = safermk()
    ref = resolve_reference(reference_name_for(q))
    with pytest.raises(ValueError, match="report kind must be one of interim, final"):
        build_report("weekly", q, [], INTERIM_DAY, ref, default_codebook())
    with pytest.raises(ValueError, match="min_cell must be at least 1"):
        build_report("interim", q, [], INTERIM_DAY, ref, default_codebook(), min_cell=0)


def test_final_report_shows_changes_since_interim() -> None:
    """Residents answering after the interim see alcohol differently: the period comparison finds it."""
    q = safermk()
    ref = resolve_reference(reference_name_for(q))
    rows = demo_rows(400, seed=11, days=84)
    early = build_report("interim", q, rows, INTERIM_DAY, ref, default_codebook(), with_charts=False)
    for row in rows:  # opinion moved among later respondents: alcohol is no problem
        done = row["completed_on"]
        if row["status"] == "complete" and done is not None and done > INTERIM_DAY:
            row["answers"]["substances"] = ["none"]
    final = build_report(
        "final",
        q,
        rows,
        INTERIM_DAY + timedelta(days=60),
        ref,
        default_codebook(),
        previous=json.loads(render_json(early)),
        previous_id=7,
        with_charts=False,
    )
    assert final.comparison is not None and final.comparison.snapshot_id == 7
    moved = {c.code: c for c in final.comparison.changes}
    assert moved["substances#0"].points < -50 and moved["substances#0"].significant
    assert moved["substances#0"].after == 0.0
    assert not moved["da_ever#0"].significant  # nothing else changed
    assert any(f.kind == "change" for f in final.key_findings)
    html = render_html(final).decode()
    assert "What changed since the interim report" in html and "Final report" in html


def test_xlsx_survives_control_characters_in_free_text() -> None:
    from openpyxl import load_workbook

    questionnaire = safermk()
    rows = demo_rows(150, seed=3)
    for row in rows:
        text = row["answers"].get("closing_text")
        if isinstance(text, str):  # stored before input cleaning: an escape and a bell in each answer
            row["answers"]["closing_text"] = "\x1b[0m" + text.replace(" ", " \x07", 1)
    report = build_report(  # undrawn charts, as the service makes an XLSX report: the workbook has none
        "interim",
        questionnaire,
        rows,
        INTERIM_DAY,
        resolve_reference(reference_name_for(questionnaire)),
        default_codebook(),
        draw_charts=False,
    )
    quotes = [q for b in report.themes for t in b.themes for q in t.quotes]
    assert any("\x1b" in q for q in quotes)  # the control characters reach the workbook writer
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    texts = [c.value for r in book["Themes"].iter_rows() for c in r if isinstance(c.value, str)]
    assert sum("[0m" in t for t in texts) >= 1  # the quotes are there, cleaned
    assert not any("\x1b" in t or "\x07" in t for t in texts)


def test_no_closing_date_is_said_and_nothing_is_projected() -> None:
    from datetime import date

    raw = safermk().raw
    assert "closes" not in raw  # SaferMK 2016 as bundled: open, no closing date
    rows = demo_rows(150, seed=3)
    reference = resolve_reference(reference_name_for(safermk()))
    report = build_report(
        "interim", safermk(), rows, INTERIM_DAY, reference, default_codebook(), with_charts=False
    )
    h = report.headline
    assert (h.closes, h.days_left, h.projected_at_close) == (None, None, None)
    page = BeautifulSoup(render_html(report), "html.parser").get_text(" ", strip=True)
    assert "still open (no closing date set)" in page
    assert "Days left Not applicable: no closing date set" in page
    assert "Projected at close Not applicable: no closing date set" in page
    assert "assumed" not in page and "12 weeks" not in page
    assert json.loads(render_json(report))["headline"]["closes"] is None
    summary = load_xlsx(render_xlsx(report))["Summary"]
    figures = {row[0].value: row[1].value for row in summary.iter_rows(min_row=2)}
    assert figures["Closes"] == "No closing date set"
    assert figures["Projected at close"] == "Not applicable (no closing date set)"

    closes = date(2016, 7, 26)
    dated = build_report(
        "interim",
        safermk(),
        rows,
        INTERIM_DAY,
        reference,
        default_codebook(),
        closes=closes,
        with_charts=False,
    )
    assert dated.headline.closes == closes and dated.headline.days_left == 43
    assert dated.headline.projected_at_close is not None
    assert dated.headline.projected_at_close > dated.headline.complete
    assert "still open until 26 July 2016" in render_html(dated).decode()


def load_xlsx(data: bytes) -> Any:
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def test_pdf_keeps_short_tables_whole(html: str) -> None:
    """No page ends with a table's caption, header and a row or two: short tables move whole."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TableBox
    from weasyprint.urls import URLFetcher

    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).render()
    pages_of: dict[Any, set[int]] = {}

    def walk(box: Any, page: int) -> None:
        if isinstance(box, TableBox):
            pages_of.setdefault(box.element, set()).add(page)
        for child in getattr(box, "children", ()):
            walk(child, page)

    for number, page in enumerate(document.pages):
        walk(page._page_box, number)
    assert len(pages_of) > 40
    split = [
        (element.find("caption").text or "")[:60]
        for element, pages in pages_of.items()
        if len(pages) > 1 and len(element.findall(".//tr")) <= 30
    ]
    assert split == []
