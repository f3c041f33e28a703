"""Key findings by rule in the report JSON, and no internal code or path in any text a reader sees."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import build_report, render_html, report_to_dict
from analysis.text import default_codebook
from tests.unit.report.helpers import demo_rows, safermk

# One xdist worker runs the whole module (--dist loadgroup), not a part on each worker: the module's final
# report is built once per process.
pytestmark = pytest.mark.xdist_group("key-findings-report")


@pytest.fixture(scope="module")
def final() -> Any:
    q = safermk()
    rows = demo_rows(900, days=84)
    ref = resolve_reference(reference_name_for(q))
    interim = build_report("interim", q, rows, date(2016, 6, 13), ref, default_codebook(), with_charts=False)
    previous = json.loads(json.dumps(report_to_dict(interim)))
    return build_report(
        "final", q, rows, date(2016, 7, 26), ref, default_codebook(), previous=previous, previous_id=1
    )


def test_key_findings_carry_text_estimate_interval_base_and_source(final: Any) -> None:
    findings = report_to_dict(final)["key_findings"]
    assert 4 <= len(findings) <= 8
    headline = [f for f in findings if f["kind"] == "headline"]
    assert findings[-1]["kind"] == "caveat"
    for f in headline:
        assert f["low"] <= f["estimate"] <= f["high"]
        assert f["base"] > 100
        assert f["source"].startswith("table-")
        assert re.search(r"\(\d+%( weighted)?, 95% CI \d+–\d+%\)", f["text"]), f["text"]
    texts = " ".join(f["text"] for f in headline)
    for phrase in ("domestic abuse", "alcohol", "fire escape plan", "smoke alarm"):
        assert phrase in texts


@pytest.fixture(scope="module")
def html(final: Any) -> str:
    return render_html(final).decode()


def test_every_source_points_at_a_table_in_the_html(final: Any, html: str) -> None:
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    for f in report_to_dict(final)["key_findings"]:
        assert f["source"] in ids, f["source"]


def test_groups_differ_in_the_demo_and_are_named_in_words(final: Any) -> None:
    tests = report_to_dict(final)["group_tests"]
    significant = [t for t in tests if t["significant"]]
    assert significant, "the demo data has structure: some group differences must show"
    assert any(t["figure"] == "da_ever#0" and t["dimension"].startswith("sex") for t in significant)
    assert all(t["words"].startswith("Differs by") for t in significant)
    assert all(t["p_adjusted"] >= t["p_value"] for t in tests)


def test_changes_are_headline_figures_by_period(final: Any) -> None:
    comparison = report_to_dict(final)["comparison"]
    headline = {f["id"] for f in report_to_dict(final)["figures"] if f["headline"]}
    assert comparison["changes"]
    assert {c["code"] for c in comparison["changes"]} <= headline
    assert comparison["theme_changes"] == []
    assert comparison["responses_before"] > 0 and comparison["responses_after"] > 0


def test_tables_describe_one_population(final: Any) -> None:
    numbers = report_to_dict(final)
    kind = next(q for q in numbers["questions"] if q["id"] == "respondent_type")
    assert kind["population"].startswith("All respondents")
    assert all(r["weighted_share"] is None for r in kind["rows"])  # not "100% residents"
    business = next(q for q in numbers["questions"] if q["id"] == "business_crime")
    assert business["population"].startswith("I work in Milton Keynes")
    concern = next(q for q in numbers["questions"] if q["id"] == "concern" and q["item"] == "burglary")
    assert concern["population"].startswith("Residents")
    assert [g["label"] for g in concern["others"]][0].startswith("I work")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self.skip += 1
        for name, value in attrs:
            if name in ("alt", "title", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def test_no_internal_code_or_path_in_any_rendered_text(html: str) -> None:
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    q = safermk().raw
    codes = {str(m["dimension"]) for m in q["demographics"]}
    for section in q["sections"]:
        for question in section["questions"]:
            codes.add(str(question["id"]))
            codes.update(str(o["code"]) for o in question.get("options", []) + question.get("scale", []))
            codes.update(str(i["id"]) for i in question.get("items", []))
    internal = sorted(c for c in codes if "_" in c)  # one-word codes ("yes", "burglary") are also words
    found = [c for c in internal if re.search(rf"\b{re.escape(c)}\b", text)]
    assert found == []
    for pattern in (r"github", r"\.csv\b", r"\.rda\b", r"\bsafermk-2016\b", r"milton-keynes-census"):
        assert not re.search(pattern, text, re.IGNORECASE), pattern


def test_no_internal_code_or_path_in_the_pdf_text(final: Any) -> None:
    """Every text of the PDF (from the same HTML), read back with pypdf."""
    import io

    from pypdf import PdfReader

    from analysis.report import render_pdf

    reader = PdfReader(io.BytesIO(render_pdf(final)))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    assert "Key findings" in text
    for pattern in (r"\b[a-z]+_[a-z0-9_]+\b", r"github", r"\.csv\b", r"\.rda\b", r"milton-keynes-census"):
        found = re.findall(pattern, text, re.IGNORECASE)
        assert found == [], (pattern, found[:5])


def test_weighting_moves_estimates_in_the_demo(final: Any) -> None:
    """Young people and renters are under-represented and answer differently: weighting moves figures."""
    plan = next(q for q in report_to_dict(final)["questions"] if q["id"] == "fire_plan_home")
    no = next(r for r in plan["rows"] if r["code"] == "no")
    assert no["weighted_share"] - no["share"] > 0.05


def test_representation_flags_ignore_groups_too_small_to_judge(final: Any) -> None:
    from analysis.report.profile import judged_flag

    assert judged_flag("over", 0.002, 1000) == "small"  # the census would give 2 respondents
    assert judged_flag("under", 0.3, 1000) == "under"
    assert judged_flag("fine", 0.001, 1000) == "fine"
    tenure = next(d for d in report_to_dict(final)["profile"] if d["dimension"] == "tenure_households")
    free = next(r for r in tenure["rows"] if r["category"] == "Lives rent free")
    assert free["flag"] == "small"


def test_change_method_says_unweighted_when_nothing_was_weighted() -> None:
    q = safermk()
    rows = demo_rows(300, days=84)
    ref = resolve_reference(reference_name_for(q))
    made = {"weight_dimensions": ["no_such_margin"], "with_charts": False}
    interim = build_report("interim", q, rows, date(2016, 6, 13), ref, default_codebook(), **made)
    previous = json.loads(json.dumps(report_to_dict(interim)))
    final = build_report(
        "final", q, rows, date(2016, 7, 26), ref, default_codebook(), previous=previous, **made
    )
    assert not final.weighting.applied and final.comparison is not None
    html = render_html(final).decode("utf-8")
    assert "independent samples (unweighted shares, a Wald test)" in html
    assert "linearised variances, a Wald test" not in html
    assert _xlsx_says(final, "independent samples (unweighted shares, a Wald test)")


def _xlsx_says(report: Any, words: str) -> bool:
    import io

    from openpyxl import load_workbook

    from analysis.report import render_xlsx

    book = load_workbook(io.BytesIO(render_xlsx(report)))
    cells = (c.value for ws in book.worksheets for row in ws.iter_rows() for c in row)
    return any(isinstance(v, str) and words in v for v in cells)
