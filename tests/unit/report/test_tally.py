"""The one-pass tally gives the same estimates as analysis.estimates.estimate_questions."""

from __future__ import annotations

import math
import random

import pytest

from analysis.estimates import estimate_questions
from analysis.report.tally import fast_estimates
from tests.unit.report.helpers import demo_rows, safermk


@pytest.mark.parametrize("weighted", [False, True])
def test_same_as_estimate_questions(weighted: bool) -> None:
    rows = demo_rows(400, seed=21)
    rng = random.Random(1)
    weights = {r["id"]: rng.uniform(0.3, 4.0) for r in rows if rng.random() < 0.9} if weighted else None
    rows[3]["answers"]["substances"] = ["alcohol", "alcohol", "not-an-option"]  # odd stored values too
    ours = fast_estimates(rows, safermk(), weights)
    theirs = estimate_questions(rows, safermk(), weights)
    assert len(ours) == len(theirs) > 20
    for a, b in zip(ours, theirs, strict=True):
        assert (a.question, a.item, a.text, a.type, a.base, a.low_effective_n) == (
            b.question,
            b.item,
            b.text,
            b.type,
            b.base,
            b.low_effective_n,
        )
        assert math.isclose(a.weighted_base, b.weighted_base, rel_tol=1e-12)
        assert math.isclose(a.effective_n, b.effective_n, rel_tol=1e-9, abs_tol=1e-12)
        for x, y in zip(a.shares, b.shares, strict=True):
            assert (x.code, x.label, x.kind, x.count, x.unweighted) == (
                y.code,
                y.label,
                y.kind,
                y.count,
                y.unweighted,
            )
            if y.weighted is None:
                assert x.weighted is None
            else:
                assert x.weighted is not None
                for u, v in zip(
                    (x.weighted.share, x.weighted.low, x.weighted.high),
                    (y.weighted.share, y.weighted.low, y.weighted.high),
                    strict=True,
                ):
                    assert math.isclose(u, v, rel_tol=1e-9, abs_tol=1e-12)
