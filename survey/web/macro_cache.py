"""`cached("govukButton", params)` in templates: a GOV.UK component rendered once per distinct parameters.

GOV.UK Frontend's Jinja macros are pure functions of their parameters, and a page's furniture (skip link,
back link, buttons, Exit this page) takes the same few parameters on every request, yet rendering those
macros was a large part of a question page's time. Templates call such components as `cached(name, ...)`
(no `{% from ... import %}`: an import runs on every render too); the HTML is kept in a bounded LRU per
app, keyed by the macro's name and the parameters (Markup and plain text are told apart, since a macro
escapes one and not the other). Only for parameters made by the service: never for a call whose
parameters hold what a resident typed.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

from survey.web.lru import app_lru

CACHE_KEY = "survey_macro_cache"
MACROS_KEY = "survey_govuk_macros"
MACRO_NAME = re.compile(r"^govuk(?:[A-Z][a-z]+)+$")
LIMIT = 1024


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


def component_path(name: str) -> str:
    """The template defining a GOV.UK macro: 'govukBackLink' -> '.../components/back-link/macro.html'."""
    if not MACRO_NAME.match(name):
        raise ValueError(f"{name!r} is not the name of a GOV.UK Frontend macro (like 'govukButton')")
    words = re.findall(r"[A-Z][a-z]+", name.removeprefix("govuk"))
    return f"govuk_frontend_jinja/components/{'-'.join(w.lower() for w in words)}/macro.html"


def govuk_macro(name: str) -> Any:
    """A GOV.UK Frontend macro by name, loaded from its template once per app."""
    macros: dict[str, Any] = current_app.extensions.setdefault(MACROS_KEY, {})
    macro = macros.get(name)
    if macro is None:
        macro = getattr(current_app.jinja_env.get_template(component_path(name)).module, name)
        macros[name] = macro
    return macro


def cached(name: str, params: dict[str, Any]) -> Markup:
    """The named GOV.UK macro's HTML for these parameters, rendered the first time and then kept."""
    key = (name, frozen(params))
    cache = app_lru(CACHE_KEY, LIMIT)
    html: Markup | None = cache.get(key)
    if html is None:
        html = Markup(govuk_macro(name)(params))
        cache.put(key, html)
    return html


def init_app(app: Flask) -> None:
    """Make `cached(name, params)` available in every template."""
    app.jinja_env.globals["cached"] = cached
