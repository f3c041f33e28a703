"""`cached(macro, params)`: the GOV.UK component's own HTML, once per distinct parameters."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from markupsafe import Markup

from survey.web import macro_cache


@pytest.fixture
def app() -> Flask:
    from survey.app import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})


def component(app: Flask, name: str, macro: str) -> Any:
    template = app.jinja_env.get_template(f"govuk_frontend_jinja/components/{name}/macro.html")
    return getattr(template.module, macro)


def test_macro_names_lead_to_their_component_templates() -> None:
    assert macro_cache.component_path("govukBackLink").endswith("/components/back-link/macro.html")
    assert macro_cache.component_path("govukButton") == "govuk_frontend_jinja/components/button/macro.html"
    for wrong in ("button", "govukbutton", "govuk_button", "govukButton2"):
        with pytest.raises(ValueError, match="not the name of a GOV.UK Frontend macro"):
            macro_cache.component_path(wrong)


def test_cached_html_is_the_macros_own_and_is_kept(app: Flask) -> None:
    with app.app_context():
        button = component(app, "button", "govukButton")
        params = {"text": "Continue", "preventDoubleClick": True}
        first = macro_cache.cached("govukButton", params)
        assert first == Markup(button(params)) and 'data-prevent-double-click="true"' in first
        assert macro_cache.cached("govukButton", dict(params)) is first  # equal parameters: the kept HTML
        other = macro_cache.cached("govukButton", {"text": "Send", "preventDoubleClick": True})
        assert other is not first and "Send" in other and "Continue" not in other


def test_markup_and_plain_text_are_told_apart(app: Flask) -> None:
    with app.app_context():
        plain = macro_cache.cached("govukBackLink", {"href": "/x", "html": "<b>Back</b>"})
        marked = macro_cache.cached("govukBackLink", {"href": "/x", "text": Markup("<b>Back</b>")})
        escaped = macro_cache.cached("govukBackLink", {"href": "/x", "text": "<b>Back</b>"})
        assert "&lt;b&gt;Back&lt;/b&gt;" in escaped and "<b>Back</b>" in marked and "<b>Back</b>" in plain
        assert macro_cache.frozen({"text": Markup("a")}) != macro_cache.frozen({"text": "a"})


def test_the_cache_is_bounded(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(macro_cache, "LIMIT", 2)
    with app.app_context():
        for text in ("a", "b", "c"):
            macro_cache.cached("govukTag", {"text": text})
        kept = app.extensions[macro_cache.CACHE_KEY].keys()
        assert [dict(key[1])["text"] for key in kept] == ["b", "c"]


def test_parameters_it_cannot_key_are_refused() -> None:
    with pytest.raises(TypeError, match="not object"):
        macro_cache.frozen({"text": object()})
