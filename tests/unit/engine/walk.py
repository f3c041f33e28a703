"""A respondent that walks a questionnaire page by page through check_answer and next_page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from survey.engine import Question, Questionnaire, check_answer, first_page, form_data_for, next_page


def default_answer(question: Question) -> Any:
    """A valid answer for any question (None for info pages)."""
    if question.type in ("single", "multiple"):
        plain = [o for o in question.options if not o.exclusive] or list(question.options)
        return plain[0].code if question.type == "single" else [plain[0].code]
    if question.type == "rating":
        return {i.id: question.options[0].code for i in question.items}
    if question.type == "number":
        return question.min if question.min is not None else (question.max if question.max is not None else 0)
    return "An answer" if question.type == "text" else None


def walk(
    q: Questionnaire, choose: Callable[[Question], Any] | Mapping[str, Any]
) -> tuple[list[str], dict[str, Any]]:
    """Answer every page shown (values from `choose`, else a default) and return the pages and answers."""
    answers: dict[str, Any] = {}
    visited: list[str] = []
    page = first_page(q, answers)
    while page is not None:
        assert page not in visited, f"page {page} shown twice"
        assert len(visited) <= len(q.questions)
        visited.append(page)
        question = q.question(page)
        if callable(choose):
            value = choose(question)
        else:
            value = choose[page] if page in choose else default_answer(question)
        stored, errors = check_answer(question, form_data_for(question, value))
        assert errors == [], (page, value, errors)
        if stored is not None:
            answers[page] = stored
        following = next_page(q, answers, page)
        if following is not None:
            assert q.position(following) > q.position(page)
        page = following
    return visited, answers
