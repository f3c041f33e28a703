"""Hypothesis on every question page's form, and replayed/reordered posts: never a 500, nothing bad stored."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import Tag
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from harness.http_resident import random_answer
from survey.engine import form_data_for
from tests.respondent import Respondent
from tests.security.hostile import EXAMPLES, SAFERMK, hostile_form, route_to, stored_problems

pytestmark = pytest.mark.slow
MakeRespondent = Callable[..., Respondent]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
ASKING = [q for q in SAFERMK.questions if q.asks]


def _page_url(qid: str) -> str:
    return f"/s/{SAFERMK.id}/p/{SAFERMK.position(qid) + 1}"


# Every page on SQLite; on Postgres the pages whose typed text reaches storage (NUL bytes, huge text).
CASES = [pytest.param(q.id, "sqlite", id=f"{q.id}-sqlite") for q in ASKING] + [
    pytest.param(q.id, "postgres", id=f"{q.id}-postgres", marks=pytest.mark.postgres)
    for q in ASKING
    if q.type in {"text", "number"}
]


@pytest.mark.parametrize(("qid", "database_url"), CASES, indirect=["database_url"])
@FUZZ
@given(data=st.data())
def test_hostile_forms_on_every_question_page(
    app: Flask, respondent: MakeRespondent, qid: str, data: st.DataObject
) -> None:
    """Unknown fields, huge and odd unicode values, wrong types, forged tokens: a page or an error page."""
    resident = respondent()
    resident.start()
    resident.walk(route_to(SAFERMK, qid), stop_at=qid)
    assert resident.question is not None and resident.question.id == qid
    question = resident.question
    for _ in range(3):
        resident.get(_page_url(qid))
        form = data.draw(hostile_form(question))
        reply = resident.post(_page_url(qid), form)
        assert reply.status_code in {200, 400, 413}, (reply.status_code, form)
        assert "Traceback" not in reply.get_data(as_text=True)
    assert stored_problems(app) == []


ACTION = st.tuples(
    st.sampled_from(["answer", "hostile", "replay", "check", "send", "save", "start"]),
    st.sampled_from([q.id for q in ASKING]),
)


def _token(resident: Respondent) -> str | None:
    """The CSRF token of the page shown, if it has a form."""
    field = resident.soup.find("input", attrs={"name": "csrf_token"})
    return str(field["value"]) if isinstance(field, Tag) else None


@FUZZ
@given(actions=st.lists(ACTION, min_size=4, max_size=14), seed=st.integers(0, 1000), data=st.data())
def test_replayed_and_reordered_posts(
    app: Flask, respondent: MakeRespondent, actions: list[tuple[str, str]], seed: int, data: st.DataObject
) -> None:
    """Posts in any order, old forms replayed (also after sending): never a 500, nothing invalid stored."""
    rng = random.Random(seed)
    resident = respondent()
    resident.start()
    sent: list[tuple[str, dict[str, Any]]] = []
    for kind, qid in actions:
        question = SAFERMK.question(qid)
        path = _page_url(qid)
        if kind == "replay":
            if not sent:
                continue
            path, form = rng.choice(sent)
        elif kind in {"answer", "hostile"}:
            resident.get(path)  # may redirect to the page the journey is really at
            form = dict(form_data_for(question, random_answer(question, rng)))
            if kind == "hostile":
                form = data.draw(hostile_form(question))
        elif kind in {"check", "send"}:
            path = f"/s/{SAFERMK.id}/check"
            resident.get(path)
            if kind == "check" or not resident.path.endswith("/check"):
                continue
            form = {}
        elif kind == "save":
            resident.get(path)
            form = dict(form_data_for(question, random_answer(question, rng)))
            form["page"] = [str(SAFERMK.position(qid) + 1)]
            path = f"/s/{SAFERMK.id}/save"
        else:
            resident.get(f"/s/{SAFERMK.id}")
            path, form = f"/s/{SAFERMK.id}/start", {}
        if kind != "replay":
            token = _token(resident)
            if token is None:
                continue
            form = {**form, "csrf_token": token}
            sent.append((path, form))
        reply = resident.client.post(path, data=form, follow_redirects=True)
        assert reply.status_code in {200, 400, 404, 413}, (kind, qid, reply.status_code)
        assert "Traceback" not in reply.get_data(as_text=True)
    assert stored_problems(app) == []
