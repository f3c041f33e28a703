"""The auditor and table protection: hand cases, Hypothesis tables checked by an independent attacker."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from analysis.disclosure import (
    Audience,
    DisclosurePolicy,
    InconsistentFigures,
    System,
    audience_of,
    audit,
    audit_report,
    describe_policy,
    policy_of,
    protect,
)
from analysis.disclosure.release import release_point, release_points, steps
from survey.engine import Questionnaire
from survey.engine.loader import build


def attack_table(
    cells: list[list[int]],
    bases: list[int],
    hide: tuple[tuple[bool, ...], ...],
    hide_bases: tuple[bool, ...],
    rows_add_up: bool,
) -> list[tuple[int, int]]:
    """Independent integer programme over what the table shows: (low, high) of every hidden value."""
    r, c = len(cells), len(cells[0])
    n = r * c + r  # cells then bases
    lb, ub = np.zeros(n), np.full(n, float(sum(bases)))
    for i in range(r):
        for j in range(c):
            if not hide[i][j]:
                lb[i * c + j] = ub[i * c + j] = cells[i][j]
        if not hide_bases[i]:
            lb[r * c + i] = ub[r * c + i] = bases[i]
    rows: list[np.ndarray] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(a: np.ndarray, low: float, high: float) -> None:
        rows.append(a)
        lo.append(low)
        hi.append(high)

    for i in range(r):
        if rows_add_up:
            a = np.zeros(n)
            a[i * c : i * c + c] = 1
            a[r * c + i] = -1
            add(a, 0, 0)
        else:
            for j in range(c):
                a = np.zeros(n)
                a[i * c + j], a[r * c + i] = 1, -1
                add(a, -np.inf, 0)
    if r > 1:
        for j in range(c):
            a = np.zeros(n)
            a[[i * c + j for i in range(r)]] = 1
            column = sum(cells[i][j] for i in range(r))
            add(a, column, column)
        a = np.zeros(n)
        a[r * c :] = 1
        add(a, sum(bases), sum(bases))
    cons = LinearConstraint(np.array(rows), lo, hi)
    out = []
    targets = [i * c + j for i in range(r) for j in range(c) if hide[i][j]] + [
        r * c + i for i in range(r) if hide_bases[i]
    ]
    for k in targets:
        obj = np.zeros(n)
        obj[k] = 1
        low = milp(obj, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons)
        high = milp(-obj, integrality=np.ones(n), bounds=Bounds(lb, ub), constraints=cons)
        out.append((round(low.fun), round(-high.fun)))
    return out


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda c: st.lists(st.lists(st.integers(0, 60), min_size=c, max_size=c), min_size=1, max_size=5)
    ),
    st.booleans(),
    st.integers(3, 12),
)
def test_protected_tables_hold_against_an_independent_attacker(
    cells: list[list[int]], rows_add_up: bool, threshold: int
) -> None:
    bases = [sum(row) if rows_add_up else max(row) + (i % 3) * 4 for i, row in enumerate(cells)]
    result = protect(cells, bases, threshold=threshold, rows_add_up=rows_add_up, upper=sum(bases))
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            if 0 < value < threshold:
                assert result.cells[i][j]  # every small count is hidden
    ranges = attack_table(cells, bases, result.cells, result.bases, rows_add_up)
    if result.unresolved:  # no pattern short of hiding everything was found: everything is hidden
        assert all(all(r) for r in result.cells) and all(result.bases)
    else:
        assert all(high - low >= threshold for low, high in ranges)


def test_a_lone_small_cell_with_shown_total_is_pinned() -> None:
    s = System()
    for name, value in (("a", None), ("b", 40), ("total", 43)):
        s.var(name, hidden=value is None)
        if value is not None:
            s.fix(name, value)
    s.equal({"a": 1, "b": 1, "total": -1}, 0)
    (r,) = audit(s, 10)
    assert (r.low, r.high) == (3, 3) and r.narrower_than(10)
    assert str(r) == "a: 3–3"


def test_percentages_become_intervals() -> None:
    s = System()
    s.var("x", hidden=True)
    s.fix("n", 200)
    s.share("x", "n", 0.035, 0.00005)  # 3.5% of 200 is exactly 7
    (r,) = audit(s, 10)
    assert (r.low, r.high) == (7, 7)


def test_inconsistent_figures_are_reported() -> None:
    s = System()
    s.var("x", hidden=True)
    s.fix("y", 5)
    s.equal({"x": 1, "y": 1}, 3)
    with pytest.raises(InconsistentFigures, match="no count"):
        audit(s, 10)


def test_release_points_are_steps_of_the_threshold() -> None:
    start = date(2016, 5, 3)
    days = [start + timedelta(days=k // 3) for k in range(40)]  # 3 a day
    points = release_points(days, start + timedelta(days=30), 10)
    assert [n for _, n in steps(days, points)] == [12, 12, 12]  # whole days: 4 days of 3
    assert release_point(days, start + timedelta(days=1), 10) is None
    # staff published on day 9 (30 responses): the next step is the 10 after it, ending on day 13
    after = release_points(days, start + timedelta(days=30), 10, published=[start + timedelta(days=9)])
    assert after == [start + timedelta(days=9), start + timedelta(days=13)]
    with pytest.raises(ValueError, match="threshold"):
        release_points(days, start, 0)


def _questionnaire(**extra: Any) -> Questionnaire:
    """A one-question questionnaire with `extra` top-level keys, built as a stored version is (unchecked)."""
    question = {"id": "q1", "type": "text", "text": "Anything else?"}
    section = {"id": "s", "title": "S", "questions": [question]}
    return build({"id": "t", "version": "1", "language": "en", "title": "T", "sections": [section], **extra})


def test_policy_from_the_questionnaire_and_its_errors() -> None:
    policy = policy_of(
        _questionnaire(disclosure={"threshold": 5, "rounding": 5, "sensitive_to_partners": True})
    )
    assert policy == DisclosurePolicy(5, 5, True)
    assert policy.rounding_for(Audience.PUBLIC) == 5 and policy.rounding_for(Audience.PARTNER) is None
    assert policy.shows_sensitive(Audience.PARTNER) and not policy.shows_sensitive(Audience.PUBLIC)
    assert policy_of(_questionnaire()).threshold == 10 and policy_of(_questionnaire(), 7).threshold == 7
    with pytest.raises(ValueError, match="threshold"):
        policy_of(_questionnaire(), 0)
    with pytest.raises(ValueError, match="threshold"):
        policy_of(_questionnaire(disclosure={"threshold": 0}))
    with pytest.raises(ValueError, match="rounding"):
        policy_of(_questionnaire(disclosure={"rounding": "five"}))
    with pytest.raises(ValueError, match="internal, partner, public"):
        audience_of("press")
    assert "not for publication" in describe_policy(policy, Audience.INTERNAL)
    assert "rounded to the nearest 5" in describe_policy(policy, Audience.PUBLIC)


def _routed_document(child: dict[str, Any], linked: bool) -> dict[str, Any]:
    """A parent with two hidden answers (yes + not sure = 20 between them) and a child asked on 'yes'
    whose base, 14, says 'yes' is at least 14: then 'not sure' is 0 to 6, a range under 10."""
    parent = {
        "id": "victim",
        "item": None,
        "type": "single",
        "base": 60,
        "rows": [
            {"code": "yes", "count": None, "share": None},
            {"code": "no", "count": 40, "share": None},
            {"code": "not_sure", "count": None, "share": None},
        ],
    }
    link = {"question": "times", "parent": "victim", "codes": ["yes"], "equal": True}
    return {
        "headline": {"complete": 60},
        "questions": [parent, *child.get("questions", [])],
        "numbers": child.get("numbers", []),
        "disclosure": {"threshold": 10, "links": [link] if linked else []},
    }


@pytest.mark.parametrize(
    "child",
    [
        {"numbers": [{"id": "times", "base": 14, "bands": [["1-2", None, None], ["3+", None, None]]}]},
        {
            "questions": [
                {
                    "id": "times",
                    "item": item,
                    "type": "rating",
                    "base": 14,
                    "rows": [
                        {"code": "often", "count": None, "share": None},
                        {"code": "rarely", "count": None, "share": None},
                    ],
                }
                for item in ("day", "night")
            ]
        },
    ],
    ids=["number child", "rating items"],
)
def test_a_routed_number_or_rating_child_bounds_its_parents_hidden_answer(child: dict[str, Any]) -> None:
    """A number question or a rating question's items asked on a hidden answer: their bases are at most
    the people asked, so the auditor must follow the link as a reader can (it once skipped such children)."""
    assert audit_report(_routed_document(child, linked=False)) == []
    pinned = {r.name for r in audit_report(_routed_document(child, linked=True))}
    assert any("not_sure" in name for name in pinned), pinned
