"""The attacker's shortcut (Attack.solve's `wide_enough`): the same narrow counts, for fewer programmes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.disclosure import attacker as attacker_module
from tests.unit.disclosure.attacker import Attack


def table() -> Attack:
    """Four hidden cells under a shown total of 100 (wide), and a hidden cell beside a shown one (pinned)."""
    a = Attack(upper=1000)
    cells = [a.add(f"wide {k}", None) for k in range(4)]
    a.row({**dict.fromkeys(cells, 1.0), a.add("total", 100): -1.0}, 0, 0)
    a.row({a.add("pinned", None): 1.0, a.add("shown", 40): 1.0, a.add("both", 43): -1.0}, 0, 0)
    return a


@pytest.fixture
def programmes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = attacker_module.milp

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(attacker_module, "milp", counted)
    return calls


def test_wide_enough_finds_the_same_narrow_counts_with_fewer_programmes(programmes: list[int]) -> None:
    exact = table().solve()
    solved_exactly = len(programmes)
    quick = table().solve(wide_enough=10)
    assert len(programmes) - solved_exactly < solved_exactly
    assert exact["pinned"] == quick["pinned"] == (3, 3)
    assert set(quick) == set(exact)
    for name, (low, high) in quick.items():
        true_low, true_high = exact[name]
        assert true_low <= low <= high <= true_high  # values some fitting counts take
        assert (high - low >= 10) == (true_high - true_low >= 10)  # wide or narrow: the same verdict


def test_a_sum_of_counts_the_reader_knows_pins_its_total_without_a_programme(programmes: list[int]) -> None:
    """Cells whose sizes the reader is told (rows of one count) pin the hidden group they add up to; the
    bounds a sum puts on its last unknown count are used as they are, and nothing else changes."""
    a = Attack(upper=1000)
    cells = [a.add(f"cell {k}", None) for k in range(3)]
    for cell, size in zip(cells, (12, 30, 7), strict=True):
        a.row({cell: 1.0}, size, size)
    group = a.add("group", None)
    a.row({**dict.fromkeys(cells, 1.0), group: -1.0}, 0, 0)
    free = [a.add(f"free {k}", None) for k in range(2)]
    a.row({free[0]: 1.0, free[1]: 1.0, group: -1.0}, 0, 0)  # the group split two ways: not pinned
    ranges = a.solve(wide_enough=10)
    assert ranges["group"] == (49, 49) and all(
        ranges[c] == (s, s) for c, s in zip(cells, (12, 30, 7), strict=True)
    )
    assert len(programmes) <= 2  # only the split is solved (its two ends at most)
    assert ranges["free 0"][1] - ranges["free 0"][0] >= 10
    before = len(programmes)
    assert Attack.solve(a, only={"free 1"}) == {"free 1": (0, 49)}  # exact: the split's whole range
    assert len(programmes) - before == 2
