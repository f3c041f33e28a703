"""`cached(macro, params)` in templates: a GOV.UK component rendered once per distinct parameters.

GOV.UK Frontend's Jinja macros are pure functions of their parameters, and a page's furniture (skip link,
back link, buttons, Exit this page) takes the same few parameters on every request, yet rendering those
macros was a large part of a question page's time. Templates wrap such calls in `cached(...)`; the HTML is
kept in a bounded LRU per app, keyed by the macro's name and the parameters (Markup and plain text are
told apart, since a macro escapes one and not the other). Only for parameters made by the service: never
wrap a call whose parameters hold what a resident typed.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

CACHE_KEY = "survey_macro_cache"
LIMIT = 1024
_lock = threading.Lock()


def frozen(value: Any) -> Hashable:
    """A hashable copy of macro parameters (dicts, lists, text, Markup, numbers, booleans, None)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(frozen(v) for v in value)
    if isinstance(value, Markup):
        return ("markup", str(value))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cached() takes parameters made of dicts, lists and text, not {type(value).__name__}")


def cached(macro: Any, params: dict[str, Any]) -> Markup:
    """The macro's HTML for these parameters, rendered the first time and then kept."""
    key = (getattr(macro, "name", repr(macro)), frozen(params))
    cache: OrderedDict[Hashable, Markup] = current_app.extensions.setdefault(CACHE_KEY, OrderedDict())
    with _lock:
        found = cache.get(key)
        if found is not None:
            cache.move_to_end(key)
            return found
    html = Markup(macro(params))
    with _lock:
        cache[key] = html
        while len(cache) > LIMIT:
            cache.popitem(last=False)
    return html


def init_app(app: Flask) -> None:
    """Make `cached(macro, params)` available in every template."""
    app.jinja_env.globals["cached"] = cached
