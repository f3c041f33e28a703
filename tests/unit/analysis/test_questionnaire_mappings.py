"""Bundled questionnaires' demographic mappings fit their reference population; the SaferMK one runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analysis.reference import reference_name_for, resolve_reference
from analysis.representativeness import compare_questionnaire
from analysis.weighting import margins, rake
from survey.engine import load_file

QUESTIONNAIRES = sorted(
    p
    for p in (Path(__file__).resolve().parents[3] / "questionnaires").glob("*.json")
    if "schema" not in p.name
)


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("path", QUESTIONNAIRES, ids=lambda p: p.stem)
def test_mappings_name_reference_dimensions_and_categories(path: Path) -> None:
    q = load(path)
    ref = resolve_reference(reference_name_for(load_file(path)))
    questions = {x["id"]: x for s in q["sections"] for x in s["questions"]}
    for mapping in q.get("demographics", []):
        dim = ref.dimension(mapping["dimension"])  # KeyError names the missing dimension
        known = set(dim.shares)
        question = questions[mapping["question"]]
        if "ranges" in mapping:
            assert question["type"] == "number"
            cats = [r["category"] for r in mapping["ranges"]]
            bounds = sorted(
                (r["min"], r["max"] if r["max"] is not None else 10**9) for r in mapping["ranges"]
            )
            assert all(a[1] < b[0] for a, b in zip(bounds, bounds[1:], strict=False)), "ranges overlap"
        else:
            codes = {o["code"] for o in question["options"]}
            assert set(mapping["map"]) <= codes, f"{mapping['dimension']}: codes not in the question"
            cats = [c for c in mapping["map"].values() if c is not None]
        assert set(cats) <= known, f"{mapping['dimension']}: {sorted(set(cats) - known)} not in {ref.name}"


def test_safermk_2016_residents_only_are_compared_and_weighted() -> None:
    q = load_file(next(p for p in QUESTIONNAIRES if p.stem == "safermk-2016"))
    ref = resolve_reference(reference_name_for(q))
    people = []
    for i in range(200):
        answers = {
            "respondent_type": "resident",
            "ward": "olney" if i % 2 else "bletchley_east",
            "sex": "female" if i % 3 else "male",
            "age": 20 + (i * 7) % 70,
            "tenure": ["owned_outright", "rent_council", "rent_private"][i % 3],
        }
        people.append({"id": i, "channel": None, "status": "complete", "answers": answers})
    people.append(
        {"id": 900, "status": "complete", "answers": {"respondent_type": "business", "ward": "olney"}}
    )
    people.append(
        {"id": 901, "status": "complete", "answers": {"respondent_type": "resident", "ward": "not_in_mk"}}
    )
    table = compare_questionnaire(people, ref, q)
    assert table.in_population == 200
    assert dict(table.outside) == {"business": 1, "resident": 1}
    ward = table.dimension("ward")
    assert {r.category for r in ward.rows if r.respondents} == {"Olney", "Bletchley East"}
    assert sum(r.flag == "under" for r in ward.rows) == 17
    result = rake(
        people,
        margins(q, ref, ["sex_age16to74", "age_adult16plus"]),
        population_filter=q.population_filter,
    )
    assert set(result.weights) == set(range(200))
    assert result.report.converged, result.report.messages
