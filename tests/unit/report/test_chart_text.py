"""JSON and XLSX reports do not draw charts, yet keep exactly the drawn charts' text alternatives."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from analysis.reference import reference_name_for, resolve_reference
from analysis.report import Report, build_report, render_json, render_xlsx
from analysis.text import default_codebook
from tests.conftest import PROJECT_ROOT
from tests.unit.report.helpers import INTERIM_DAY, demo_rows, safermk

AT = datetime(2026, 1, 1, tzinfo=UTC)


def _report(audience: str, *, draw: bool) -> Report:
    q = safermk()
    return build_report(
        "interim",
        q,
        demo_rows(),
        INTERIM_DAY,
        resolve_reference(reference_name_for(q)),
        default_codebook(),
        generated_at=AT,
        audience=audience,
        draw_charts=draw,
    )


@pytest.mark.parametrize("audience", ["internal", "public"])
def test_undrawn_charts_have_the_drawn_ones_keys_types_and_alternatives(audience: str) -> None:
    drawn, undrawn = _report(audience, draw=True), _report(audience, draw=False)
    assert list(undrawn.charts) == list(drawn.charts)
    assert any(key.startswith("cloud:") for key in drawn.charts)  # the word cloud (a PNG) is among them
    for key, chart in drawn.charts.items():
        assert chart.data, key  # drawn
        assert undrawn.charts[key].data == b"", key  # not drawn
        assert (undrawn.charts[key].mime, undrawn.charts[key].alt) == (chart.mime, chart.alt), key
    assert render_json(undrawn) == render_json(drawn)  # every number and alternative, byte for byte
    assert _cells(render_xlsx(undrawn)) == _cells(render_xlsx(drawn))


def _cells(workbook: bytes) -> dict[str, list[tuple[object, ...]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_a_report_without_pictures_loads_no_drawing_library() -> None:
    code = (
        "import sys\n"
        "from tests.unit.report.test_chart_text import _report\n"
        "assert _report('internal', draw=False).charts\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'wordcloud'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
