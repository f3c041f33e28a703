"""The workbook carries what the HTML report has: key findings first (read back against the JSON numbers),
differences between groups, change since the interim and the questionnaire, with numbers as numbers."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import Report, build_report, render_xlsx, report_to_dict
from analysis.report.keyfindings import KINDS
from analysis.text import default_codebook
from tests.unit.report.helpers import INTERIM_DAY, demo_rows, safermk


@pytest.fixture(scope="module")
def final() -> Report:
    """A final report whose later respondents changed their minds about alcohol: every kind of finding."""
    q = safermk()
    reference = resolve_reference(reference_name_for(q))
    rows = demo_rows(400, seed=11, days=84)
    early = build_report("interim", q, rows, INTERIM_DAY, reference, default_codebook(), with_charts=False)
    for row in rows:
        if row["status"] == "complete" and row["completed_on"] and row["completed_on"] > INTERIM_DAY:
            row["answers"]["substances"] = ["none"]
    return build_report(
        "final",
        q,
        rows,
        date(2016, 8, 12),
        reference,
        default_codebook(),
        previous=report_to_dict(early),
        previous_id=4,
        with_charts=False,
    )


@pytest.fixture(scope="module")
def book(final: Report) -> Any:
    return load_workbook(io.BytesIO(render_xlsx(final)))


def _table(ws: Worksheet, first_header: str) -> tuple[list[str], list[tuple[Any, ...]], int]:
    """The header starting with `first_header`, the rows below it up to the first empty row, and the
    sheet row of the first of them."""
    header_row = next(r for r in ws.iter_rows() if r[0].value == first_header)
    start = header_row[0].row + 1
    found = []
    for row in ws.iter_rows(min_row=start):
        if row[0].value is None:
            break
        found.append(tuple(c.value for c in row))
    header = [str(c.value) for c in header_row if c.value is not None]
    return header, found, start


def test_key_findings_are_the_first_sheet_and_the_one_shown(book: Any) -> None:
    assert book.sheetnames[0] == "Key findings"
    assert book.active.title == "Key findings"


def test_key_findings_sheet_matches_the_json_findings(final: Report, book: Any) -> None:
    expected = report_to_dict(final)["key_findings"]
    assert {f["kind"] for f in expected} == {"headline", "difference", "change", "caveat"}
    ws = book["Key findings"]
    header, rows, start = _table(ws, "No.")
    assert header[:8] == [
        "No.",
        "Kind",
        "Finding",
        "Figure",
        "95% CI low",
        "95% CI high",
        "Base (respondents)",
        "Difference (percentage points)",
    ]
    assert len(rows) == len(expected)
    for n, (row, f) in enumerate(zip(rows, expected, strict=True), start=1):
        got = dict(zip(header, row, strict=False))
        assert got["No."] == n
        assert got["Kind"] == KINDS[f["kind"]]
        assert got["Finding"] == f["text"]
        assert got["Base (respondents)"] == f["base"]
        assert got["Source table"] == f["source_title"]
        assert (got["Comparison"] or "") == f["comparison"]
        assert (got["Significance"] or "") == f["significance"]
        assert got["Adjusted p"] == (
            None if f["p_adjusted"] is None else pytest.approx(f["p_adjusted"], rel=1e-12)
        )
        assert got["Comparisons allowed for"] == f["comparisons"]
        if f["kind"] == "headline":
            assert (got["Figure"], got["95% CI low"], got["95% CI high"]) == (
                f["estimate"],
                f["low"],
                f["high"],
            )
            assert all(isinstance(got[k], float) for k in ("Figure", "95% CI low", "95% CI high"))
            for column in (4, 5, 6):
                assert ws.cell(start + n - 1, column).number_format.endswith("%")
            assert got["Difference (percentage points)"] is None
        elif f["kind"] in ("difference", "change"):
            assert got["Figure"] is None
            assert got["Difference (percentage points)"] == pytest.approx(100 * f["estimate"], abs=0.05)
            assert isinstance(got["Adjusted p"], float) and got["Adjusted p"] < 0.05
            assert f["significance"].startswith("Significant after allowing for the")
        else:
            assert got["Figure"] is None and got["Base (respondents)"] is None


def test_the_groups_compared_are_numbers_beside_their_finding(final: Report, book: Any) -> None:
    expected = report_to_dict(final)["key_findings"]
    ws = book["Key findings"]
    _header, rows, start = _table(ws, "Finding no.")
    sides = [(n, s) for n, f in enumerate(expected, start=1) for s in f["compared"]]
    assert len(rows) == len(sides) >= 4  # a difference and a change, two sides each
    for i, (row, (n, side)) in enumerate(zip(rows, sides, strict=True)):
        assert row[:7] == (
            n,
            side["group"],
            side["among"],
            side["share"],
            side["low"],
            side["high"],
            side["base"],
        )
        assert ws.cell(start + i, 4).number_format.endswith("%")
    difference = next(f for f in expected if f["kind"] == "difference")
    assert difference["compared"][0]["share"] - difference["compared"][1]["share"] == pytest.approx(
        difference["estimate"], abs=1e-4
    )
    assert all(side["among"].startswith("among ") for _, side in sides)


def test_every_section_of_the_html_report_has_a_sheet(final: Report, book: Any) -> None:
    names = book.sheetnames
    assert names[:6] == ["Key findings", "Notes", "Summary", "Progress", "Profile", "Weights"]
    for sheet in ("Group differences", "Changes since interim", "Themes", "Questionnaire"):
        assert sheet in names
    assert names[-1] == "Questionnaire"
    assert final.actions  # the demo under-represents young people and renters
    _header, reach, _start = _table(book["Summary"], "Group")
    assert [r[0] for r in reach] == [a.group for a in final.actions[:5]]
    terms = [r[0].value for r in book["Themes"].iter_rows()]
    assert "Most frequent terms (the word cloud as a table)" in terms


def test_group_differences_sheet_has_one_row_per_group_with_its_test(final: Report, book: Any) -> None:
    tests = report_to_dict(final)["group_tests"]
    header, rows, start = _table(book["Group differences"], "Figure")
    assert len(rows) == sum(len(t["groups"]) for t in tests)
    flat = [(t, g) for t in tests for g in t["groups"]]
    for i, (row, (t, g)) in enumerate(zip(rows, flat, strict=True)):
        got = dict(zip(header, row, strict=False))
        assert (got["Group"], got["In words"], got["Respondents"]) == (g["group"], g["among"], g["base"])
        assert (got["Share"], got["95% CI low"], got["95% CI high"]) == (g["share"], g["low"], g["high"])
        assert got["Adjusted p"] == pytest.approx(t["p_adjusted"], rel=1e-12) and got["Significant"] == (
            "yes" if t["significant"] else "no"
        )
        assert got["Result"] == t["words"]
        assert book["Group differences"].cell(start + i, 6).number_format.endswith("%")


def test_changes_sheet_holds_the_period_comparison(final: Report, book: Any) -> None:
    changes = report_to_dict(final)["period_changes"]
    header, rows, _start = _table(book["Changes since interim"], "Figure")
    assert len(rows) == len(changes) > 0
    alcohol = next(
        dict(zip(header, r, strict=False))
        for r, c in zip(rows, changes, strict=True)
        if c["figure"] == "substances#0"
    )
    assert alcohol["After it"] == 0.0 and alcohol["Change (percentage points)"] < -50
    assert alcohol["Significant"] == "yes"


def test_questionnaire_sheet_lists_every_question_as_asked(final: Report, book: Any) -> None:
    _header, rows, _start = _table(book["Questionnaire"], "Section")
    assert len(rows) == sum(len(s.questions) for s in final.appendix)
    assert any(r[3] == "Q17" and r[1] == "yes" for r in rows)  # domestic abuse: a sensitive section


def test_dates_and_shares_are_values_not_text(book: Any) -> None:
    summary = {r[0].value: r[1] for r in book["Summary"].iter_rows(min_row=2) if r[0].value}
    assert hasattr(summary["Opens"].value, "year") and summary["Opens"].number_format == "d mmmm yyyy"
    assert isinstance(summary["Completion rate"].value, float)
    assert summary["Completion rate"].number_format.endswith("%")
    weights = {r[0].value: r[1] for r in book["Weights"].iter_rows(min_row=2)}
    assert weights["Efficiency"].number_format.endswith("%")
    assert "_" not in str(weights["Margins"].value)  # "sex, age, tenure (grouped)", not their codes
    notes = {r[0].value: r[1].value for r in book["Notes"].iter_rows(min_row=2) if r[0].value}
    assert hasattr(notes["Responses up to"], "year")
    q8 = book["Q8 Burglary"]
    assert q8["A3"].value == "Respondents (base)" and isinstance(q8["B3"].value, int)


def test_partner_workbook_says_why_it_has_no_key_findings() -> None:
    q = safermk()
    report = build_report(
        "interim",
        q,
        demo_rows(150, seed=3),
        INTERIM_DAY,
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        with_charts=False,
        audience="partner",
    )
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    ws = book["Key findings"]
    assert book.sheetnames[0] == "Key findings"
    text = " ".join(str(c) for r in ws.iter_rows(values_only=True) for c in r if c)
    assert "This partner version has no key findings" in text
    assert "Group differences" not in book.sheetnames
