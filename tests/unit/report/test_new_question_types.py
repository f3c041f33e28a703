"""The newer question types in reports and analyst exports (the bundled budget consultation)."""

from __future__ import annotations

import csv
import io
import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from analysis.estimates import estimate_questions
from analysis.export import dictionary_csv, flatten, write_csv, write_sav
from analysis.reference import resolve_reference
from analysis.report import build_report, render_html
from analysis.report.tally import fast_estimates
from analysis.text import default_codebook
from survey.engine import load_file

ROOT = Path(__file__).parents[3]
BUDGET = load_file(ROOT / "questionnaires" / "council-budget-2027.json")
SERVICES = ("social_care", "schools", "roads", "bins", "libraries", "leisure")


def _response(i: int, rng: random.Random) -> dict[str, Any]:
    top = rng.sample(SERVICES, 3)
    answers: dict[str, Any] = {
        "connection": "live",
        "postcode": rng.choice(["CF10", "CF11", "CF14"]),
        "agree": "yes",
        "services_used": {"libraries": ["online", "in_person"], "parks": ["not_used"]}
        if i % 2
        else {"leisure": ["in_person"]},
        "contact_reason": "other" if i % 5 == 0 else rng.choice(["bins", "council_tax", "roads"]),
        "last_contact": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "priorities": {item: rank for rank, item in enumerate(top, start=1)},
        "tax_rise": "dont_know" if i % 7 == 0 else round(rng.uniform(0, 10), 1),
        "extra_pay": round(rng.uniform(0, 20), 2),
        "people": rng.randint(1, 6),
    }
    if i % 5 == 0:
        answers["contact_reason.other"] = "Potholes on the lane"
    return {
        "id": i,
        "questionnaire_version": "1.0.0",
        "status": "complete",
        "channel": None,
        "mode": "online",
        "started_on": date(2026, 11, 1),
        "completed_on": date(2026, 11, 2),
        "duration_seconds": 300,
        "last_question": "leaflet",
        "answers": answers,
    }


@pytest.fixture(scope="module")
def rows() -> list[dict[str, Any]]:
    rng = random.Random(19)
    return [_response(i, rng) for i in range(1, 61)]


def test_export_columns_for_every_new_type(rows: list[dict[str, Any]], tmp_path: Path) -> None:
    table = flatten(rows, BUDGET)
    names = [c.name for c in table.columns]
    for name in (
        "postcode",
        "agree",
        "services_used_libraries_online",
        "services_used_parks_not_used",
        "contact_reason_other",
        "last_contact",
        "priorities_schools",
        "tax_rise",
        "tax_rise_dont_know",
        "extra_pay",
        "people",
    ):
        assert name in names, name
    first = dict(zip(names, table.rows[0], strict=True))
    assert first["services_used_libraries_online"] == 1 and first["services_used_leisure_online"] == 0
    assert first["postcode"] in ("CF10", "CF11", "CF14")
    seventh = dict(zip(names, table.rows[6], strict=True))
    assert seventh["tax_rise"] is None and seventh["tax_rise_dont_know"] == 1  # "don't know" is no number
    fifth = dict(zip(names, table.rows[4], strict=True))
    assert fifth["contact_reason_other"] == "Potholes on the lane"
    assert sorted(v for v in (first[f"priorities_{s}"] for s in SERVICES) if v is not None) == [1, 2, 3]
    labelled = list(csv.reader(io.StringIO(write_csv(table, labels=True).decode("utf-8-sig"))))
    assert labelled[1][names.index("agree")] == "I understand how my answers will be used"
    dictionary = dictionary_csv(table).decode("utf-8-sig")
    assert (
        "priorities_roads" in dictionary
        and "outward code" in dictionary
        and "date (YYYY-MM-DD)" in dictionary
    )
    import pyreadstat

    write_sav(table, tmp_path / "budget.sav")
    frame, meta = pyreadstat.read_sav(str(tmp_path / "budget.sav"))
    assert frame["tax_rise_dont_know"].iloc[6] == 1.0 and frame["priorities_schools"].dtype.kind == "f"
    assert meta.variable_value_labels["services_used_libraries_online"] == {
        0.0: "Not chosen",
        1.0: "Chosen",
        99.0: "Skipped (shown, not answered)",
        -1.0: "Not asked",
    }


def test_grid_and_ranking_tables_agree_between_the_two_estimators(rows: list[dict[str, Any]]) -> None:
    fast = {(e.question, e.item): e for e in fast_estimates(rows, BUDGET)}
    slow = {(e.question, e.item): e for e in estimate_questions(rows, BUDGET)}
    assert fast.keys() == slow.keys()
    assert ("services_used", "libraries") in fast and ("priorities", "schools") in fast
    ranked = fast[("priorities", "schools")]
    assert [s.code for s in ranked.shares] == ["1", "2", "3"]
    assert ranked.base == sum(1 for r in rows if "schools" in r["answers"]["priorities"])
    for key, estimate in fast.items():
        assert [s.count for s in estimate.shares] == [s.count for s in slow[key].shares], key


def test_the_report_shows_the_new_types(rows: list[dict[str, Any]]) -> None:
    report = build_report(
        "interim",
        BUDGET,
        rows,
        date(2026, 11, 30),
        resolve_reference(None),
        default_codebook(),
        min_cell=5,
        with_charts=False,
    )
    assert {r.id for r in report.ratings} >= {"services_used", "priorities"}
    assert {n.id for n in report.numbers} >= {"tax_rise", "extra_pay", "people"}
    tax = next(n for n in report.numbers if n.id == "tax_rise")
    assert tax.base == sum(1 for r in rows if isinstance(r["answers"]["tax_rise"], float | int))
    text = BeautifulSoup(render_html(report).decode("utf-8"), "html.parser").get_text(" ")
    assert "Which 3 services should we protect most?" in text and "Ranked 1" in text
    assert "How have you used these services in the last 12 months?" in text
