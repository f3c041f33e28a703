"""The interim report of 557 demo responses reproduces the 2016 interim figures within 2 points."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import build_report, report_to_dict
from analysis.text import default_codebook
from tests.unit.report.helpers import FIGURES_2016, INTERIM_DAY, demo_rows, safermk


@pytest.fixture(scope="module")
def numbers() -> dict[str, Any]:
    q = safermk()
    report = build_report(
        "interim",
        q,
        demo_rows(),
        INTERIM_DAY,
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        with_charts=False,
    )
    return report_to_dict(report)


def test_557_complete_responses(numbers: dict[str, Any]) -> None:
    assert numbers["headline"]["complete"] == 557
    assert numbers["headline"]["started"] > 557  # drop-offs are kept for the progress figures


@pytest.mark.parametrize(("what", "figure", "target"), FIGURES_2016, ids=[f[0] for f in FIGURES_2016])
def test_figure_within_two_points(numbers: dict[str, Any], what: str, figure: Any, target: float) -> None:
    assert abs(figure(numbers) - target) <= 2, f"{what}: {figure(numbers):.1f}% against 2016's {target}%"


@pytest.mark.parametrize("seed", [1, 7, 99])
def test_other_seeds_also_land_close(seed: int) -> None:
    q = safermk()
    report = build_report(
        "interim",
        q,
        demo_rows(seed=seed),
        INTERIM_DAY,
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        with_charts=False,
    )
    numbers = report_to_dict(report)
    misses = [(what, round(f(numbers), 1), t) for what, f, t in FIGURES_2016 if abs(f(numbers) - t) > 2]
    assert misses == []


def test_free_text_themes_lead_with_burglary_parking_and_asb(numbers: dict[str, Any]) -> None:
    block = next(b for b in numbers["themes"] if b["question"] == "concerns_text")
    top = [t["id"] for t in block["themes"][:4]]
    assert top[0] == "burglary"
    assert {"parking", "anti_social_behaviour"} <= set(top)
    closing = next(b for b in numbers["themes"] if b["question"] == "closing_text")
    assert closing["themes"][0]["id"] == "road_safety"
