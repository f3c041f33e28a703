"""Bounded least-recently-used caches kept per app (in `app.extensions`), safe under gthread workers."""

from __future__ import annotations

from typing import Any

from flask import current_app

from survey.engine.lru import LRU

__all__ = ["LRU", "app_lru"]


def app_lru(name: str, limit: int) -> LRU[Any, Any]:
    """The current app's cache called `name` (made on first use with this limit)."""
    cache: LRU[Any, Any] | None = current_app.extensions.get(name)
    if cache is None:
        cache = current_app.extensions.setdefault(name, LRU(limit))
    return cache
