"""Markup in every text of a questionnaire definition (titles, questions, hints, options, contacts).

Authors are trusted, but a pasted snippet must never become live markup on a resident's page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PROJECT_ROOT, make_app
from tests.respondent import Respondent
from tests.security.inert import live_markup

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)><svg/onload=alert(1)>{{7*7}}'
TEXT_KEYS = {"title", "text", "label", "hint", "body", "intro", "error_subject", "suffix", "name", "hours"}


def _marked(node: Any) -> Any:
    """Every human-readable text (in every language) with the payload in front."""
    if isinstance(node, dict):
        return {k: (_text(v) if k in TEXT_KEYS else _marked(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_marked(v) for v in node]
    return node


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return PAYLOAD + value
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return {lang: PAYLOAD + text for lang, text in value.items()}
    return _marked(value)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_markup_in_a_definition_is_shown_as_text_on_every_page(database_url: str, tmp_path: Path) -> None:
    """Start, every question page (and its error state), check answers, confirmation: no live markup."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    source = json.loads((PROJECT_ROOT / "questionnaires" / "safermk-2016.json").read_text("utf-8"))
    (folder / "safermk-2016.json").write_text(json.dumps(_marked(source)), "utf-8")
    app = make_app(database_url, tmp_path, SURVEY_QUESTIONNAIRE_DIR=str(folder))
    resident = Respondent(app.test_client(), "safermk-2016", folder)
    pages: dict[str, list[str]] = {}

    def look() -> None:
        html = resident.response.get_data(as_text=True)  # type: ignore[union-attr]
        pages[resident.path] = live_markup(html)
        assert "<script>alert(1)</script>" in resident.soup.get_text() or resident.path.endswith("/done")

    resident.get("/s/safermk-2016")
    look()
    resident.start()
    for _ in range(len(resident.q.questions) + 1):
        if resident.question is None:
            break
        look()
        if resident.question.asks and resident.question.required:
            resident.answer(None)
            look()
        resident.walk(stop_at=_next(resident))
    look()
    resident.submit()
    look()
    assert resident.path.endswith("/done")
    assert {path: found for path, found in pages.items() if found} == {}


def _next(resident: Respondent) -> str:
    """The id of the question after the current one in definition order (walk stops there)."""
    ids = [q.id for q in resident.q.questions]
    current = resident.question
    assert current is not None
    position = ids.index(current.id)
    return ids[position + 1] if position + 1 < len(ids) else "__end__"
