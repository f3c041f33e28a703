"""`answer_page`: a posted page in; Saved (where next), Invalid (errors, typed values) or Elsewhere out.

The storing itself is `repository.save_answer` (its race with Send: tests/integration/respond/test_races.py);
here it is replaced, so each outcome is seen with the journey it leaves behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from survey.engine import load_dict
from survey.journey import runner
from survey.journey.answering import Elsewhere, Invalid, Saved, Unanswered, answer_page, read_page
from survey.journey.runner import Journey
from survey.store.models import Response
from tests.unit.engine.definitions import MINI

Q = load_dict(MINI, "mini.json")
TODAY = date(2026, 12, 3)


@pytest.fixture
def app() -> Flask:
    from survey.app import create_app

    return create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})


class Saves:
    """What reached the database: each call of `repository.save_answer`; `refuse()`: sent meanwhile."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.refused = False

    def refuse(self) -> None:
        self.refused = True

    def save_answer(self, **kwargs: Any) -> bool:
        self.calls.append({k: kwargs[k] for k in ("question_id", "answers", "visited")})
        return not self.refused


@pytest.fixture
def saves(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Saves]:
    found = Saves()
    monkeypatch.setattr(runner.repository, "save_answer", found.save_answer)
    monkeypatch.setattr(runner, "get_session", lambda: None)
    with app.test_request_context("/"):
        yield found


def _journey(answers: dict[str, Any] | None = None, visited: list[str] | None = None) -> Journey:
    response = Response(token="t", questionnaire_id="mini", questionnaire_version="1.0.0", started_on=TODAY)
    return Journey(
        row=None,  # type: ignore[arg-type]  # opening and closing dates are not read here
        q=Q,
        lang="en",
        response=response,
        answers=dict(answers or {}),
        visited=list(visited or []),
    )


def test_a_valid_page_is_saved_and_says_where_the_journey_goes_next(saves: Saves) -> None:
    journey = _journey()
    typed: list[dict[str, list[str]]] = []
    form = MultiDict([("csrf_token", "secret"), ("answer", "very")])
    outcome = answer_page(journey, Q.question("safe_day"), form, today=TODAY, before_saving=typed.append)
    assert outcome == Saved(next_url="/s/mini/p/3")  # "why unsafe" (page 2) is skipped: not unsafe
    stored = {"question_id": "safe_day", "answers": {"safe_day": "very"}, "visited": ["safe_day"]}
    assert saves.calls == [stored]
    assert journey.answers == {"safe_day": "very"} and journey.visited == ["safe_day"]
    assert typed == [{"answer": ["very"]}]  # handed over before storing, never the CSRF token


def test_changing_an_answer_goes_past_the_pages_already_done(saves: Saves) -> None:
    done = {"safe_day": "very", "concern": {"burglary": "very", "cyber": "not"}}
    journey = _journey(done, ["safe_day", "concern"])
    form = MultiDict([("answer", "fairly")])
    outcome = answer_page(journey, Q.question("safe_day"), form, today=TODAY, change=True)
    assert outcome == Saved(next_url="/s/mini/p/4?change=1")  # concern (page 3) was answered already


def test_an_invalid_page_gives_the_errors_and_the_typed_values_and_stores_nothing(saves: Saves) -> None:
    journey = _journey()
    typed: list[dict[str, list[str]]] = []
    form = MultiDict([("csrf_token", "secret"), ("answer", "extremely")])
    outcome = answer_page(journey, Q.question("safe_day"), form, today=TODAY, before_saving=typed.append)
    assert isinstance(outcome, Invalid)
    assert outcome.errors == ["Select how safe you feel during the day"]
    assert [e.field for e in outcome.errors] == ["answer"]
    assert outcome.data == {"answer": ["extremely"]}
    assert saves.calls == [] and typed == [] and journey.answers == {} and journey.visited == []


def test_a_response_sent_meanwhile_is_elsewhere_not_saved(saves: Saves) -> None:
    saves.refuse()  # the UPDATE finds the response no longer in progress (sent in another tab)
    journey = _journey()
    outcome = answer_page(journey, Q.question("safe_day"), MultiDict([("answer", "very")]), today=TODAY)
    assert outcome == Elsewhere()
    assert len(saves.calls) == 1  # it was tried, and refused: never reported as saved


def test_save_and_come_back_keeps_only_a_given_answer(saves: Saves) -> None:
    journey = _journey({"safe_day": "unsafe", "why_unsafe": "dark streets"}, ["safe_day", "why_unsafe"])
    empty = MultiDict([("answer", "")])
    outcome = answer_page(journey, Q.question("why_unsafe"), empty, today=TODAY, keep_blank=False)
    assert outcome == Unanswered() and saves.calls == []
    assert journey.answers["why_unsafe"] == "dark streets"


def test_a_paper_forms_marks_are_read_kept_and_reported(saves: Saves) -> None:
    journey = _journey({"safe_day": "very"}, ["safe_day"])
    marks: dict[str, Any] = {}
    row_marked = MultiDict([("item-burglary", "very"), ("item_mark-cyber", "blank")])
    outcome = answer_page(journey, Q.question("concern"), row_marked, today=TODAY, marks=marks)
    assert outcome == Saved(next_url="/s/mini/p/4", mark={"cyber": "blank"})
    assert marks == {"concern": {"cyber": "blank"}}
    assert journey.answers["concern"] == {"burglary": "very"}  # the marked row is no answer

    whole = MultiDict([("mark", "multiple")])
    assert isinstance(answer_page(journey, Q.question("victim_any"), whole, today=TODAY), Invalid)  # no marks
    outcome = answer_page(journey, Q.question("victim_any"), whole, today=TODAY, marks=marks)
    assert isinstance(outcome, Saved) and outcome.mark == "multiple"
    assert marks["victim_any"] == "multiple" and "victim_any" not in journey.answers

    saves.refuse()
    blank = MultiDict([("mark", "blank")])
    outcome = answer_page(journey, Q.question("age"), blank, today=TODAY, marks=marks)
    assert outcome == Elsewhere(mark="blank") and "age" not in marks  # not saved: not kept as marked


def test_read_page_alone_reads_marks_without_storing(saves: Saves) -> None:
    journey = _journey({"safe_day": "very"}, ["safe_day"])
    both = MultiDict([("item-burglary", "very"), ("item-cyber", "not"), ("item_mark-cyber", "blank")])
    read = read_page(journey, Q.question("concern"), both, today=TODAY, marks=True)
    assert [e.field for e in read.errors] == ["item_mark-cyber"]  # answered and marked: choose one
    read = read_page(journey, Q.question("age"), MultiDict([("mark", "blank")]), today=TODAY, marks=True)
    assert (read.entries, read.mark, read.errors) == ({}, "blank", [])
    assert saves.calls == []
