"""Navigation over the small questionnaire: visible pages, next, previous and pruning hidden answers."""

from __future__ import annotations

from typing import Any

from survey.engine import (
    answer_in_order,
    first_page,
    is_complete,
    load_dict,
    next_page,
    previous_page,
    prune_answers,
    unanswered_required,
    visible_questions,
)
from tests.unit.engine.definitions import MINI

Q = load_dict(MINI, "mini.json")


def ids(answers: dict[str, Any]) -> list[str]:
    """The ids of the visible pages."""
    return [x.id for x in visible_questions(Q, answers)]


def test_without_answers_only_unconditional_pages_show() -> None:
    assert ids({}) == ["safe_day", "concern", "victim_any", "age", "sex"]
    assert first_page(Q) == "safe_day"


def test_branches_open_pages_in_order() -> None:
    answers = {"safe_day": "unsafe", "victim_any": "yes", "crimes": ["burglary"], "age": 70}
    assert ids(answers) == [
        "safe_day",
        "why_unsafe",
        "concern",
        "victim_any",
        "support_info",
        "crimes",
        "reported",
        "age",
        "sex",
        "older_help",
    ]


def test_next_and_previous_follow_the_branches() -> None:
    answers: dict[str, Any] = {"safe_day": "very"}
    assert next_page(Q, answers, "safe_day") == "concern"
    answers["safe_day"] = "unsafe"
    assert next_page(Q, answers, "safe_day") == "why_unsafe"
    assert previous_page(Q, answers, "concern") == "why_unsafe"
    assert previous_page(Q, answers, "safe_day") is None
    answers.update({"victim_any": "no", "age": 30, "sex": "female"})
    assert next_page(Q, answers, "victim_any") == "age"
    assert next_page(Q, answers, "sex") is None  # check your answers


def test_next_page_from_a_page_that_became_hidden_moves_on() -> None:
    assert next_page(Q, {"safe_day": "very"}, "why_unsafe") == "concern"
    assert next_page(Q, {}, "no_such_page") == "safe_day"
    assert previous_page(Q, {}, "no_such_page") is None


def test_hidden_answers_are_pruned_including_chains() -> None:
    answers = {
        "safe_day": "fairly",
        "why_unsafe": "dark",
        "victim_any": "no",
        "crimes": ["burglary"],
        "reported": "yes",
        "age": 30,
        "older_help": "yes",
        "unknown": "x",
        "sex": "",
    }
    assert prune_answers(Q, answers) == {"safe_day": "fairly", "victim_any": "no", "age": 30}


def test_a_condition_never_sees_a_hidden_answer() -> None:
    # 'reported' depends on 'crimes', hidden when victim_any is 'no': the stale answer must not count.
    answers = {"victim_any": "no", "crimes": ["burglary"]}
    assert "reported" not in ids(answers)


def test_required_questions_and_completion() -> None:
    answers: dict[str, Any] = {
        "safe_day": "very",
        "concern": {"burglary": "very", "cyber": "not"},
        "victim_any": "yes",
        "crimes": ["none"],
        "age": 30,
    }
    assert [x.id for x in unanswered_required(Q, answers)] == ["sex"]
    assert not is_complete(Q, answers)
    answers["sex"] = "female"
    assert is_complete(Q, answers)


def test_model_lookups() -> None:
    assert Q.question("crimes").type == "multiple"
    assert Q.section_of("crimes").id == "victim" and Q.section_number("crimes") == 2
    assert Q.text(Q.title, "cy") == "Arolwg diogelwch cymunedol"
    assert Q.text(Q.title, "pl") == "Community safety survey"  # falls back to the default language
    assert Q.raw["id"] == "mini" and Q.raw is not MINI
    assert "crimes" in Q.sensitive_question_ids and "age" not in Q.sensitive_question_ids
    assert Q.demographics[0].category(70) == "65+" and Q.demographics[1].category("prefer_not") is None


def test_answering_in_order_shows_the_pages_first_and_next_page_show() -> None:
    """answer_in_order (the demo generator's walk) gives, for answers made page by page, the pages that
    first_page and next_page after each answer give, branches opened and closed by those answers."""
    journeys = [
        {"safe_day": "unsafe", "victim_any": "yes", "crimes": ["burglary"], "age": 70},
        {"safe_day": "safe", "victim_any": "no", "age": 30, "sex": "female"},
        {"safe_day": "unsafe", "why_unsafe": "x", "victim_any": "yes", "age": 80},
        {},
    ]
    for journey in journeys:
        stepped: list[str] = []
        given: dict[str, Any] = {}
        page = first_page(Q)
        while page is not None:
            stepped.append(page)
            if page in journey:
                given[page] = journey[page]
            page = next_page(Q, given, page)
        walked: list[str] = []
        answers: dict[str, Any] = {}
        for question in answer_in_order(Q, answers):
            walked.append(question.id)
            if question.id in journey:
                answers[question.id] = journey[question.id]
        assert walked == stepped and answers == given
        assert len(set(stepped)) > 3
