"""Paper forms at volume: marks for questions left blank or with several boxes ticked, and double entry.

A keyed form may mark a question "blank" (nothing was filled in) or "multiple" (more than one box ticked
where one was asked for). A mark is not an answer: the question stays unanswered in the response and
the mark is kept with the form (`paper_forms.marks`), so exports can say why it is missing.
Double entry: a second person keys the same form blind; `differences` lists the questions where the
two entries disagree, to be resolved by choosing one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from survey.engine import Question, Questionnaire

MARKS = {"blank": "Left blank on the form", "multiple": "More than one box ticked"}


def marks_for(question: Question) -> dict[str, str]:
    """The marks a question can take: every asked question can be blank; choices can have several ticks."""
    if not question.asks:
        return {}
    if question.type in {"single", "rating"}:
        return dict(MARKS)
    return {"blank": MARKS["blank"]}


@dataclass(frozen=True)
class Difference:
    """One question on which the two entries of a form disagree."""

    question_id: str
    question: str
    first: str
    second: str


def shown(q: Questionnaire, question: Question, value: Any, mark: str | None) -> str:
    """An entry's value as staff read it: the option labels, the number or text, or the mark."""
    if mark:
        return MARKS.get(mark, mark)
    if value is None:
        return "Not answered"
    labels = {option.code: q.text(option.label, q.language) for option in question.options}
    if isinstance(value, list):
        return ", ".join(labels.get(str(v), str(v)) for v in value)
    if isinstance(value, dict):
        items = {item.id: q.text(item.text, q.language) for item in question.items}
        return "; ".join(f"{items.get(k, k)}: {labels.get(str(v), str(v))}" for k, v in value.items())
    return labels.get(str(value), str(value))


def differences(
    q: Questionnaire,
    first: tuple[dict[str, Any], dict[str, Any]],
    second: tuple[dict[str, Any], dict[str, Any]],
) -> list[Difference]:
    """Questions (in questionnaire order) whose (answer, mark) differ between two entries of one form."""
    (answers_1, marks_1), (answers_2, marks_2) = first, second
    found: list[Difference] = []
    for question in q.questions:
        if not question.asks:
            continue
        one = (answers_1.get(question.id), marks_1.get(question.id))
        two = (answers_2.get(question.id), marks_2.get(question.id))
        if one != two:
            found.append(
                Difference(
                    question.id,
                    q.text(question.text, q.language),
                    shown(q, question, *one),
                    shown(q, question, *two),
                )
            )
    return found


def resolved(
    chosen: dict[str, str],
    first: tuple[dict[str, Any], dict[str, Any]],
    second: tuple[dict[str, Any], dict[str, Any]],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers and marks kept: the first entry, with each question chosen "second" taken from it."""
    answers, marks = dict(first[0]), dict(first[1])
    for qid, side in chosen.items():
        if side != "second":
            continue
        for target, source in ((answers, second[0]), (marks, second[1])):
            if qid in source:
                target[qid] = source[qid]
            else:
                target.pop(qid, None)
    return answers, marks
