"""What a board member reads: partners, modes and margins by name, no stray dashes or codes, wording that
fits the kind of report, and outside groups too small for shares shown as "too few"."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from bs4 import BeautifulSoup

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import Report, build_report, render_html, render_json, render_xlsx
from analysis.report.profile import partner_name
from analysis.text import default_codebook
from survey.services.demo.targets import CHANNEL_DETAILS
from tests.unit.report.helpers import INTERIM_DAY, demo_rows, safermk

NAMES = {code: f"{partner} – {label} ({code})" for code, (partner, _medium, label) in CHANNEL_DETAILS.items()}
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def _build(
    kind: str, rows: list[dict[str, Any]], day: date = INTERIM_DAY, previous: dict[str, Any] | None = None
) -> Report:
    q = safermk()
    return build_report(
        kind,
        q,
        rows,
        day,
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        previous=previous,
        previous_id=1 if previous else None,
        channel_names=NAMES,
        with_charts=False,
    )


@pytest.fixture(scope="module")
def report() -> Report:
    return _build("interim", demo_rows())


@pytest.fixture(scope="module")
def text(report: Report) -> str:
    soup = BeautifulSoup(render_html(report).decode(), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


def test_partner_name_leaves_the_code_out() -> None:
    assert partner_name("p3-outreach", NAMES) == "P3 – Outreach with young people"
    assert partner_name("unknown-link", NAMES) == "unknown-link"


def test_advice_names_partners_not_channel_codes(report: Report, text: str) -> None:
    advised = [a for a in report.actions if a.partners]
    assert advised
    for action in advised:
        for code in NAMES:
            assert code not in action.advice and code not in action.partners
    assert "P3 – Outreach with young people (" in text
    assert "promote the survey again: p3-outreach" not in text


def test_modes_are_named(report: Report) -> None:
    assert {t.name for t in report.modes} <= {"Online", "Paper form", "Phone", "Assisted (in person)"}
    assert "Online" in {t.name for t in report.modes}


def test_weighting_messages_name_margins(report: Report) -> None:
    assert report.weighting.messages
    for message in report.weighting.messages:
        assert not SNAKE.search(message), message
    assert any(m.startswith("Sex: ") for m in report.weighting.messages)
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(report)))
    cells = [str(c) for row in book["Weights"].iter_rows(values_only=True) for c in row if c]
    assert not [c for c in cells if SNAKE.search(c)]


def test_outside_groups_under_ten_show_too_few(report: Report, text: str) -> None:
    concern = next(q for q in report.questions if q.id == "concern" and q.item == "burglary")
    small = [g for g in concern.others if g.base < 10]
    large = [g for g in concern.others if g.base >= 10]
    assert small and large  # the demo has a handful of visitors and a few dozen businesses
    assert all(s is None for g in small for s in g.shares)
    assert all(s is not None for g in large for s in g.shares)
    assert "too few" in text
    numbers = json.loads(render_json(report))
    row = next(q for q in numbers["questions"] if q["id"] == "concern" and q["item"] == "burglary")
    assert any(g["shares"] == [None] * len(g["shares"]) for g in row["others"])


def test_no_dash_for_a_hidden_untagged_count(report: Report, text: str) -> None:
    assert "; – of them" not in text and "; None of them" not in text
    for block in report.themes:
        assert f"{block.answered} respondents wrote an answer" in text


def test_captions_and_sources_read_as_sentences(text: str) -> None:
    assert re.search(r"after allowing for all \d+ comparisons", text)
    assert "?." not in text.replace("?.…", "")


def test_final_report_speaks_of_the_close() -> None:
    rows = demo_rows(300, seed=5, days=70)
    early = _build("interim", rows)
    final = _build("final", rows, INTERIM_DAY + timedelta(days=40), json.loads(render_json(early)))
    assert final.actions
    html = render_html(final).decode()
    assert "Groups still under-represented at the close" in html
    assert "Groups to reach before the close" not in html
    assert "would have brought it within range" in html
    book = openpyxl.load_workbook(io.BytesIO(render_xlsx(final)))
    cells = [c for row in book["Summary"].iter_rows(values_only=True) for c in row if c]
    assert "Groups still under-represented at the close" in cells
