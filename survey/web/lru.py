"""Bounded least-recently-used caches kept per app (in `app.extensions`), safe under gthread workers."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import current_app


class LRU:
    """A dict that keeps at most `limit` entries, dropping the least recently used first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any:
        """The value kept under `key` (now the most recently used), or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> None:
        """Keep `value` under `key`, dropping the oldest entries beyond the limit."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)

    def keys(self) -> list[Hashable]:
        """The keys, least recently used first."""
        with self._lock:
            return list(self._items)

    def values(self) -> list[Any]:
        """The values, least recently used first."""
        with self._lock:
            return list(self._items.values())

    def __len__(self) -> int:
        return len(self._items)


def app_lru(name: str, limit: int) -> LRU:
    """The current app's cache called `name` (made on first use with this limit)."""
    cache: LRU | None = current_app.extensions.get(name)
    if cache is None:
        cache = current_app.extensions.setdefault(name, LRU(limit))
    return cache
