"""A resident in a browser without JavaScript: starts a questionnaire, answers pages, reads what they show."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.engine import Question, Questionnaire, form_data_for, load_file

PAGE_PATH = re.compile(r"^/s/(?P<qid>[a-z0-9-]+)/p/(?P<n>\d+)$")


@cache
def questionnaire(folder: Path, questionnaire_id: str) -> Questionnaire:
    """The bundled questionnaire with this id."""
    for path in sorted(folder.glob("*.json")):
        if path.name.endswith(".schema.json"):
            continue
        q = load_file(path)
        if q.id == questionnaire_id:
            return q
    raise LookupError(f"no questionnaire {questionnaire_id} in {folder}")


def default_answer(question: Question) -> Any:
    """A plausible answer when a test does not care: the first option, some text, a number in range."""
    match question.type:
        case "single":
            return question.options[0].code
        case "multiple":
            return [question.options[0].code]
        case "rating":
            return {item.id: question.options[0].code for item in question.items}
        case "text" if not question.format:
            return "Street lighting on my road."
        case "number":
            return question.min if question.min is not None else 30
    from tests.unit.engine.walk import default_answer as any_type

    return any_type(question)  # the newer types: a valid answer of each


class Respondent:
    """One browser (its own cookie jar) walking one questionnaire."""

    def __init__(self, client: FlaskClient, questionnaire_id: str, folder: Path) -> None:
        self.client = client
        self.q = questionnaire(folder, questionnaire_id)
        self.response: TestResponse | None = None
        self.seen: list[str] = []
        self._parsed: tuple[TestResponse, BeautifulSoup] | None = None

    # -- reading the page ----------------------------------------------------------------------
    @property
    def path(self) -> str:
        """The path of the page now shown."""
        assert self.response is not None
        return self.response.request.path

    @property
    def soup(self) -> BeautifulSoup:
        """The page now shown, parsed (once per page)."""
        assert self.response is not None
        if self._parsed is None or self._parsed[0] is not self.response:
            self._parsed = (self.response, BeautifulSoup(self.response.get_data(as_text=True), "html.parser"))
        return self._parsed[1]

    @property
    def title(self) -> str:
        """The page's <title>."""
        tag = self.soup.title
        return tag.get_text(strip=True) if tag else ""

    @property
    def heading(self) -> str:
        """The page's main heading (h1), without its caption."""
        h1 = self.soup.find("h1")
        assert isinstance(h1, Tag), "the page has no h1"
        captions = {c.get_text(" ", strip=True) for c in h1.select(".govuk-caption-l")}
        text = h1.get_text(" ", strip=True)
        for caption in captions:
            text = text.replace(caption, "", 1).strip()
        return text

    @property
    def error_summary(self) -> list[str]:
        """The messages in the error summary (empty when there is none)."""
        return [a.get_text(strip=True) for a in self.soup.select(".govuk-error-summary__list a")]

    @property
    def question(self) -> Question | None:
        """The question on the page now shown (None when it is not a question page)."""
        match = PAGE_PATH.match(self.path)
        return self.q.questions[int(match["n"]) - 1] if match else None

    def csrf_token(self) -> str:
        """The CSRF token of the page's form."""
        field = self.soup.find("input", attrs={"name": "csrf_token"})
        assert isinstance(field, Tag), f"no form with a CSRF token on {self.path}"
        return str(field["value"])

    # -- acting ------------------------------------------------------------------------------------
    def get(self, path: str) -> TestResponse:
        """Open a page (following redirects)."""
        self.response = self.client.get(path, follow_redirects=True)
        return self.response

    def post(self, path: str, data: Mapping[str, Any], *, csrf: bool = True) -> TestResponse:
        """Send a form (with the current page's CSRF token) and follow redirects."""
        payload = dict(data)
        if csrf:
            payload.setdefault("csrf_token", self.csrf_token())
        self.response = self.client.post(path, data=payload, follow_redirects=True)
        return self.response

    def start(self, channel: str | None = None, *, shared: bool = False) -> TestResponse:
        """Open the start page (with a partner's ?c=CODE) and press Start now (ticking "shared device")."""
        query = f"?c={channel}" if channel else ""
        self.get(f"/s/{self.q.id}{query}")
        form = self.soup.find("form")
        assert isinstance(form, Tag), f"no start form on the start page: {self.title}"
        data = {
            field["name"]: field.get("value", "")
            for field in form.find_all("input")
            if field.get("type") != "checkbox" or field.has_attr("checked")
        }  # as a browser sends it
        if shared:
            data["shared"] = "1"
        return self.post(str(form["action"]), data)

    def answer(self, value: Any, *, extra: Mapping[str, Any] | None = None) -> TestResponse:
        """Answer the question on the current page with a stored-form value (None: leave it blank)."""
        question = self.question
        assert question is not None, f"not on a question page: {self.path}"
        self.seen.append(question.id)
        data: dict[str, Any] = dict(form_data_for(question, value)) if value is not None else {}
        data.update(extra or {})
        return self.post(self.response_url(), data)

    def answer_raw(self, data: Mapping[str, Any]) -> TestResponse:
        """Send raw form fields for the current page (forged or malformed input)."""
        return self.post(self.response_url(), data)

    def response_url(self) -> str:
        """The current page's URL with its query string (the form posts back to it)."""
        assert self.response is not None
        query = self.response.request.query_string.decode()
        return self.path + (f"?{query}" if query else "")

    def walk(self, answers: Mapping[str, Any] | None = None, *, stop_at: str | None = None) -> None:
        """Answer page after page (given answers first, else defaults) until check your answers."""
        answers = answers or {}
        for _ in range(len(self.q.questions) + 1):
            question = self.question
            if question is None or question.id == stop_at:
                return
            value = answers.get(question.id, default_answer(question)) if question.asks else None
            self.answer(value)
        raise AssertionError("the journey did not reach check your answers")

    def submit(self, *, receipt: bool = False) -> TestResponse:
        """Press 'Send your answers' on check your answers (ticking "Get a receipt code")."""
        assert self.path == f"/s/{self.q.id}/check", f"not on check your answers: {self.path}"
        if receipt:
            box = self.soup.select_one("input#receipt[type=checkbox]")
            assert box is not None, "check your answers offers no receipt code"
            return self.post(self.path, {str(box["name"]): str(box["value"])})
        return self.post(self.path, {})
