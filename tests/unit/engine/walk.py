"""A respondent that walks a questionnaire page by page through check_answer and next_page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from survey.engine import (
    Question,
    Questionnaire,
    check_page,
    first_page,
    form_data_for,
    is_required,
    next_page,
    other_field,
)


def default_answer(question: Question) -> Any:
    """A valid answer for any question (None for info pages)."""
    if question.type in ("single", "multiple"):
        plain = [o for o in question.options if not o.exclusive] or list(question.options)
        return plain[0].code if question.type == "single" else [plain[0].code]
    if question.type == "rating":
        return {i.id: question.options[0].code for i in question.items}
    if question.type in ("number", "decimal", "money"):
        return question.min if question.min is not None else (question.max if question.max is not None else 0)
    if question.type == "grid":
        plain = [o for o in question.options if not o.exclusive] or list(question.options)
        return {question.items[0].id: [plain[0].code]}
    if question.type == "ranking":
        count = question.rank_count or len(question.items)
        return {item.id: rank for rank, item in enumerate(question.items[:count], start=1)}
    if question.type == "text" and question.format:
        examples = {"email": "name@example.com", "phone": "01632 960 001"}
        return examples.get(question.format) if question.required or question.format in examples else None
    return _EXAMPLES.get(question.type)


_EXAMPLES = {"text": "An answer", "date": "2020-01-01", "postcode": "MK9 3EJ", "consent": "yes"}


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
        if question.type == "postcode" and isinstance(value, str) and " " not in value:
            value = f"{value} 1AA"  # a stored (outward) code typed again as a full postcode
        if value is None and question.asks and is_required(question, answers):
            value = default_answer(question)  # required here by its required_if
        form = form_data_for(question, value, answers)
        for code in question.other_codes:
            if form.get(other_field(code)) == [""]:
                form[other_field(code)] = ["My own words"]
        entries, errors = check_page(question, form, answers=answers)
        if errors and question.checks and value != default_answer(question):
            # a drawn answer refused by a check across questions ("fewer children than people"): the
            # resident corrects it
            value = default_answer(question)
            entries, errors = check_page(question, form_data_for(question, value, answers), answers=answers)
        stored = entries.get(page)
        assert errors == [], (page, value, errors)
        if stored is not None:
            answers.update({k: v for k, v in entries.items() if v is not None})
        following = next_page(q, answers, page)
        if following is not None:
            assert q.position(following) > q.position(page)
        page = following
    return visited, answers
