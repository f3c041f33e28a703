"""Rao–Scott adjusted chi-square, Benjamini–Hochberg, linearised domain intervals, the period change test."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2_contingency

from analysis.design import benjamini_hochberg, domain_difference_p, rao_scott
from analysis.estimates import linearised_interval


def _h(w: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    """The 2x2 interaction contrast p11 - p1. p.1 of weighted shares."""
    total = w.sum()
    return float(w[(a == 0) & (b == 0)].sum() / total - w[a == 0].sum() / total * w[b == 0].sum() / total)


def test_equal_weights_give_pearsons_statistic() -> None:
    rng = np.random.default_rng(3)
    a = rng.integers(0, 3, 800)
    b = (rng.random(800) < 0.3 + 0.1 * a).astype(int) + (rng.random(800) < 0.2)
    table = np.zeros((3, 3))
    np.add.at(table, (a, b), 1)
    pearson = chi2_contingency(table, correction=False)[0]
    result = rao_scott(a, b)
    assert result is not None
    assert result.pearson == pytest.approx(pearson, rel=1e-9)
    assert result.mean_deff == pytest.approx(1.0, abs=0.03)
    assert result.statistic == pytest.approx(pearson, rel=0.04)


def test_two_by_two_worked_example_is_the_design_based_wald_statistic() -> None:
    """In a 2x2 table Pearson's X2 is h^2 / V0(h), so Rao–Scott is h^2 / Vd(h): here Vd(h) is worked out by
    numerically differentiating h with respect to each respondent's weight (an independent route)."""
    rng = np.random.default_rng(11)
    n = 300
    a = rng.integers(0, 2, n)
    b = (rng.random(n) < np.where(a == 1, 0.45, 0.3)).astype(int)
    w = rng.uniform(0.4, 3.0, n)
    h = _h(w, a, b)
    eps = 1e-6
    scores = np.empty(n)
    for i in range(n):
        bumped = w.copy()
        bumped[i] *= 1 + eps
        scores[i] = (_h(bumped, a, b) - h) / eps  # w_i * dh/dw_i: respondent i's linearised influence
    vd = n / (n - 1) * float(np.sum((scores - scores.mean()) ** 2))
    result = rao_scott(a, b, w)
    assert result is not None
    assert result.df == pytest.approx(1.0)
    assert result.statistic == pytest.approx(h * h / vd, rel=1e-4)


def test_rejects_about_five_percent_under_independence_with_unequal_weights() -> None:
    """Weights that vary with the row (as raking weights do) inflate the naive test; Rao–Scott keeps 5%."""
    rng = np.random.default_rng(2016)
    rejected = naive = 0
    sims = 400
    for _ in range(sims):
        a = rng.integers(0, 3, 400)
        b = rng.integers(0, 2, 400)
        w = np.where(rng.random(400) < 0.2, 4.0, 0.6)  # a few large weights: design effect about 2
        result = rao_scott(a, b, w)
        assert result is not None
        rejected += result.p_value < 0.05
        naive += result.pearson > 5.991  # chi2(2) 95% point, ignoring the design
    assert 0.025 <= rejected / sims <= 0.08
    assert naive / sims > 0.1


def test_benjamini_hochberg_worked_example() -> None:
    adjusted, rejected = benjamini_hochberg([0.01, 0.04, 0.03, 0.005])
    assert adjusted == pytest.approx((0.02, 0.04, 0.04, 0.02))
    assert rejected == (True, True, True, True)
    adjusted, rejected = benjamini_hochberg([0.01, 0.2, 0.03, 0.5], q=0.05)
    assert rejected == (True, False, False, False)
    assert benjamini_hochberg([]) == ((), ())


def test_empty_or_single_row_tables_are_not_tested() -> None:
    assert rao_scott([0, 0, 0], [0, 1, 0]) is None
    with pytest.raises(ValueError, match="one entry per respondent"):
        rao_scott([0, 1], [0])


def test_linearised_domain_interval_agrees_with_a_bootstrap() -> None:
    """A routed sub-question (asked of about 40%), weighted: width within 5% of a 2,000-resample bootstrap."""
    rng = np.random.default_rng(7)
    n = 700
    in_domain = rng.random(n) < 0.4
    w = np.exp(rng.normal(0, 0.5, n))
    y = (rng.random(n) < np.where(w > 1.2, 0.5, 0.3)).astype(float)  # weights related to the answer
    wd = w * in_domain
    total = wd.sum()
    interval = linearised_interval(
        float((wd * y).sum()), float((wd * wd * y).sum()), float(total), float((wd * wd).sum()), n, 0.0
    )
    boot = []
    for _ in range(2000):
        idx = rng.integers(0, n, n)
        wb = wd[idx]
        boot.append(float((wb * y[idx]).sum() / wb.sum()))
    boot_width = 2 * 1.959963984540054 * float(np.std(boot, ddof=1))
    ours = interval.high - interval.low
    assert abs(ours - boot_width) / boot_width < 0.05, (ours, boot_width)
    # the Kish effective-n interval ignores the link between weights and answers: it is narrower here
    p = interval.share
    kish = 2 * 1.959963984540054 * float(np.sqrt(p * (1 - p) * (wd * wd).sum() / total**2))
    assert kish < ours


def test_period_change_has_the_nominal_false_positive_rate() -> None:
    """No change between the two periods: the test rejects about 5% of the time (simulation)."""
    rng = np.random.default_rng(42)
    sims = 1000
    rejected = 0
    for _ in range(sims):
        n = 500
        later = rng.random(n) < 0.45
        w = np.exp(rng.normal(0, 0.6, n))
        y = (rng.random(n) < 0.35).astype(float)
        _, _, p = domain_difference_p(y, ~later, later, w)
        rejected += p < 0.05
    assert 0.035 <= rejected / sims <= 0.067


def test_period_change_finds_a_real_change() -> None:
    rng = np.random.default_rng(5)
    n = 1000
    later = rng.random(n) < 0.5
    y = (rng.random(n) < np.where(later, 0.45, 0.30)).astype(float)
    before, after, p = domain_difference_p(y, ~later, later)
    assert after - before == pytest.approx(0.15, abs=0.05)
    assert p < 0.001


def test_benjamini_hochberg_never_adjusts_a_p_value_down() -> None:
    """p * m / m is not always p in floating point (0.9341153481915141 * 77 / 77 is a hair smaller)."""
    largest = 0.9341153481915141
    adjusted, _ = benjamini_hochberg([0.001] * 76 + [largest])
    assert adjusted[-1] >= largest
    rng = np.random.default_rng(13)
    for m in (2, 7, 77, 300):
        p = rng.uniform(size=m)
        adjusted, _ = benjamini_hochberg(list(p))
        assert all(a >= x for a, x in zip(adjusted, p, strict=True))
