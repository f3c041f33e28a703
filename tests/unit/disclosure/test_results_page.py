"""The public results page and its open data hold against the integer-programming auditor (issues 12 and 16).

The page shows a public-audience report (built here from demo data as make_report builds it) through
survey.services.results. A reader's constraint system is built here from the open data as a reader has
it (the JSON, checked against the CSV cell by cell, and the page shows the same cells:
tests/integration/staff/test_public_results.py), and analysis/disclosure/auditor.py solves every hidden
count's range: none may be narrower than the threshold. The same reader pins counts down when the page
applies the rule it used to have (counts under 10 hidden, plus one more when a table has a single one).
"""

from __future__ import annotations

import copy
import csv
import io
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from analysis.disclosure.auditor import System, audit
from survey.services.results import NotPublic, open_data, open_data_csv, public_results
from survey.services.results_publish import publish_problem
from tests.unit.disclosure.test_report_attack import QUESTIONNAIRE, report

# One xdist worker runs the whole module (--dist loadgroup), not a part on each worker: shares
# test_report_attack's built reports.
pytestmark = pytest.mark.xdist_group("disclosure-demo-reports")

THRESHOLD = 10
POPULATION_HALF_STEP = 0.00005  # "who took part" shares are fractions to 4 decimal places


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def read_open_data(results: Any) -> dict[str, Any]:
    """The JSON open data as a reader downloads it, after checking that the CSV says the same."""
    data: dict[str, Any] = json.loads(json.dumps(open_data(results)))
    rows = list(csv.DictReader(io.StringIO(open_data_csv(results))))
    tables = [*data["questions"], *data["population"]]
    expected = [(t, c) for t in tables for c in t["cells"]]
    assert len(rows) == len(expected)
    for row, (table, cell) in zip(rows, expected, strict=True):
        assert (row["table"], row["key"], row["type"]) == (table["kind"], table["key"], table["type"])
        assert _number(row["base"]) == table["base"] and row["code"] == cell["code"]
        assert _number(row["count"]) == cell["count"] and _number(row["share"]) == cell["share"]
        assert _number(row["population_share"]) == cell["population_share"]
        assert row["note"] == ("hidden" if cell["hidden"] else "")
    return data


def reader_system(data: Mapping[str, Any], questionnaire: Mapping[str, Any]) -> System:
    """Every constraint a reader can build from the open data and the (public) questionnaire."""
    system = System()
    total = int(data["responses"])
    rounding = data["rounding"]
    half = 0.5 * 10 ** -int(data["share_decimals"])
    system.var("took part")
    system.fix("took part", total)

    def count(name: str, value: int | None) -> None:
        system.var(name, hidden=value is None, upper=float(total))
        if value is not None and rounding:
            system.between(name, max(0.0, value - rounding / 2), value + rounding / 2)
        elif value is not None:
            system.fix(name, value)

    tables = {t["key"]: t for t in data["questions"]}
    for key, table in tables.items():
        base = f"{key}: base"
        count(base, table["base"])
        cells = []
        for cell in table["cells"]:
            name = f"{key}: {cell['code']}"
            cells.append(name)
            count(name, cell["count"])
            if cell["share"] is not None:
                system.share(name, base, cell["share"], half)
            if table["type"] == "multiple":
                system.constrain({name: 1.0, base: -1.0}, hi=0.0)
        if table["type"] == "multiple":
            system.constrain({**dict.fromkeys(cells, 1.0), base: -1.0}, lo=0.0)
        else:
            system.equal({**dict.fromkeys(cells, 1.0), base: -1.0}, 0.0)
    for link in data["links"]:  # the routing of the questionnaire, which the open data lists
        child = f"{link['question']}: base"
        if child not in system.index:
            continue
        if link["parent"] is None:
            system.equal({child: 1.0}, total)
            continue
        parents = [f"{link['parent']}: {code}" for code in link["codes"]]
        coefs = {**dict.fromkeys(parents, 1.0), child: -1.0}
        system.constrain(coefs, lo=0.0, hi=0.0 if link["equal"] else float("inf"))
    _who_took_part(system, data, questionnaire, tables)
    return system


def _who_took_part(
    system: System, data: Mapping[str, Any], questionnaire: Mapping[str, Any], tables: Mapping[str, Any]
) -> None:
    """Respondents' shares of each census group: worked out from the question table's shown cells (checked
    here); without rounding they are also constraints on the true counts, and are added as such."""
    maps = {d["dimension"]: d for d in questionnaire["demographics"] if "map" in d}
    for table in data["population"]:
        entry = maps[table["key"]]
        question = tables[entry["question"]]
        shown = {c["code"]: c["count"] for c in question["cells"]}
        mapped = [code for code, group in entry["map"].items() if group is not None]
        for cell in table["cells"]:
            codes = [code for code, group in entry["map"].items() if group == cell["label"]]
            if cell["share"] is None:
                continue
            assert all(shown[code] is not None for code in mapped)  # shown only when its cells are
            worked_out = sum(shown[c] for c in codes) / sum(shown[c] for c in mapped)
            assert cell["share"] == round(worked_out, 4)
            if data["rounding"]:
                continue  # worked out from rounded counts: it says nothing more about the true ones
            names = [f"{entry['question']}: {code}" for code in mapped]
            inside = {f"{entry['question']}: {code}" for code in codes}

            def group_less_share(
                share: float, names: list[str] = names, inside: set[str] = inside
            ) -> dict[str, float]:
                return {name: float(name in inside) - share for name in names}

            system.constrain(group_less_share(cell["share"] + POPULATION_HALF_STEP), hi=0.0)
            system.constrain(group_less_share(cell["share"] - POPULATION_HALF_STEP), lo=0.0)


