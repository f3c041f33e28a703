"""The report HTML reflows at 320 px (WCAG 1.4.10) and axe finds no violation at 320 and 1200 px."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import build_report, render_html
from analysis.text import default_codebook
from tests.browser.visitor import AXE_PATH, AXE_RUN, AXE_TAGS
from tests.unit.report.helpers import demo_rows, safermk


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    q = safermk()
    report = build_report(
        "interim",
        q,
        demo_rows(400),
        date(2016, 6, 13),
        resolve_reference(reference_name_for(q)),
        default_codebook(),
    )
    path = tmp_path_factory.mktemp("report") / "interim.html"
    path.write_bytes(render_html(report))
    return path


@pytest.mark.parametrize("width", [320, 1200])
def test_report_reflows_and_passes_axe(browser: Any, report_file: Path, width: int) -> None:
    if not AXE_PATH.is_file():
        pytest.skip("axe-core is not installed (run npm ci)")
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        page.goto(report_file.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page scroll
        page.add_script_tag(path=str(AXE_PATH))
        violations = page.evaluate(AXE_RUN, AXE_TAGS)
        assert violations == []
    finally:
        page.close()
