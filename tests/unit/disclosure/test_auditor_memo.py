"""The auditor's memo: a caller auditing an output round after round solves only the groups that changed."""

from __future__ import annotations

from typing import Any

import pytest

from analysis.disclosure import System, audit
from analysis.disclosure.auditor import SOLVED, SolvedGroups


def two_tables(second_total: int) -> System:
    """Two unlinked tables, each a hidden pair of cells under a shown total (two independent groups)."""
    s = System()
    for table, total in (("a", 40), ("b", second_total)):
        s.var(f"{table}1", hidden=True)
        s.var(f"{table}2", hidden=True)
        s.fix(f"{table}_total", total)
        s.equal({f"{table}1": 1, f"{table}2": 1, f"{table}_total": -1}, 0)
    return s


@pytest.fixture
def solves(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many integer programmes the auditor hands to the solver (imported where it is called)."""
    import scipy.optimize

    calls: list[int] = []
    real = scipy.optimize.milp

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(scipy.optimize, "milp", counted)
    return calls


def test_an_unchanged_group_is_not_solved_again_and_gets_the_same_ranges(solves: list[int]) -> None:
    memo: dict[Any, Any] = {}
    first = audit(two_tables(7), 10, memo=memo)
    assert len(solves) > 0
    solved_first = len(solves)
    again = audit(two_tables(7), 10, memo=memo)
    assert again == first and len(solves) == solved_first  # nothing solved the second time
    before = len(solves)
    changed = audit(two_tables(50), 10, memo=memo)  # table b changed, table a did not
    through_memo = len(solves) - before
    before = len(solves)
    fresh = audit(two_tables(50), 10)
    assert changed == fresh
    assert 0 < through_memo < len(solves) - before  # only the changed group was solved


def test_a_pinned_count_is_still_found_through_the_memo() -> None:
    memo: dict[Any, Any] = {}
    s = two_tables(7)
    s.fix("b2", 4)  # shown after all: b1 = 7 - 4 is pinned
    for _ in range(2):
        narrow = {r.name: (r.low, r.high) for r in audit(s, 10, memo=memo) if r.narrower_than(10)}
        assert narrow == {"b1": (3, 3), "b2": (4, 4)}


def test_a_memo_kept_across_calls_solves_an_output_audited_again_not_at_all(solves: list[int]) -> None:
    """SolvedGroups (the process's memo, SOLVED, is one): a second audit of the same output solves nothing
    and gets the same ranges; a group that changed is solved again."""
    memo = SolvedGroups()
    first = audit(two_tables(7), 10, memo=memo)
    assert len(solves) > 0 and len(memo) == 2
    before = len(solves)
    assert audit(two_tables(7), 10, memo=memo) == first and len(solves) == before
    assert audit(two_tables(50), 10, memo=memo) == audit(two_tables(50), 10)
    assert len(memo) == 3  # table a's group again, table b's new one


def test_the_memo_kept_across_calls_forgets_the_least_recently_used_group_first(solves: list[int]) -> None:
    memo = SolvedGroups(size=4)  # two ranges a group
    audit(two_tables(7), 10, memo=memo)  # groups a and b(7)
    audit(two_tables(50), 10, memo=memo)  # a used again, b(50) added: b(7) forgotten
    assert len(memo) == 2 and memo.ranges == 4
    before = len(solves)
    audit(two_tables(50), 10, memo=memo)
    assert len(solves) == before  # a and b(50) kept
    audit(two_tables(7), 10, memo=memo)
    assert len(solves) > before  # b(7) solved again


def test_partner_outputs_audit_through_the_process_memo() -> None:
    """The partner page's bands and a protected report's rounds keep their solved groups in SOLVED."""
    from analysis.report import audience, audience_flags
    from survey.services import need_bands

    assert need_bands.SOLVED is audience.SOLVED is audience_flags.SOLVED is SOLVED
    s = two_tables(31)
    s.fix("a1", 33)  # a group no other test audits
    before = len(SOLVED)
    narrow = audit(s, 10, memo=SOLVED)
    assert len(SOLVED) > before and audit(s, 10, memo=SOLVED) == narrow