def narrow_ranges(data: Mapping[str, Any]) -> list[str]:
    ranges = audit(reader_system(data, QUESTIONNAIRE.raw), THRESHOLD)
    assert ranges, "the page hides some counts: the audit has something to work on"
    return [str(r) for r in ranges if r.narrower_than(THRESHOLD)]


CASES = [(557, date(2016, 6, 1), None), (557, date(2016, 6, 13), 5)]


@pytest.mark.parametrize(("n", "day", "rounding"), CASES)
def test_no_hidden_count_of_the_results_page_and_its_open_data_can_be_narrowed_below_the_threshold(
    n: int, day: date, rounding: int | None
) -> None:
    numbers = report(n, day, "public", rounding)
    data = read_open_data(public_results(numbers, QUESTIONNAIRE))
    assert data["rounding"] == rounding and data["threshold"] == THRESHOLD
    assert data["population"] and any(c["share"] is not None for t in data["population"] for c in t["cells"])
    assert narrow_ranges(data) == []
    assert publish_problem(1, numbers, QUESTIONNAIRE) is None  # the staff page's guard agrees


def _old_rule(numbers: Mapping[str, Any]) -> dict[str, Any]:
    """The page's former rule on an internal report: sensitive questions and bases under 10 left out,
    counts under 10 hidden, and where a table had just one, its next smallest shown count too."""
    doc = copy.deepcopy(dict(numbers))
    doc["audience"] = "public"
    doc["disclosure"] = {**doc["disclosure"], "links": [], "unresolved": []}
    doc["profile"] = []
    kept = []
    for q in doc["questions"]:
        if q["sensitive"] or (q["base"] or 0) < 10:
            continue
        counts = [r["count"] for r in q["rows"]]
        small = {i for i, c in enumerate(counts) if c is None or c < 10}
        if len(small) == 1:
            shown = [i for i in range(len(counts)) if i not in small and counts[i] > 0]
            small |= {min(shown, key=lambda i: counts[i])} if shown else set()
        for i in small:
            q["rows"][i]["count"] = q["rows"][i]["share"] = None
        kept.append(q)
    doc["questions"] = kept
    return doc


def test_the_same_reader_pins_counts_down_under_the_pages_former_rule() -> None:
    numbers = _old_rule(report(557, date(2016, 6, 13), "internal"))
    data = read_open_data(public_results(numbers, QUESTIONNAIRE))
    assert narrow_ranges(data)
    assert publish_problem(1, numbers, QUESTIONNAIRE) is not None


def test_only_a_public_audience_report_is_presented_or_published() -> None:
    for audience in ("internal", "partner"):
        numbers = report(557, date(2016, 6, 13), audience)
        with pytest.raises(NotPublic, match=f"made for the {audience} audience"):
            public_results(numbers, QUESTIONNAIRE)
        problem = publish_problem(7, numbers, QUESTIONNAIRE)
        assert problem is not None and problem.startswith(f"Report #7 was made for the {audience} audience")
    older = {**report(557, date(2016, 6, 13), "internal"), "audience": None}  # before reports had audiences
    with pytest.raises(NotPublic, match="internal audience"):
        public_results(older, QUESTIONNAIRE)


def test_hidden_cells_are_presented_as_they_are_and_all_alike() -> None:
    numbers = report(557, date(2016, 6, 13), "public", 5)
    results = public_results(numbers, QUESTIONNAIRE)
    by_key = {q["id"] + (f".{q['item']}" if q["item"] else ""): q for q in numbers["questions"]}
    assert [t.key for t in results.questions] == list(by_key)  # every table of the report, in its order
    for table in results.questions:
        source = by_key[table.key]
        assert table.base == source["base"] and table.type == source["type"]
        for cell, row in zip(table.cells, source["rows"], strict=True):
            assert (cell.count, cell.hidden) == (row["count"], row["count"] is None)
            assert cell.count is None or cell.count % 5 == 0  # rounded as the policy says, by the report
    notes = {row["note"] for row in csv.DictReader(io.StringIO(open_data_csv(results)))}
    assert notes == {"", "hidden"}  # one mark for every hidden figure, never which ones are small
