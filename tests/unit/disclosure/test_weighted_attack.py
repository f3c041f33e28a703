"""Weighted shares against a reader who knows the weights (docs/disclosure-control.md, "Weighted shares").

The attacker (weighted_attacker.py) adds one integer per weighting cell and answer to the report attack and
every weighted figure as a linear constraint, with each cell's weight given outright (weights_known.py).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.disclosure import test_report_attack as demo
from tests.unit.disclosure.weighted_attacker import weighted_attack
from tests.unit.disclosure.weights_known import weighting_cells

# One xdist worker runs the whole module (--dist loadgroup), not a part on each worker: shares
# test_report_attack's built reports.
pytestmark = pytest.mark.xdist_group("disclosure-demo-reports")

Q = demo.QUESTIONNAIRE.raw
WEIGHTING_GROUPS = (
    "profile:age_adult16plus|"  # weighting groups by number ranges: the cell sizes add up to them
)


def test_weighted_figures_appear_only_where_no_hidden_count_is_in_reach() -> None:
    small = demo.report(557, date(2016, 6, 13), "partner")
    assert small["disclosure"]["weighted_withheld"]  # tenure, sex and age have hidden counts
    assert all(r["weighted_share"] is None for q in small["questions"] for r in q["rows"])
    assert small["weighting"]["deff"] is None and small["weighting"]["min_weight"] is None
    large = demo.report(5000, date(2016, 5, 14), "partner")
    assert large["disclosure"]["weighted_withheld"] == []
    for q in large["questions"]:
        whole = q["base"] is not None and all(r["count"] is not None for r in q["rows"])
        shares = [r["weighted_share"] for r in q["rows"] if r["weighted_share"] is not None]
        assert whole or not shares
        assert all(round(s, 2) == s for s in shares)
    assert sum(1 for q in large["questions"] for r in q["rows"] if r["weighted_share"] is not None) > 100


def test_a_reader_who_knows_every_weight_and_cell_size_pins_no_hidden_count() -> None:
    doc = demo.report(5000, date(2016, 5, 14), "partner")
    cells, sizes = weighting_cells(demo.QUESTIONNAIRE, demo.rows(5000), date.fromisoformat(doc["as_of"]))
    hidden = sum(1 for q in doc["questions"] for r in q["rows"] if r["count"] is None)
    assert hidden > 0
    ranges = weighted_attack(doc, Q, cells, sizes=sizes).solve(wide_enough=10)
    narrow = {k: r for k, r in ranges.items() if r[1] - r[0] < 10}
    groups = {k: r for k, r in narrow.items() if k.startswith(WEIGHTING_GROUPS)}
    assert {k: r for k, r in narrow.items() if k not in groups} == {}
    assert all(low == high and (low == 0 or low >= 10) for low, high in groups.values())
