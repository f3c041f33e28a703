"""Random form data on question pages never gives a 500 and never changes answers already given."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.store import repository
from survey.store.db import get_session
from tests.conftest import PROJECT_ROOT
from tests.respondent import Respondent, default_answer, questionnaire

SAFERMK = questionnaire(PROJECT_ROOT / "questionnaires", "safermk-2016")
CODES = sorted({o.code for q in SAFERMK.questions for o in q.options})
FIELDS = ["answer", "page", *sorted({f"item-{i.id}" for q in SAFERMK.questions for i in q.items})]
VALUES = st.one_of(st.sampled_from(CODES), st.text(max_size=40), st.integers(-(10**15), 10**15).map(str))
FORM = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(min_size=1, max_size=12)),
    st.lists(VALUES, min_size=1, max_size=3),
    max_size=6,
)


def _stored(app: Flask) -> dict[str, Any]:
    with app.app_context():
        rows = repository.responses_for_report(session=get_session(), questionnaire_id="safermk-2016")
    answers = rows[-1]["answers"]
    assert isinstance(answers, dict)
    return answers


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(forms=st.lists(FORM, min_size=6, max_size=6))
def test_random_form_data_is_refused_or_stored_without_losing_answers(
    app: Flask, respondent: Callable[..., Respondent], forms: list[dict[str, list[str]]]
) -> None:
    resident = respondent()
    resident.start()
    for form in forms:
        question = resident.question
        assert question is not None
        before = _stored(app)
        response = resident.post(resident.response_url(), form)
        assert response.status_code in {200, 413}, response.status_code
        after = _stored(app)
        assert {k: v for k, v in after.items() if k != question.id} == before
        if resident.question == question:  # refused: move on with a proper answer
            resident.answer(default_answer(question) if question.asks else None)
        if resident.question is None:
            break
