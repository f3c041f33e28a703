"""Keying paper forms in tests: the questionnaire, a usual set of answers and `Keyer`, a member of staff
keying one response page by page (the `keyer` and `checker` fixtures are in conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.engine import Question, form_data_for
from tests.conftest import PROJECT_ROOT
from tests.helpers import csrf_of
from tests.respondent import default_answer, questionnaire

QID = "safermk-2016"
PAGE = re.compile(rf"^/staff/paper/{QID}/p/(\d+)$")
Q = questionnaire(PROJECT_ROOT / "questionnaires", QID)

ANSWERS = {
    "respondent_type": "resident",
    "ward": "olney",
    "tenure": "rent_council",
    "sex": "female",
    "age": 67,
    "victim_any": "no",
    "concerns_text": "Speeding on the high street",
}


class Keyer:
    """A member of staff keying in one response page by page."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.page: TestResponse | None = None
        self.path = ""
        self.seen: list[str] = []

    def get(self, path: str) -> TestResponse:
        """Open a page, following redirects."""
        self.page = self.client.get(path, follow_redirects=True)
        self.path = self.page.request.path
        return self.page

    def post(self, path: str, data: Mapping[str, Any]) -> TestResponse:
        """Send a form with the current page's CSRF token, following redirects."""
        assert self.page is not None
        payload = {**data, "csrf_token": csrf_of(self.page)}
        self.page = self.client.post(path, data=payload, follow_redirects=True)
        self.path = self.page.request.path
        return self.page

    def start(self, **fields: str) -> TestResponse:
        """Choose mode, channel and language and start keying."""
        self.get(f"/staff/paper/{QID}")
        return self.post(f"/staff/paper/{QID}", {"language": "en", **fields})

    @property
    def question(self) -> Question | None:
        """The question on the current page."""
        match = PAGE.match(self.path)
        return Q.questions[int(match.group(1)) - 1] if match else None

    def answer(self, value: Any) -> TestResponse:
        """Answer the current page (None: send it empty)."""
        question = self.question
        assert question is not None, f"not on a question page: {self.path}"
        self.seen.append(question.id)
        data = dict(form_data_for(question, value)) if value is not None else {}
        assert self.page is not None
        query = self.page.request.query_string.decode()
        return self.post(self.path + (f"?{query}" if query else ""), data)

    def walk(self, answers: Mapping[str, Any]) -> None:
        """Answer page after page until the check page."""
        for _ in range(len(Q.questions) + 1):
            question = self.question
            if question is None:
                return
            self.answer(answers.get(question.id, default_answer(question)) if question.asks else None)
        raise AssertionError("keying did not reach the check page")
