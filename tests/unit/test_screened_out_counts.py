"""Journeys a screen-out page ended are their own group, not drop-outs: dashboard figures, a partner's
channel page (hidden under the threshold) and a report's headline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bs4 import BeautifulSoup

from analysis import dashboard as metrics
from analysis.disclosure.partner_page import partner_page
from analysis.reference import reference_name_for, resolve_reference
from analysis.report import build_report, render_html
from analysis.report.build import _protected_headline
from analysis.text import default_codebook
from survey.engine import load_file
from survey.services import screening
from tests.unit.report.helpers import INTERIM_DAY, demo_rows

BUDGET = load_file("questionnaires/council-budget-2027.json")  # "Neither" ends on a screen-out page
START = date(2026, 5, 1)


def _row(status: str, answers: dict[str, Any], *, screened: bool = False, **more: Any) -> dict[str, Any]:
    return (
        {"status": status, "answers": answers, "last_question": "connection", "mode": "online"}
        | ({"screened_out": True} if screened else {})
        | more
    )


def test_the_engine_tells_which_unfinished_journeys_were_screened_out() -> None:
    rows = [
        _row("in_progress", {"connection": "neither"}),
        _row("in_progress", {"connection": "live"}),
        _row("complete", {"connection": "live"}),
    ]
    screening.mark(BUDGET, rows)
    assert [r.get("screened_out", False) for r in rows] == [True, False, False]
    assert screening.count(BUDGET, [{"connection": "neither"}, {"connection": "work"}, {}]) == 1
    assert screening.has_screen_out(BUDGET)


def test_screened_out_journeys_are_neither_drop_outs_nor_in_the_completion_rate() -> None:
    rows = [
        _row("complete", {}, channel="a"),
        _row("in_progress", {}, screened=True, channel="a"),
        _row("in_progress", {}, screened=True),
        _row("in_progress", {}),
        _row("complete", {}, screened=True),  # a complete response is never screened out
    ]
    done = metrics.completion(rows)
    assert (done.started, done.completed, done.screened_out, done.not_finished) == (5, 2, 2, 1)
    assert done.rate == 2 / 3
    [stopped] = metrics.drop_off(rows, [("connection", "Do you live or work here?")])
    assert (stopped.count, stopped.share) == (1, 1.0)
    by_channel = {c.channel: c for c in metrics.channel_counts(rows)}
    assert (by_channel["a"].started, by_channel["a"].screened_out) == (2, 1)
    assert metrics.Completion(3, 0, 3).rate is None  # nobody the survey was for


def _channel_rows(screened: int) -> list[dict[str, Any]]:
    rows = []
    for k in range(12):  # 12 complete on the first two days: one release point
        day = (START + timedelta(days=k // 6)).isoformat()
        rows.append({"channel": "lib", "status": "complete", "started_on": day, "completed_on": day})
    for _ in range(screened):
        rows.append(
            {"channel": "lib", "status": "in_progress", "started_on": START.isoformat(), "screened_out": True}
        )
    return rows


def test_a_partner_sees_the_screened_out_count_only_from_the_threshold() -> None:
    today = START + timedelta(days=5)
    few = partner_page(_channel_rows(3), "lib", today=today, threshold=10)
    assert few.started == 15 and few.completed == 12 and few.screened_out is None  # hidden
    many = partner_page(_channel_rows(10), "lib", today=today, threshold=10)
    assert many.screened_out == 10


def test_a_reports_headline_counts_them_apart_and_hides_a_small_count_outside_the_team() -> None:
    rows = demo_rows(150, seed=3)
    unfinished = [r for r in rows if r["status"] != "complete"]
    for row in unfinished[:4]:
        row["screened_out"] = True
    q = load_file("questionnaires/safermk-2016.json")
    reference = resolve_reference(reference_name_for(q))
    report = build_report(
        "interim",
        q,
        rows,
        INTERIM_DAY,
        reference,
        default_codebook(),
        with_charts=False,
    )
    head = report.headline
    assert head.screened_out == 4
    assert head.completion_rate == head.complete / (head.started - 4)
    html = BeautifulSoup(render_html(report).decode("utf-8"), "html.parser").get_text(" ")
    assert "Ended: the survey was not for them 4" in " ".join(html.split())

    hidden = _protected_headline(head, 10)  # a partner or public output, under the threshold
    assert hidden.screened_out is None and hidden.outside_population is None
    assert hidden.completion_rate == head.complete / head.started  # cannot give the hidden count away
    shown = _protected_headline(head, 3)
    assert shown.screened_out == 4 and shown.completion_rate == head.completion_rate
