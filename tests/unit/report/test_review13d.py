"""Review 13d: a bar's value label is never printed over the weighted-share diamond beside it."""

from __future__ import annotations

import re

from analysis.report.charts import question_chart
from analysis.report.model import OptionRow, QuestionResult

DIAMOND = "#e69f00"  # the weighted-share marker's colour in the SVG
LABEL = (
    r'<text style="font-size: 8px;[^"]*text-anchor: start"[^>]*x="([\d.]+)" y="([\d.]+)"[^>]*>(\d+%)</text>'
)
LABEL_FONT = 8.0  # points: the value labels' size
DIAMOND_HALF = 3.6  # points: half the width of a 5-point 'D' marker (5 / 2 * sqrt 2)


def _row(code: str, share: float, low: float, high: float, weighted: float) -> OptionRow:
    return OptionRow(code, code.title(), "answer", 10, share, low, high, weighted, None, None, None)


def _question(rows: tuple[OptionRow, ...]) -> QuestionResult:
    return QuestionResult(
        id="tenure",
        item=None,
        number="Q3",
        section="About you",
        text="Does your household own or rent your home?",
        type="single",
        base=518,
        base_note="",
        weighted_base=518.0,
        effective_n=302.0,
        low_effective_n=False,
        sensitive=False,
        rows=rows,
    )


def _labels_and_diamonds(svg: str) -> tuple[list[tuple[float, float, str]], list[tuple[float, float]]]:
    labels = [(float(x), float(y), text) for x, y, text in re.findall(LABEL, svg)]
    diamonds = [
        (float(x), float(y))
        for x, y in re.findall(rf'<use [^>]*x="([\d.]+)" y="([\d.]+)" style="fill: {DIAMOND}', svg)
    ]
    return labels, diamonds


def test_value_labels_clear_the_weighted_diamonds() -> None:
    # the demo interim's Q3: the weighted share of three small answers falls where their label was written
    rows = (
        _row("owned_outright", 0.378, 0.337, 0.421, 0.29),
        _row("rent_housing_association", 0.0618, 0.044, 0.086, 0.10),
        _row("rent_council", 0.054, 0.037, 0.078, 0.08),
        _row("rent_free", 0.0058, 0.002, 0.017, 0.012),
        _row("rent_private", 0.0676, 0.049, 0.093, 0.17),
    )
    labels, diamonds = _labels_and_diamonds(question_chart(_question(rows)).data.decode())
    assert len(labels) == len(rows) and len(diamonds) >= len(rows)
    for x, baseline, text in labels:
        width = 0.65 * LABEL_FONT * len(text)  # DejaVu Sans digits 0.64 em, '%' wider: a fair estimate
        middle = baseline - LABEL_FONT * 0.35  # the label's vertical middle in SVG coordinates
        for dx, dy in diamonds:
            if abs(dy - middle) > LABEL_FONT:  # another bar's diamond, or the legend's
                continue
            assert dx + DIAMOND_HALF <= x or dx - DIAMOND_HALF >= x + width, (
                f"label {text!r} at x={x:.1f}..{x + width:.1f} overprints a diamond at x={dx:.1f}"
            )


def test_every_group_table_has_its_own_anchor() -> None:
    # Q20 has two headline nets (alcohol, cannabis): each figure's table by disability is its own link target
    from collections import Counter

    from bs4 import BeautifulSoup

    from analysis.report import render_html
    from tests.unit.report.helpers import demo_rows
    from tests.unit.report.test_reader_wording import _build

    report = _build("interim", demo_rows())
    anchors = Counter(t.anchor for t in report.group_tests)
    assert len({t.figure for t in report.group_tests if t.figure.startswith("substances#")}) == 2
    assert [a for a, n in anchors.items() if n > 1] == []
    page = BeautifulSoup(render_html(report).decode(), "html.parser")
    ids = Counter(tag["id"] for tag in page.select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []


def test_groups_too_few_to_judge_get_no_sentence_under_the_table() -> None:
    # demo interim, tenure: 'Private rented: other' (5 respondents against an expected 10) is "too few to
    # judge" in the table, so no sentence below it may call it short or ask for "about 2 more responses"
    from analysis.reference.phrases import people
    from tests.unit.report.helpers import demo_rows
    from tests.unit.report.test_reader_wording import _build

    report = _build("interim", demo_rows())
    small = [(d, r) for d in report.profile for r in d.rows if r.flag == "small"]
    assert small, "the demo interim has groups too small to judge"
    for dim, row in small:
        who = people(dim.dimension, row.category)
        assert not [f for f in dim.findings if f.lower().startswith(who.lower() + " are ")], (
            dim.dimension,
            row.category,
        )
    said = [f for d in report.profile for f in d.findings if " are " in f]
    assert said, "the demo interim has groups judged over or under, with a sentence each"
