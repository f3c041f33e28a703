"""A drawn report counts each word cloud's terms once (its top terms), and draws the same cloud as before."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import Report, build, build_report
from analysis.text import cloud, default_codebook
from tests.unit.report.helpers import demo_rows, safermk


def _clouds(audience: str) -> dict[str, bytes]:
    q = safermk()
    report: Report = build_report(
        "interim",
        q,
        demo_rows(300, seed=4),
        date(2016, 6, 13),
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        audience=audience,
    )
    return {key: chart.data for key, chart in report.charts.items() if key.startswith("cloud:")}


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_word_clouds_counted_once_and_unchanged(monkeypatch: pytest.MonkeyPatch, audience: str) -> None:
    counted, draw = cloud.term_frequencies, cloud.word_cloud_png
    seen: list[int] = []

    def counting(texts: Any, **options: Any) -> Any:
        seen.append(len(texts))
        return counted(texts, **options)

    monkeypatch.setattr(cloud, "term_frequencies", counting)  # what word_cloud_png counts itself
    monkeypatch.setattr(build, "DRAWN", build.DrawnCharts())  # each build draws: none drawn before
    once = _clouds(audience)
    assert once and not seen  # the report's counts were passed to the word cloud

    def recounting(texts: Any, **options: Any) -> bytes:
        options.pop("frequencies", None)
        return draw(texts, **options)

    monkeypatch.setattr(cloud, "word_cloud_png", recounting)
    monkeypatch.setattr(build, "DRAWN", build.DrawnCharts())
    assert _clouds(audience) == once  # the same pictures as counting again
    assert seen
