"""Representativeness: hand-computed shares, indices, flags, dissimilarity, findings and responses needed."""

from __future__ import annotations

import pytest

from analysis.reference import parse_reference, resolve_reference
from analysis.representativeness import Thresholds, compare, compare_questionnaire, responses_needed
from survey.engine import demographic_mapping, load_dict, parse_condition
from tests.unit.analysis.synthetic import AGE_RANGES, interim_2016, questionnaire, response

FLAT = parse_reference(
    "dimension,category,count,share,source\n"
    + "".join(
        f"age_adult16plus,{band},100,0.2,test\n" for band in ("16-24", "25-34", "35-49", "50-64", "65+")
    ),
    "flat",
)
AGE = [demographic_mapping({"dimension": "age_adult16plus", "question": "age", "ranges": AGE_RANGES})]


def ten_respondents() -> list[dict[str, object]]:
    """1 aged 16-24, 2 each 25-34, 35-49, 50-64, 3 aged 65+; plus one who skipped age and a business."""
    ages = [20, 30, 31, 40, 41, 55, 56, 70, 71, 72]
    rows = [
        response(i, channel="facebook" if i < 5 else None, type="resident", age=a) for i, a in enumerate(ages)
    ]
    rows.append(response(10, type="resident"))
    rows.append(response(11, type="business", age=20))
    return rows


def test_hand_computed_table() -> None:
    table = compare(
        ten_respondents(),
        FLAT,
        AGE,
        population_filter=parse_condition({"q": "type", "op": "equals", "value": "resident"}),
    )
    assert (table.responses, table.in_population, dict(table.outside)) == (12, 11, {"business": 1})
    dim = table.dimension("age_adult16plus")
    assert dim.respondents == 10
    assert dim.missing == {"not_answered": 1, "not_stated": 0, "unmapped": 0}
    got = {
        r.category: (r.respondents, r.sample_share, r.population_share, r.index, r.deviation, r.flag)
        for r in dim.rows
    }
    assert got["16-24"] == pytest.approx((1, 0.1, 0.2, 50.0, 0.1, "under"))  # type: ignore[arg-type]
    assert got["25-34"][3:] == pytest.approx((100.0, 0.0, "fine"))  # type: ignore[arg-type]
    assert got["65+"] == pytest.approx((3, 0.3, 0.2, 150.0, 0.1, "over"))  # type: ignore[arg-type]
    assert dim.dissimilarity == pytest.approx(0.1)  # 1/2 (0.1 + 0 + 0 + 0 + 0.1)
    assert dim.largest is not None and dim.largest.deviation == pytest.approx(0.1)
    young = dim.rows[0]
    assert young.needed == 1  # (1 + 1) / (10 + 1) = 0.18 >= 0.8 * 0.2 = 0.16, while 1/10 < 0.16
    assert young.channels == (("facebook", 1),)
    assert dict(dim.rows[4].channels) == {"(no channel: direct link)": 3}


def test_findings_in_plain_language() -> None:
    dim = compare(ten_respondents(), FLAT, AGE).dimension("age_adult16plus")
    text = "\n".join(dim.findings)
    assert "People aged 16–24" not in text  # with the business respondent: 2/11 = 18%, RI 91, within range
    table = compare(
        ten_respondents(),
        FLAT,
        AGE,
        population_filter=parse_condition({"q": "type", "op": "equals", "value": "resident"}),
    )
    text = "\n".join(table.findings)
    assert (
        "People aged 16–24 are 10% of respondents but 20% of residents aged 16 and over; about 1 more" in text
    )
    assert "People aged 65 and over are 30% of respondents but 20% of residents aged 16 and over." in text
    assert "1 did not answer: 1 respondent not counted in the age_adult16plus comparison" in text


def test_thresholds_are_configurable() -> None:
    strict = compare(ten_respondents(), FLAT, AGE, thresholds=Thresholds(under=40, over=160))
    assert {r.flag for r in strict.dimension("age_adult16plus").rows} == {"fine"}
    with pytest.raises(ValueError, match="thresholds must satisfy"):
        Thresholds(under=120, over=80)


@pytest.mark.parametrize(
    ("n_k", "n", "share", "expected"),
    [
        (1, 10, 0.2, 1),  # (0.16*10 - 1) / 0.84 = 0.71 -> 1
        (3, 100, 0.12, 8),  # (9.6 - 3) / 0.904 = 7.3 -> 8: 11/108 = 0.1019 >= 0.096, 10/107 = 0.0935 < 0.096
        (0, 0, 0.5, 1),
        (20, 100, 0.2, 0),  # already within range
    ],
)
def test_responses_needed(n_k: int, n: int, share: float, expected: int) -> None:
    x = responses_needed(n_k, n, share)
    assert x == expected
    target = 0.8 * share
    assert (n_k + x) / (n + x) >= target
    if x and n + x - 1:
        assert (n_k + x - 1) / (n + x - 1) < target  # the smallest such x


def test_responses_needed_with_none_yet_from_a_group() -> None:
    # target 0.8 * 0.25 = 0.2; (0.2*50 - 0) / 0.8 = 12.5 -> 13: 13/63 = 0.206, 12/62 = 0.194
    assert responses_needed(0, 50, 0.25) == 13


def test_weighted_comparison_uses_weights() -> None:
    rows = ten_respondents()[:10]
    weights = {r["id"]: 1.0 for r in rows}
    weights[0] = 2.0  # the only 16-24 respondent counts twice: 2/11
    dim = compare(rows, FLAT, AGE, weights=weights).dimension("age_adult16plus")
    assert dim.rows[0].sample_share == pytest.approx(2 / 11)
    assert dim.rows[0].respondents == 1


def test_dimension_missing_from_reference_is_a_problem_not_a_crash() -> None:
    table = compare(
        ten_respondents(),
        FLAT,
        [*AGE, demographic_mapping({"dimension": "ward", "question": "ward", "map": {}})],
    )
    assert [d.dimension for d in table.dimensions] == ["age_adult16plus"]
    assert table.problems == ("dimension 'ward' is not in reference 'flat'; it was left out",)


def test_interim_2016_sample_against_milton_keynes() -> None:
    table = compare_questionnaire(interim_2016(), resolve_reference(), load_dict(questionnaire()))
    assert table.in_population == 524 and dict(table.outside) == {"business": 28, "visitor": 5}
    age = table.dimension("age_adult16plus")
    flags = {r.category: r.flag for r in age.rows}
    assert flags["16-24"] == "under" and flags["65+"] == "over"
    tenure = table.dimension("tenure_households_grouped")
    assert tenure.missing["not_stated"] == 10
    assert "households" in tenure.caveat
    assert next(r for r in tenure.rows if r.category.startswith("Owner")).flag == "over"
    assert (
        "Home owners are 79% of respondents but 61% of households (the census counts households, not people)."
        in (tenure.findings)
    )
    assert table.dimension("sex_age16to74").missing["not_stated"] == 15
