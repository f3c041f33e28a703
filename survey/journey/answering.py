"""Answering one page: read the form, check it with the engine, store the answer, say what happened.

Used by every face that answers a question page (the resident's page and "save and come back later",
staff keying a paper, phone or assisted response): each keeps only its own rendering and redirects.

    outcome = answer_page(journey, question, request.form, today=today())
    match outcome:
        case Saved(): ...  # stored: go to outcome.next_url
        case Invalid(): ...  # nothing stored: show the page again with outcome.errors and outcome.data
        case Elsewhere(): ...  # nothing stored: the response was sent or discarded meanwhile (another tab)

A paper form's marks ("left blank", "more than one box ticked", on the whole question or on rows of a
rating set) are read by `read_page`, which staff's page for entering what a form says uses on its own.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict

from survey.engine import AnswerError, Question, check_page
from survey.journey.runner import Journey, store_answer
from survey.services import paper_entry

Mark = str | dict[str, str]  # a whole question's mark, or {item id: mark} on rows of a rating set
FormData = dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Read:
    """What a page's form says: the entries to store (`check_page`'s), the mark, or the errors."""

    entries: dict[str, Any]
    mark: Mark | None
    errors: list[AnswerError]


@dataclass(frozen=True, slots=True)
class Saved:
    """The answer is stored; the journey goes on at `next_url`. `mark`: the paper form's mark read."""

    next_url: str
    mark: Mark | None = None


@dataclass(frozen=True, slots=True)
class Invalid:
    """Nothing stored: the page is shown again with the errors and the values as they were typed.

    `mark`: the rows marked on a paper form (kept ticked on the page shown again).
    """

    errors: list[AnswerError]
    data: FormData
    mark: Mark | None = None


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """Nothing stored: the response is no longer in progress (sent or discarded meanwhile, e.g. in another
    tab). The face sends the browser where that response now is (its confirmation, or a new start).

    `mark`: the paper form's mark read (a whole-question mark, or None / the rows' marks).
    """

    mark: Mark | None = None


@dataclass(frozen=True, slots=True)
class Unanswered:
    """Nothing stored: the page was valid but left empty, and the caller keeps only given answers."""


Outcome = Saved | Invalid | Elsewhere | Unanswered


def typed(form: MultiDict[str, str]) -> FormData:
    """The posted fields as typed (never the CSRF token), to show the page again with them."""
    return {key: form.getlist(key) for key in form if key != "csrf_token"}


def read_page(
    journey: Journey, question: Question, form: MultiDict[str, str], *, today: date, marks: bool = False
) -> Read:
    """Check a page's form against the question with the journey's answers and language.

    `marks`: a paper form is being keyed, so a whole-question mark (`mark`) and marks on rows of a rating
    set (`item_mark-<item id>`) are read too: a marked row counts as done and is left out of the value,
    a row both answered and marked is an error.
    """
    if not marks:
        entries, errors = check_page(question, form, journey.lang, answers=journey.answers, today=today)
        return Read(entries, None, errors)
    mark = form.get("mark", "")
    if mark in paper_entry.marks_for(question):
        return Read({}, mark, [])
    item_marks = paper_entry.item_marks_from(question, form)
    raw = paper_entry.fill_marked(question, form, item_marks) if item_marks else form
    entries, errors = check_page(question, raw, journey.lang, answers=journey.answers, today=today)
    errors = paper_entry.marked_and_answered(journey.q, question, form, item_marks) + errors
    if not errors and item_marks:
        entries[question.id] = paper_entry.without_marked(entries.get(question.id), item_marks)
    return Read(entries, item_marks or None, errors)


def answer_page(
    journey: Journey,
    question: Question,
    form: MultiDict[str, str],
    *,
    today: date,
    change: bool = False,
    marks: MutableMapping[str, Any] | None = None,
    keep_blank: bool = True,
    before_saving: Callable[[FormData], object] | None = None,
) -> Outcome:
    """Answer `question` of the journey's in-progress response with a posted page.

    `today`: the date as the service sees it (dates are checked against it). `change`: the resident came
    from check your answers (the next page skips pages already done). `marks`: the marks of a paper form
    being keyed (None when none are offered): read from the page and, when saved, kept in it before the
    next page is worked out. `keep_blank=False` stores only a given answer ("save and come back later":
    an empty page does not clear an earlier answer; then `Unanswered`). `before_saving`: called with the
    typed values just before the answer is stored (the resident's outage page shows them again when the
    database fails then).
    """
    data = typed(form)
    read = read_page(journey, question, form, today=today, marks=marks is not None)
    if read.errors:
        return Invalid(read.errors, data, read.mark)
    value = read.entries.get(question.id)
    if value is None and not keep_blank:
        return Unanswered()
    if before_saving is not None:
        before_saving(data)
    if not store_answer(journey, question, value, read.entries):
        return Elsewhere(read.mark)
    if marks is not None and read.mark:
        marks[question.id] = read.mark
    return Saved(journey.after_answer(question.id, change), read.mark)
