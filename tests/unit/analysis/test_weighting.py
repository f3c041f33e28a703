"""Raking: hand-computed weights, an independent numpy IPF, the 2016 interim sample, caps and failures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pytest

from analysis.mapping import map_dimension
from analysis.reference import resolve_reference
from analysis.weighting import kish, margins, rake, rake_categories
from survey.engine import Questionnaire, load_dict, parse_condition
from tests.unit.analysis.synthetic import interim_2016, questionnaire

RESIDENTS = parse_condition({"q": "respondent_type", "op": "equals", "value": "resident"})
MK_MARGINS = ("sex_age16to74", "age_adult16plus", "tenure_households_grouped")


def typed() -> Questionnaire:
    """The small questionnaire as the engine loads it."""
    return load_dict(questionnaire())


def numpy_ipf(columns: Mapping[str, Sequence[str]], targets: Mapping[str, Mapping[str, float]]) -> np.ndarray:
    """Plain iterative proportional fitting, written independently of analysis.weighting."""
    cols = {d: np.asarray(v) for d, v in columns.items()}
    n = len(next(iter(cols.values())))
    w = np.ones(n)
    for _ in range(10_000):
        before = w.copy()
        for dim, col in cols.items():
            for cat, share in targets[dim].items():
                rows = col == cat
                w[rows] *= share * n / w[rows].sum()
        if np.max(np.abs(w - before)) < 1e-13:
            break
    return w


def test_one_margin_by_hand() -> None:
    # three x and one y raked to 50/50: x weigh 0.5*4/3 = 2/3, y weighs 2
    weights, report = rake_categories({"a": ["x", "x", "x", "y"]}, {"a": {"x": 0.5, "y": 0.5}})
    assert weights == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2])
    assert report.converged and report.max_error < 1e-12
    # deff = n sum(w^2) / sum(w)^2 = 4 * (3 * 4/9 + 4) / 16 = 4/3; ESS = 3; efficiency 3/4
    assert (report.deff, report.effective_n, report.efficiency) == pytest.approx((4 / 3, 3.0, 0.75))
    assert (report.min_weight, report.max_weight) == pytest.approx((2 / 3, 2))


def test_kish_by_hand() -> None:
    assert kish([1, 1, 1, 1]) == pytest.approx((1.0, 4.0, 1.0))
    assert kish([1, 3]) == pytest.approx((2 * 10 / 16, 16 / 10, 16 / 20))


def test_two_margins_match_a_hand_solution() -> None:
    # a 2x2 with one respondent per cell raked to a: 60/40 and b: 50/50 has the exact solution 1.2 / 0.8
    weights, report = rake_categories(
        {"a": ["x", "x", "y", "y"], "b": ["p", "q", "p", "q"]},
        {"a": {"x": 0.6, "y": 0.4}, "b": {"p": 0.5, "q": 0.5}},
    )
    assert weights == pytest.approx([1.2, 1.2, 0.8, 0.8])
    assert report.converged


def resident_columns(complete_only: bool) -> tuple[dict[str, list[str | None]], dict[str, dict[str, float]]]:
    q, ref = typed(), resolve_reference()
    residents = [r for r in interim_2016() if r["answers"]["respondent_type"] == "resident"]
    mapped = {m.dimension: map_dimension(residents, m) for m in q.demographics}
    keep = [
        i for i in range(len(residents)) if not complete_only or all(m.categories[i] for m in mapped.values())
    ]
    columns = {d: [m.categories[i] for i in keep] for d, m in mapped.items()}
    return columns, {d: ref.dimension(d).shares for d in mapped}


def test_weightipy_agrees_with_an_independent_numpy_ipf_to_1e_6() -> None:
    columns, targets = resident_columns(complete_only=True)
    ours, report = rake_categories(columns, targets)
    theirs = numpy_ipf(columns, targets)  # type: ignore[arg-type]
    assert report.converged
    assert np.max(np.abs(ours - theirs)) < 1e-6


def test_interim_2016_sample_raked_to_milton_keynes_meets_every_margin() -> None:
    q = typed()
    result = rake(interim_2016(), margins(q, resolve_reference()), population_filter=q.population_filter)
    report = result.report
    assert report.converged, report.messages
    assert report.max_error <= 0.005
    assert len(result.weights) == 524  # residents only
    assert dict(report.outside) == {"business": 28, "visitor": 5}
    assert report.missing == {"sex_age16to74": 15, "age_adult16plus": 6, "tenure_households_grouped": 10}
    assert np.mean(list(result.weights.values())) == pytest.approx(1.0)
    # recompute each margin here, among respondents who stated it
    residents = [r for r in interim_2016() if r["answers"]["respondent_type"] == "resident"]
    ref = resolve_reference()
    for mapping in q.demographics:
        mapped = map_dimension(residents, mapping)
        w = np.array([result.weights[r["id"]] for r in residents])
        cats = np.array([c or "" for c in mapped.categories])
        stated = cats != ""
        for cat, share in ref.dimension(mapping.dimension).shares.items():
            assert abs(w[cats == cat].sum() / w[stated].sum() - share) <= 0.005
    assert report.deff > 1.5  # a skewed sample costs precision
    assert report.effective_n == pytest.approx(524 / report.deff)
    assert report.summary.startswith(
        "Weighted to sex_age16to74, age_adult16plus, tenure_households_grouped: every margin within 0.0"
    )
    assert (
        f"the 524 weighted responses carry the information of about {report.effective_n:.0f}"
        in report.summary
    )


def test_not_stated_respondents_keep_their_share_and_are_not_imputed() -> None:
    columns, targets = resident_columns(complete_only=False)
    weights, report = rake_categories(columns, targets)
    assert report.converged
    sex = np.array([c or "" for c in columns["sex_age16to74"]])
    assert weights[sex == ""].sum() / weights.sum() == pytest.approx(np.mean(sex == ""))


def test_a_cap_that_conflicts_with_the_margins_is_reported_not_hidden() -> None:
    q = typed()
    result = rake(interim_2016(), margins(q, resolve_reference()), cap=3, population_filter=RESIDENTS)
    report = result.report
    assert max(result.weights.values()) <= 3.001  # weightipy honours the cap...
    assert report.max_error > 0.02  # ...by drifting a margin by several points, which we check ourselves
    assert not report.converged
    assert report.summary.endswith("did not meet every margin: do not rely on the weighted results.")
    assert "age_adult16plus '25-34'" in report.messages[0] and "cap of 3 conflicts" in report.messages[0]
    assert report.messages[1].startswith("Without a cap, raking meets every margin with a largest weight of")


def test_a_cap_the_margins_allow_converges() -> None:
    q = typed()
    plain = rake(interim_2016(), margins(q, resolve_reference()), population_filter=RESIDENTS).report
    capped = rake(
        interim_2016(), margins(q, resolve_reference()), cap=plain.max_weight + 1, population_filter=RESIDENTS
    )
    assert (
        capped.report.converged and capped.report.method == f"weightipy rim with cap {plain.max_weight + 1:g}"
    )


def test_a_category_without_respondents_gives_a_clear_message() -> None:
    weights, report = rake_categories({"a": ["x", "x", "y"]}, {"a": {"x": 0.5, "y": 0.3, "z": 0.2}})
    assert not report.converged
    assert report.messages[0].startswith("a: no respondents in 'z' (population share 20.0%)")
    assert np.all(np.isfinite(weights))


def test_categories_outside_the_targets_are_reported() -> None:
    _, report = rake_categories({"a": ["x", "y", "w"]}, {"a": {"x": 0.5, "y": 0.5}})
    assert any("categories ['w'] are not in the targets" in m for m in report.messages)


def test_nothing_to_weight() -> None:
    weights, report = rake_categories({"a": []}, {"a": {"x": 1.0}})
    assert weights.size == 0 and not report.converged
    assert report.messages == ("Nothing to weight: no respondents in the population.",)


def test_cap_must_exceed_one() -> None:
    with pytest.raises(ValueError, match="cap must be greater than 1"):
        rake_categories({"a": ["x", "y"]}, {"a": {"x": 0.5, "y": 0.5}}, cap=1)


def test_margins_need_mappings() -> None:
    with pytest.raises(ValueError, match="no demographic mapping for: ward"):
        margins(typed(), resolve_reference(), ["ward"])
    assert [m.dimension for m in margins(typed(), resolve_reference())] == list(MK_MARGINS)


def test_rake_questionnaire_uses_its_population_filter() -> None:
    from analysis.weighting import rake_questionnaire

    result = rake_questionnaire(interim_2016(), typed(), resolve_reference(), ["age_adult16plus"])
    assert len(result.weights) == 524 and result.report.converged
    assert [c.dimension for c in result.report.checks] == ["age_adult16plus"] * 5


def numpy_capped_ipf(
    columns: Mapping[str, Sequence[str]], targets: Mapping[str, Mapping[str, float]], cap: float
) -> float:
    """Largest margin error (fraction) of a plain rake-then-clip loop on complete rows (independent check)."""
    cols = {d: np.asarray(v) for d, v in columns.items()}
    n = len(next(iter(cols.values())))
    w = np.ones(n)
    for _ in range(5_000):
        before = w.copy()
        for dim, col in cols.items():
            for cat, share in targets[dim].items():
                rows = col == cat
                w[rows] *= share * n / w[rows].sum()
        w = np.minimum(w, cap)
        if np.max(np.abs(w - before)) < 1e-10:
            break
    return max(
        abs(w[col == cat].sum() / w.sum() - share)
        for d, col in cols.items()
        for cat, share in targets[d].items()
    )


@pytest.mark.parametrize(("cap", "meets"), [(12, True), (5, True), (4.5, False), (4, False)])
def test_where_a_cap_starts_to_conflict_on_the_interim_sample(cap: float, meets: bool) -> None:
    columns, targets = resident_columns(complete_only=True)
    _, report = rake_categories(columns, targets, cap)
    assert report.converged is meets
    assert bool(report.max_error <= 0.005) is meets
    # an independent rake-then-clip loop agrees on which caps the margins allow
    assert bool(numpy_capped_ipf(columns, targets, cap) <= 0.005) is meets  # type: ignore[arg-type]
