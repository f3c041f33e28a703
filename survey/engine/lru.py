"""A bounded least-recently-used cache, safe to share between threads (gthread workers, report builds).

Pure Python, so both the web floor (`survey.web.lru.app_lru`, one per app) and analysis (drawn charts,
the auditor's solved groups) keep their caches in it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A dict that keeps at most `limit` in weight, dropping the least recently used first.

    `weight(value)` is what an entry counts towards the limit (1 an entry when not given: a count limit);
    a value heavier than the whole limit is not kept. `size` is the weight kept.
    """

    def __init__(self, limit: int, weight: Callable[[V], int] | None = None) -> None:
        self.limit = limit
        self.size = 0
        self._weight = weight
        self._items: OrderedDict[K, tuple[V, int]] = OrderedDict()  # value, its weight when put
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value kept under `key` (now the most recently used), or None."""
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V) -> None:
        """Keep `value` under `key` (in place of what was), dropping the oldest entries beyond the limit."""
        weight = 1 if self._weight is None else self._weight(value)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= old[1]
            if weight > self.limit:
                return
            self._items[key] = (value, weight)
            self.size += weight
            while self.size > self.limit:
                self.size -= self._items.popitem(last=False)[1][1]

    def pop(self, key: K) -> V | None:
        """Forget `key`: the value that was kept under it, or None."""
        with self._lock:
            found = self._items.pop(key, None)
            if found is None:
                return None
            self.size -= found[1]
            return found[0]

    def keys(self) -> list[K]:
        """The keys, least recently used first."""
        with self._lock:
            return list(self._items)

    def values(self) -> list[V]:
        """The values, least recently used first."""
        with self._lock:
            return [value for value, _ in self._items.values()]

    def __len__(self) -> int:
        return len(self._items)
