"""Issue 12: the partner "groups still needed" page beside the partner report of the same release point.

In the 557-response demo, the partner report of 13 June hides the tenure answer rent_other (6 people).
Moving some of them to "don't know" (hidden too) changes no count the report shows; the old page's
figures (whole-percent share of responses, need to the nearest 10) changed, so the page told 6 from 1 or
2 (the review's attacker pinned rent_other to 0-6); the page now shows the same figures either way.
"""

from __future__ import annotations

import copy
import re
from datetime import date, timedelta
from typing import Any

import pytest

from analysis.dashboard import profile_dimensions, under_represented
from analysis.reference import reference_name_for, resolve_reference
from analysis.report import build_report, report_to_dict
from analysis.representativeness import compare_questionnaire, responses_needed
from analysis.text import default_codebook
from survey.engine import load_file
from survey.services.demo import generate
from survey.services.need_bands import NEED_BANDS, need_bands
from survey.services.partner_needs import Needs, needs

Q = load_file("questionnaires/safermk-2016.json")
REFERENCE = resolve_reference(reference_name_for(Q))
DAY = date(2016, 6, 13)
BAND = re.compile(r"some|not shown|fewer than [\d,]+|[\d,]+ to [\d,]+|[\d,]+ or more")


def table(rows: Any) -> Any:
    return compare_questionnaire(rows, REFERENCE, Q, dimensions=list(profile_dimensions(Q).values()))


def report(rows: list[dict[str, Any]]) -> dict[str, Any]:
    built = build_report(
        "interim", Q, rows, DAY, REFERENCE, default_codebook(), audience="partner", with_charts=False
    )
    return report_to_dict(built)


def released(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in rows if r["status"] == "complete" and r["completed_on"] <= DAY]


def moved(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """The same responses with k of the released rent_other answers changed to "don't know"."""
    out = copy.deepcopy(rows)
    for r in released(out):
        if k and r["answers"].get("tenure") == "rent_other":
            r["answers"]["tenure"], k = "dont_know", k - 1
    assert k == 0
    return out


def page(rows: list[dict[str, Any]], doc: dict[str, Any]) -> Needs:
    return needs(
        rows, [], today=DAY + timedelta(days=1), threshold=10, table_of=table, report_of=lambda *_: doc
    )


def old_figures(rows: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    """What the page used to show of each group: its share as a whole percent, its need to 10."""
    return [
        (g.category, round(100 * g.sample_share), round(g.needed, -1))
        for g in under_represented(table(released(rows)))
    ]


def shown_counts(doc: dict[str, Any]) -> list[Any]:
    return [
        (q["id"], q["item"], q["base"], [(r["code"], r["count"]) for r in q["rows"]])
        for q in doc["questions"]
    ]


@pytest.fixture(scope="module")
def demo() -> list[dict[str, Any]]:
    return [d.as_row(i, Q.version) for i, d in enumerate(generate(Q, 557, 2016, date(2016, 5, 3)), start=1)]


def test_the_page_tells_no_hidden_tenure_count_the_report_hides(demo: list[dict[str, Any]]) -> None:
    before = report(demo)
    tenure = next(q for q in before["questions"] if q["id"] == "tenure")
    assert {r["code"]: r["count"] for r in tenure["rows"]}["rent_other"] is None  # hidden in the report
    shown = page(demo, before)
    assert shown.release == DAY and shown.groups
    changed_old = False
    for k in (1, 3, 5):  # rent_other 6 -> 5, 3, 1 (and "don't know" 3 -> 4, 6, 8): both stay hidden
        other = moved(demo, k)
        after = report(other)
        assert shown_counts(after) == shown_counts(before)  # the report's counts do not tell them apart
        changed_old |= old_figures(other) != old_figures(demo)
        assert page(other, after).groups == shown.groups, k  # and neither does the page now
    assert changed_old  # the old page did: the review's pin
    edges = {*NEED_BANDS, *(e - 1 for e in NEED_BANDS)}
    for g in shown.groups:  # no share of responses, no count: bands, "some" or "not shown"
        assert BAND.fullmatch(g.needed), g.needed
        assert {int(x.replace(",", "")) for x in re.findall(r"[\d,]+", g.needed)} <= edges
    assert any(g.needed == "not shown" for g in shown.groups)  # tenure's bands would pin rent_other


@pytest.mark.parametrize("n", [60, 200, 557, 2000, 20000])
@pytest.mark.parametrize("share", [0.013, 0.06, 0.12, 0.21, 0.5, 0.9])
@pytest.mark.parametrize("threshold", [5, 10, 20])
def test_each_need_band_leaves_the_count_a_window_at_least_the_threshold_wide(
    n: int, share: float, threshold: int
) -> None:
    bands = need_bands(n, share, threshold)
    assert bands[-1][1] is None and all(low in NEED_BANDS for low, _ in bands)
    needs_of = {c: responses_needed(c, n, share) for c in range(n + 1)}
    under = {c: x for c, x in needs_of.items() if x > 0}
    covered: set[int] = set()
    for low, high in bands:
        counts = [c for c, x in under.items() if x >= low and (high is None or x < high)]
        covered |= set(counts)
        if len(bands) > 1 or (counts and max(counts) - min(counts) >= threshold):
            assert counts and max(counts) - min(counts) >= threshold, (low, high, counts)
    assert covered == set(under)  # every possible need falls in one band
