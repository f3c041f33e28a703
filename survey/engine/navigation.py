"""Navigation: which pages are visible for the answers so far, and the first, next and previous page."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from survey.engine.conditions import evaluate, is_answered
from survey.engine.model import OTHER_SUFFIX, Question, Questionnaire


def _walk(q: Questionnaire, answers: Mapping[str, Any]) -> tuple[list[Question], dict[str, Any]]:
    """Visible pages in order, and the answers of visible questions (conditions only see these)."""
    kept: dict[str, Any] = {}
    return list(_pages(q, answers, kept)), kept


def _pages(q: Questionnaire, answers: Mapping[str, Any], kept: dict[str, Any]) -> Iterator[Question]:
    """The visible pages in order, adding the answers of visible questions to `kept` as it goes.

    A page's answer is read from `answers` after the page is yielded, so a caller may answer each page as
    it comes (answer_in_order); a page's visibility depends only on the answers before it."""
    for section in q.sections:
        if not evaluate(section.show_if, kept):
            continue
        for question in section.questions:
            if evaluate(question.show_if, kept):
                yield question
                if question.screens_out:  # the journey ends here: nothing after it is asked
                    return
                if question.asks and question.id in answers and is_answered(answers[question.id]):
                    kept[question.id] = answers[question.id]
                    other = question.id + OTHER_SUFFIX
                    if other in answers and _chose_other(question, answers[question.id]):
                        kept[other] = answers[other]


def answer_in_order(q: Questionnaire, answers: dict[str, Any]) -> Iterator[Question]:
    """Each page a respondent sees, in order, while the caller answers them: an answer put in `answers`
    before the next page is asked for decides what comes next. The same pages as going from `first_page`
    through `next_page` after each answer, in one pass over the conditions instead of one per page."""
    return _pages(q, answers, {})


def _chose_other(question: Question, value: Any) -> bool:
    chosen = set(value) if isinstance(value, list) else {value}
    return bool(chosen & set(question.other_codes))


def screened_out(q: Questionnaire, answers: Mapping[str, Any]) -> Question | None:
    """The screen-out ending these answers reach ("this survey is for residents of ..."), or None."""
    pages = visible_questions(q, answers)
    return pages[-1] if pages and pages[-1].screens_out else None


def visible_questions(q: Questionnaire, answers: Mapping[str, Any]) -> list[Question]:
    """The pages (questions and info pages) a respondent with these answers sees, in order."""
    return _walk(q, answers)[0]


def walk(q: Questionnaire, answers: Mapping[str, Any]) -> tuple[list[Question], dict[str, Any]]:
    """`visible_questions` and `prune_answers` at once (one pass over the conditions)."""
    return _walk(q, answers)


def prune_answers(q: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers of visible questions only: answers to questions now hidden (or unknown) are dropped."""
    return _walk(q, answers)[1]


def first_page(q: Questionnaire, answers: Mapping[str, Any] | None = None) -> str | None:
    """The id of the first visible page, or None when nothing is visible."""
    visible = visible_questions(q, answers or {})
    return visible[0].id if visible else None


def next_page(
    q: Questionnaire, answers: Mapping[str, Any], current: str, *, visible: Sequence[Question] | None = None
) -> str | None:
    """The page after `current`; None means the journey goes to 'check your answers'.

    When `current` is no longer visible (an earlier answer changed) the next visible page after its
    position is returned; an unknown id starts again from the first page. `visible`: the visible pages
    for these answers when the caller has them already (saves working them out again).
    """
    pages = visible_questions(q, answers) if visible is None else visible
    if not q.has_question(current):
        return pages[0].id if pages else None
    position = q.position(current)
    for question in pages:
        if q.position(question.id) > position:
            return question.id
    return None


def previous_page(
    q: Questionnaire, answers: Mapping[str, Any], current: str, *, visible: Sequence[Question] | None = None
) -> str | None:
    """The visible page before `current`, or None on the first page (go back to the start page).

    `visible`: as for `next_page`.
    """
    if not q.has_question(current):
        return None
    position = q.position(current)
    pages = visible_questions(q, answers) if visible is None else visible
    earlier = [x for x in pages if q.position(x.id) < position]
    return earlier[-1].id if earlier else None


def unanswered_required(q: Questionnaire, answers: Mapping[str, Any]) -> list[Question]:
    """Visible required questions without an answer (submission must wait for these)."""
    from survey.engine.answers import is_required

    visible, kept = _walk(q, answers)
    return [x for x in visible if x.asks and is_required(x, kept) and x.id not in kept]


def is_complete(q: Questionnaire, answers: Mapping[str, Any]) -> bool:
    """True when every visible required question has an answer (never after a screen-out ending)."""
    return screened_out(q, answers) is None and not unanswered_required(q, answers)
