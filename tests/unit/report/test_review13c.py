"""Review fixes: weighted key findings say so, charts and columns say which shares they show, progress
stops after the last response, the change table has intervals, bases and p-values, and the population note."""

from __future__ import annotations

import json
import re
from datetime import date

from bs4 import BeautifulSoup

from analysis.report import render_html, report_to_dict
from analysis.report.population_note import population_note
from analysis.report.progress import progress_end
from analysis.report.render import environment
from survey.engine import load_dict
from tests.unit.report.helpers import INTERIM_DAY, demo_rows, safermk
from tests.unit.report.test_reader_wording import _build


def _text(html: bytes) -> str:
    soup = BeautifulSoup(html.decode(), "html.parser")
    for tag in soup(["style"]):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


def test_weighted_key_findings_and_columns_say_weighted() -> None:
    report = _build("interim", demo_rows())
    assert report.weighting.applied
    headline = [f for f in report.key_findings if f.kind == "headline"]
    assert headline and all(re.search(r"\(\d+% weighted, 95% CI", f.text) for f in headline)
    text = _text(render_html(report))
    assert "Share (unweighted)" in text and "Share (weighted)" in text
    macros = environment().get_template("macros.html").module
    q = next(x for x in report.questions if (x.weighted_base or 0) > 0)
    assert "the diamonds mark the weighted shares" in str(macros.question_chart_caption(q, True))  # type: ignore[attr-defined]
    assert str(macros.question_chart_caption(q, False)).startswith("Chart: unweighted shares")  # type: ignore[attr-defined]
    assert "Private rented incl. rent free (tenure (grouped))" not in text
    assert re.search(r"[Tt]enure \(grouped\): Private rented incl. rent free, ", text)


def test_population_note_names_who_is_left_out() -> None:
    rows = [r for r in demo_rows() if r["status"] == "complete"]
    note = population_note(safermk(), rows)
    residents = sum(1 for r in rows if r["answers"].get("respondent_type") == "resident")
    out = sum(
        1
        for r in rows
        if r["answers"].get("respondent_type") == "resident" and r["answers"].get("ward") == "not_in_mk"
    )
    assert out > 0
    assert f"Q1 counts {residents} respondents" in note
    assert f"{out} answered Q2 “I do not live in Milton Keynes”" in note
    assert note in _text(render_html(_build("interim", demo_rows())))
    one = {"q": "respondent_type", "op": "equals", "value": "resident"}  # not "all" of conditions: no note
    assert population_note(load_dict({**safermk().raw, "population_filter": one}), rows) == ""


def test_progress_stops_at_the_last_response_or_the_close() -> None:
    rows = demo_rows()
    last = max(date.fromisoformat(str(r["started_on"])[:10]) for r in rows)
    assert progress_end(rows, date(2018, 1, 1), None) >= last
    assert progress_end(rows, date(2018, 1, 1), None) < date(2016, 8, 1)
    assert progress_end(rows, date(2018, 1, 1), date(2016, 9, 30)) == date(2016, 9, 30)
    assert progress_end(rows, date(2016, 5, 10), date(2016, 9, 30)) == date(2016, 5, 10)
    report = _build("interim", rows, day=date(2017, 1, 1))
    assert report.progress[-1].day < date(2016, 7, 1)
    assert "so the chart and the table stop there" in _text(render_html(report))


def test_final_without_later_responses_says_so_in_one_sentence() -> None:
    rows = demo_rows()
    interim = _build("interim", rows)
    previous = json.loads(json.dumps(report_to_dict(interim)))
    final = _build("final", rows, day=date(2016, 7, 26), previous=previous)
    text = _text(render_html(final))
    assert "No responses arrived after the interim report" in text
    assert "Headline figures: respondents before and after" not in text


def test_change_table_has_intervals_bases_and_p_values() -> None:
    early = demo_rows()
    late = demo_rows(300, seed=2017, start=date(2016, 6, 14))
    rows = early + [{**r, "id": r["id"] + 10_000} for r in late]
    previous = json.loads(json.dumps(report_to_dict(_build("interim", early))))
    final = _build("final", rows, day=date(2016, 7, 26), previous=previous)
    soup = BeautifulSoup(render_html(final).decode(), "html.parser")
    table = next(
        t
        for t in soup.find_all("table")
        if t.caption is not None and "before and after the interim" in t.caption.get_text()
    )
    assert table.thead is not None and table.tbody is not None and table.tbody.tr is not None
    heads = [th.get_text() for th in table.thead.find_all("th")]
    assert heads.count("95% interval") == 2 and heads.count("Base") == 2 and "Adjusted p" in heads
    first = [td.get_text() for td in table.tbody.tr.find_all("td")]
    assert re.match(r"\d+–\d+%", first[1]) and first[2].isdigit() and re.match(r"[<\d]", first[7])
    assert INTERIM_DAY < date(2016, 7, 26)
