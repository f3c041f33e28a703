"""survey.engine.lru.LRU: the one bounded least-recently-used cache (web caches, charts, solved groups)."""

from __future__ import annotations

from survey.engine.lru import LRU


def test_a_count_limit_keeps_the_most_recent_entries() -> None:
    kept: LRU[str, int] = LRU(2)
    for n, key in enumerate("abc"):
        kept.put(key, n)
    assert kept.keys() == ["b", "c"] and kept.values() == [1, 2]
    assert len(kept) == 2 and kept.size == 2
    assert kept.get("a") is None


def test_getting_an_entry_makes_it_the_most_recently_used() -> None:
    kept: LRU[str, int] = LRU(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # b is now the least recently used
    kept.put("c", 3)
    assert kept.keys() == ["a", "c"]


def test_a_weight_limit_drops_the_oldest_until_the_weight_fits() -> None:
    kept: LRU[str, bytes] = LRU(10, weight=len)
    kept.put("a", b"1234")
    kept.put("b", b"1234")
    kept.put("c", b"12")
    assert kept.size == 10 and len(kept) == 3
    kept.put("d", b"123")  # 13: only a, the oldest, goes
    assert kept.keys() == ["b", "c", "d"] and kept.size == 9
    kept.put("e", b"123456789")  # 18: b, c and d go, oldest first, until it fits
    assert kept.keys() == ["e"] and kept.size == 9


def test_putting_a_key_again_replaces_its_value_and_weight() -> None:
    kept: LRU[str, bytes] = LRU(10, weight=len)
    kept.put("a", b"123456")
    kept.put("b", b"12")
    kept.put("a", b"1")  # replaced, and now the most recently used
    assert kept.keys() == ["b", "a"] and kept.get("a") == b"1" and kept.size == 3


def test_a_value_heavier_than_the_limit_is_not_kept_and_drops_nothing() -> None:
    kept: LRU[str, bytes] = LRU(10, weight=len)
    kept.put("a", b"12345")
    kept.put("big", b"x" * 11)
    assert kept.get("big") is None and kept.keys() == ["a"] and kept.size == 5


def test_pop_forgets_an_entry_and_its_weight() -> None:
    kept: LRU[str, bytes] = LRU(10, weight=len)
    kept.put("a", b"123")
    kept.put("b", b"45")
    assert kept.pop("a") == b"123" and kept.pop("a") is None
    assert kept.keys() == ["b"] and kept.size == 2
