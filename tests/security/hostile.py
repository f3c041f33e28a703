"""Hostile input for the security tests: form fuzzing strategies, routes to every page, published payloads."""

from __future__ import annotations

import os
import random
from typing import Any

from flask import Flask
from hypothesis import strategies as st
from sqlmodel import select

from harness.http_resident import bundled, random_answer
from survey.engine import Questionnaire, check_stored, first_page, next_page, visible_questions
from survey.store.db import get_session
from survey.store.models import Response

LONG = os.environ.get("SURVEY_TEST_LONG", "").lower() in {"1", "true", "yes"}
EXAMPLES = 300 if LONG else 8
SAFERMK = bundled("safermk-2016")

# Published payloads from the peers' advisories (LimeSurvey, KoboToolbox, Formbricks) and friends.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "{{7*7}}",
    "${7*7}",
    '=HYPERLINK("http://x","click")',
    "'><iframe src=javascript:alert(1)>",
    "</textarea><script>alert(1)</script>",
]
RAW_MARKUP = ["<script", "<img src=x", "<svg/onload", "<iframe", "</textarea><script"]

ALL_CODES = sorted({o.code for q in SAFERMK.questions for o in q.options})
ODD_TEXT = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.sampled_from(["\x00", "\u202e", "🙂" * 50, "NaN", "1e309", "-0", " 12 ", "١٢", "0x10", "None", "[]"]),
    st.sampled_from(XSS_PAYLOADS),
    st.builds(lambda n: "x" * n, st.sampled_from([2001, 5000, 60_000])),
)
VALUE = st.one_of(st.sampled_from(ALL_CODES), ODD_TEXT, st.integers(-(10**20), 10**20).map(str))


def page_fields(question: Any) -> list[str]:
    """The names of a question page's real form fields."""
    if question.type == "rating":
        return [f"item-{item.id}" for item in question.items]
    return ["answer"] if question.asks else []


def hostile_form(question: Any) -> st.SearchStrategy[dict[str, list[str]]]:
    """Form data for one page: its own fields, unknown and protocol fields, odd and huge values."""
    names = st.one_of(
        st.sampled_from([*page_fields(question), "page"] if question.asks else ["page"]),
        st.sampled_from(["csrf_token", "item-burglary", "answer[]", "__proto__", "c", "lang"]),
        st.text(min_size=1, max_size=15),
    )
    return st.dictionaries(names, st.lists(VALUE, min_size=1, max_size=4), max_size=6)


def route_to(q: Questionnaire, target: str, tries: int = 500) -> dict[str, Any]:
    """Answers (found by seeded random walks through the engine) that lead to the `target` page."""
    for seed in range(tries):
        rng = random.Random(seed)
        answers: dict[str, Any] = {}
        current = first_page(q, answers)
        while current is not None:
            if current == target:
                return answers
            question = q.question(current)
            value = random_answer(question, rng) if question.asks else None
            if value is not None:
                answers[current] = value
            current = next_page(q, answers, current)
    raise LookupError(f"no route to {target}")


def stored_problems(app: Flask, q: Questionnaire = SAFERMK) -> list[str]:
    """Anything stored that the questionnaire would not accept (a non-option, a hidden answer, junk)."""
    problems: list[str] = []
    with app.app_context():
        for row in get_session().exec(select(Response).where(Response.questionnaire_id == q.id)):
            answers = dict(row.answers)
            visible = {x.id for x in visible_questions(q, answers)}
            for qid, value in answers.items():
                if qid not in visible:
                    problems.append(f"response {row.id}: {qid} stored but not shown")
                    continue
                errors = check_stored(q.question(qid), value)
                problems += [f"response {row.id}: {qid}={value!r}: {e}" for e in errors]
    return problems
