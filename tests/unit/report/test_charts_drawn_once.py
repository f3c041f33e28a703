"""A chart drawn once in a process is not drawn again for the same picture (analysis.report.build.DRAWN)."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import Report, build, build_report
from analysis.report.model import Chart
from analysis.text import default_codebook
from tests.unit.report.helpers import INTERIM_DAY, demo_rows, safermk


def _report(rows: list[dict[str, Any]], audience: str = "internal") -> Report:
    q = safermk()
    reference = resolve_reference(reference_name_for(q))
    return build_report("interim", q, rows, INTERIM_DAY, reference, default_codebook(), audience=audience)


def test_a_report_made_again_draws_nothing_and_gets_the_same_pictures(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn: list[str] = []
    draw = build._draw

    def counted(kind: str, *args: Any) -> Chart:
        drawn.append(kind)
        return draw(kind, *args)

    monkeypatch.setattr(build, "_draw", counted)
    monkeypatch.setattr(build, "DRAWN", build.DrawnCharts())
    rows = demo_rows(120, seed=5)
    first = _report(rows)
    assert {"progress", "question", "cloud"} <= set(drawn) and len(drawn) == len(first.charts)
    again = _report(rows)
    assert len(drawn) == len(first.charts)  # nothing drawn again
    assert again.charts == first.charts
    rated = next(
        r["answers"]["concern"] for r in rows if r["status"] == "complete" and r["answers"].get("concern")
    )
    item = next(iter(rated))
    rated[item] = "dont_know" if rated[item] != "dont_know" else "very_concerned"
    changed = _report(rows)  # one rating changed: its chart is drawn again, the others are not
    assert drawn[len(first.charts) :] == ["rating"]
    fresh = build.DrawnCharts()
    monkeypatch.setattr(build, "DRAWN", fresh)
    assert _report(rows).charts == changed.charts  # the same pictures as drawn afresh
    assert len(fresh) == len(changed.charts)


def test_the_drawn_charts_keep_to_their_size_forgetting_the_least_recently_used() -> None:
    kept = build.DrawnCharts(limit=10)
    kept.put(b"a", Chart("image/svg+xml", b"12345", "a"))
    kept.put(b"b", Chart("image/svg+xml", b"12345", "b"))
    assert kept.get(b"a") is not None  # a used: b is now the least recently used
    kept.put(b"c", Chart("image/svg+xml", b"123", "c"))
    assert kept.get(b"b") is None and kept.get(b"a") is not None and kept.get(b"c") is not None
    assert kept.size == 8
    kept.put(b"d", Chart("image/svg+xml", b"x" * 11, "d"))  # larger than the limit: not kept
    assert kept.get(b"d") is None and kept.size == 8
