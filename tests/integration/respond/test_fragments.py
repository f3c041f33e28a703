"""The cache of rendered question fields: the same HTML as rendering afresh, never a resident's own words."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, render_template, template_rendered

from survey.engine import AnswerError, Question, form_data_for
from survey.journey import fragments
from survey.journey.forms import question_fields
from survey.journey.runner import Journey, _definition
from survey.store import repository
from survey.store.db import get_session
from tests.respondent import Respondent, default_answer

MakeRespondent = Callable[..., Respondent]


@pytest.fixture
def journey_for(app: Flask) -> Iterator[Callable[[str, str], Journey]]:
    """Journeys (no response) of a bundled questionnaire in a language, inside one request context."""
    with app.test_request_context("/"):

        def make(questionnaire_id: str, lang: str) -> Journey:
            row = repository.current_questionnaire(session=get_session(), questionnaire_id=questionnaire_id)
            assert row is not None
            return Journey(row=row, q=_definition(row), lang=lang)

        yield make


def fresh(journey: Journey, question: Question, data: dict[str, list[str]], caption: str) -> str:
    """The fields rendered without the cache."""
    kind, params = question_fields(journey, question, data, [], caption)
    return render_template(
        "respond/_question_fields.html",
        j=journey,
        lang=journey.lang,
        question=question,
        kind=kind,
        params=params,
    )


@pytest.mark.parametrize(
    ("questionnaire_id", "lang"),
    [("safermk-2016", "en"), ("safermk-2016", "pl"), ("tenant-satisfaction", "en")],
)
def test_cached_fields_equal_fresh_ones_on_every_page_blank_and_answered(
    app: Flask, journey_for: Callable[[str, str], Journey], questionnaire_id: str, lang: str
) -> None:
    journey = journey_for(questionnaire_id, lang)
    for question in journey.q.questions:
        answered = form_data_for(question, default_answer(question)) if question.asks else {}
        cacheable_answer = question.type in fragments.CHOICE_TYPES
        for data in ({}, answered):
            first = fragments.fields_html(journey, question, data, [], "Section 1 of 6")
            again = fragments.fields_html(journey, question, data, [], "Section 1 of 6")
            assert str(first) == str(again) == fresh(journey, question, data, "Section 1 of 6"), question.id
            cached = (journey.q.id, journey.q.version, question.id, lang) in {
                key[:4] for key in app.extensions[fragments.CACHE_KEY].keys()
            }  # type: ignore[index]
            assert cached, question.id
        key = fragments.cache_key(journey, question, answered, [], "Section 1 of 6")
        assert (key is not None) == (cacheable_answer or not question.asks or not answered), question.id


def test_a_checked_answer_is_shown_after_the_blank_page_was_cached(
    journey_for: Callable[[str, str], Journey],
) -> None:
    journey = journey_for("safermk-2016", "en")
    question = journey.q.question("tenure")
    blank = str(fragments.fields_html(journey, question, {}, [], "Section 1 of 6"))
    code = question.options[1].code
    chosen = str(fragments.fields_html(journey, question, {"answer": [code]}, [], "Section 1 of 6"))
    assert "checked" not in blank
    assert f'value="{code}" checked' in chosen
    assert str(fragments.fields_html(journey, question, {}, [], "Section 1 of 6")) == blank


def test_pages_with_errors_and_typed_text_are_never_cached(
    app: Flask, journey_for: Callable[[str, str], Journey]
) -> None:
    journey = journey_for("safermk-2016", "en")
    words = "A resident's private words <b>about my neighbour</b>"
    text_question = journey.q.question("concerns_text")
    shown = str(fragments.fields_html(journey, text_question, {"answer": [words]}, [], "Section 2 of 6"))
    assert "private words &lt;b&gt;about my neighbour&lt;/b&gt;" in shown
    age = journey.q.question("age")
    error = AnswerError("Enter your age as a number, like 42")
    with_error = str(fragments.fields_html(journey, age, {"answer": ["forty"]}, [error], "Section 1 of 6"))
    assert "Enter your age as a number, like 42" in with_error and 'value="forty"' in with_error
    cache = app.extensions[fragments.CACHE_KEY]
    assert not any("private words" in str(html) or "forty" in str(html) for html in cache.values())
    assert fragments.cache_key(journey, age, {"answer": []}, [error], "Section 1 of 6") is None
    assert fragments.cache_key(journey, age, {"answer": ["42"]}, [], "Section 1 of 6") is None


def test_the_cache_keeps_only_the_most_recently_used_pages(
    app: Flask, journey_for: Callable[[str, str], Journey], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fragments, "LIMIT", 3)
    journey = journey_for("safermk-2016", "en")
    questions = [q for q in journey.q.questions if q.type == "single"][:5]
    for question in questions:
        fragments.fields_html(journey, question, {}, [], "Section 1 of 6")
    fragments.fields_html(journey, questions[2], {}, [], "Section 1 of 6")  # used again: kept
    fragments.fields_html(journey, questions[0], {}, [], "Section 1 of 6")  # a miss: evicts the oldest
    kept = [key[2] for key in app.extensions[fragments.CACHE_KEY].keys()]  # type: ignore[index]
    assert kept == [questions[4].id, questions[2].id, questions[0].id]


def test_two_residents_and_a_change_of_answer_through_the_pages(respondent: MakeRespondent) -> None:
    first, second = respondent(), respondent()
    for resident in (first, second):
        resident.start()
        assert resident.question is not None and resident.question.id == "respondent_type"
        assert resident.soup.select("input[checked]") == []
    first.answer("business")
    first.get("/s/safermk-2016/p/1")
    checked = first.soup.select("input[checked]")
    assert [box["value"] for box in checked] == ["business"]
    assert second.soup.select("input[checked]") == []


def test_kept_page_shells_get_each_residents_own_token_and_answers(
    app: Flask, respondent: MakeRespondent
) -> None:
    first, second = respondent(), respondent()
    first.start()
    second.start()
    tokens = [
        r.soup.select_one("input[name=csrf_token]")["value"]  # type: ignore[index]
        for r in (first, second)
    ]
    assert tokens[0] != tokens[1] and all(tokens)
    first.answer("business")
    first.get("/s/safermk-2016/p/1")  # the same page again, now answered: same shell, other fields
    assert [box["value"] for box in first.soup.select("input[checked]")] == ["business"]
    assert second.soup.select("input[checked]") == []
    first.walk({})
    first.submit()
    assert first.path == "/s/safermk-2016/done"  # every token filled into a kept shell was accepted
    shells = app.extensions[fragments.SHELLS_KEY]
    assert len(shells) >= 2
    for shell in shells.values():
        assert shell.count(fragments.CSRF_HOLE) == 1 and shell.count(fragments.FIELDS_HOLE) == 1
        assert "business" not in shell.split(fragments.FIELDS_HOLE)[0].split("<form")[-1]


def test_no_hole_is_ever_sent_and_pages_with_errors_are_not_kept(
    app: Flask, respondent: MakeRespondent
) -> None:
    resident = respondent()
    resident.start()
    kept = len(app.extensions[fragments.SHELLS_KEY])
    resident.answer_raw({})  # nothing chosen: the page comes back with an error
    assert resident.response is not None and "There is a problem" in resident.response.get_data(as_text=True)
    assert len(app.extensions[fragments.SHELLS_KEY]) == kept
    resident.answer("resident")
    resident.walk({})
    assert resident.path == "/s/safermk-2016/check"
    for qid in resident.seen:  # every page again (answered now), in both languages
        for lang in ("en", "pl"):
            resident.get(f"/s/safermk-2016/p/{resident.q.position(qid) + 1}?lang={lang}")
            assert resident.response is not None and resident.response.status_code == 200
            assert "survey-hole" not in resident.response.get_data(as_text=True)


def test_the_confirmation_page_is_rendered_once_per_version_and_language_never_with_a_receipt(
    app: Flask, respondent: MakeRespondent
) -> None:
    rendered: list[str] = []

    def note(_app: Flask, template: Any, **_context: Any) -> None:
        rendered.append(template.name)

    def done_page(lang: str, *, receipt: bool = False) -> str:
        resident = respondent("safermk-2016")
        if lang != "en":
            resident.get(f"/s/safermk-2016?lang={lang}")
        resident.start()
        resident.walk()
        with template_rendered.connected_to(note, app):
            page = resident.submit(receipt=receipt)
        assert resident.path == "/s/safermk-2016/done", resident.path
        return page.get_data(as_text=True)

    first = done_page("en")
    assert rendered.count("respond/done.html") == 1
    rendered.clear()
    assert done_page("en") == first  # the second resident's page is the kept one: no rendering
    assert rendered.count("respond/done.html") == 0
    polish = done_page("pl")
    assert rendered.count("respond/done.html") == 1 and polish != first and 'lang="pl"' in polish
    rendered.clear()
    codes = [done_page("en", receipt=True) for _ in range(2)]
    assert rendered.count("respond/done.html") == 2  # a receipt code is never kept
    assert all('id="receipt-code"' in page for page in codes) and codes[0] != codes[1]
    assert 'id="receipt-code"' not in done_page("en")  # nor does a later page show one
