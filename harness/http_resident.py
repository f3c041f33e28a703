"""A simulated resident over real HTTP: own cookie jar, CSRF tokens parsed from the forms, bounded walk."""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import requests

from harness.live_server import PROJECT_ROOT
from survey.engine import Question, Questionnaire, form_data_for, load_file

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGE = re.compile(r"^/s/(?P<qid>[a-z0-9-]+)/p/(?P<n>\d+)$")
MARKER_QUESTION = "concerns_text"  # an optional free-text question every SaferMK route shows
Answerer = Callable[[Question, random.Random], Any]


@cache
def bundled(questionnaire_id: str = "safermk-2016") -> Questionnaire:
    """A bundled questionnaire, loaded by the engine."""
    for path in sorted((PROJECT_ROOT / "questionnaires").glob("*.json")):
        if not path.name.endswith(".schema.json"):
            q = load_file(path)
            if q.id == questionnaire_id:
                return q
    raise LookupError(questionnaire_id)


def random_answer(question: Question, rng: random.Random) -> Any:
    """A valid random answer (so simulated residents spread over the questionnaire's branches)."""
    plain = [o.code for o in question.options if not o.exclusive]
    match question.type:
        case "single":
            return rng.choice([o.code for o in question.options])
        case "multiple":
            return rng.sample(plain, k=min(len(plain), rng.randint(1, 3)))
        case "rating":
            return {item.id: rng.choice([o.code for o in question.options]) for item in question.items}
        case "text":
            return rng.choice(["Street lighting on my road.", "Speeding cars near the school.", ""]) or None
        case "number":
            low = int(question.min) if question.min is not None else 16
            high = int(question.max) if question.max is not None else low + 80
            return rng.randint(low, min(high, low + 80))
    return None


def normalised(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Answers with multiple-choice lists sorted (the service stores them in the options' order)."""
    return {k: sorted(v) if isinstance(v, list) else v for k, v in answers.items()}


class JourneyError(AssertionError):
    """The server did something a resident's journey does not expect (with what it was)."""


@dataclass
class HttpResident:
    """One browser without JavaScript, talking to a live server (or several, in turn)."""

    base_urls: list[str]
    questionnaire_id: str = "safermk-2016"
    seed: int = 0
    timeout: float = 30.0
    http: requests.Session = field(default_factory=requests.Session)
    marker: str = field(default_factory=lambda: f"journey-{uuid.uuid4().hex}")
    answers: dict[str, Any] = field(default_factory=dict)
    requests_made: int = 0
    page: requests.Response | None = None

    def __post_init__(self) -> None:
        self.q = bundled(self.questionnaire_id)
        self.rng = random.Random(self.seed)

    def _base(self) -> str:
        """The server for the next request (alternating when there are several)."""
        base = self.base_urls[self.requests_made % len(self.base_urls)]
        self.requests_made += 1
        return base

    def _follow(self, reply: requests.Response) -> requests.Response:
        """Follow redirects by hand so that every hop may go to the next server."""
        for _ in range(10):
            if reply.status_code not in (301, 302, 303, 307, 308):
                break
            target = urlsplit(reply.headers["Location"])
            path = target.path + (f"?{target.query}" if target.query else "")
            if target.netloc and not target.netloc.startswith("127.0.0.1"):
                raise JourneyError(f"redirected off this host to {reply.headers['Location']}")
            reply = self.http.get(self._base() + path, allow_redirects=False, timeout=self.timeout)
        self._check(reply)
        self.page = reply
        return reply

    def _check(self, reply: requests.Response) -> None:
        if reply.status_code >= 500 or "database is locked" in reply.text:
            raise JourneyError(f"{reply.status_code} on {reply.url}: {reply.text[:500]}")

    def get(self, path: str) -> requests.Response:
        """GET a page on the next server, following redirects."""
        return self._follow(self.http.get(self._base() + path, allow_redirects=False, timeout=self.timeout))

    def post(self, path: str, data: Mapping[str, Any]) -> requests.Response:
        """POST a form with the shown page's CSRF token, following redirects."""
        payload = {"csrf_token": self.csrf(), **data}
        reply = self.http.post(self._base() + path, data=payload, allow_redirects=False, timeout=self.timeout)
        return self._follow(reply)

    def csrf(self) -> str:
        """The CSRF token of the form on the page now shown."""
        assert self.page is not None
        found = CSRF.search(self.page.text)
        if found is None:
            raise JourneyError(f"no CSRF token on {self.page.url} ({self.page.status_code})")
        return found.group(1)

    @property
    def path(self) -> str:
        """The path of the page now shown."""
        assert self.page is not None
        return urlsplit(self.page.url).path

    def start(self) -> None:
        """Open the start page and press Start now."""
        self.get(f"/s/{self.questionnaire_id}")
        self.post(f"/s/{self.questionnaire_id}/start", {})

    def answer_page(self, answerer: Answerer = random_answer) -> Question:
        """Answer the question on the page now shown (must be a question page)."""
        found = PAGE.match(self.path)
        if found is None:
            status = self.page.status_code if self.page is not None else None
            raise JourneyError(f"expected a question page, got {self.path} ({status})")
        question = self.q.questions[int(found["n"]) - 1]
        value = answerer(question, self.rng) if question.asks else None
        if question.id == MARKER_QUESTION:
            value = self.marker
        if value is None:
            self.answers.pop(question.id, None)
        else:
            self.answers[question.id] = value
        self.post(self.path, dict(form_data_for(question, value).items()))
        return question

    def walk(self, answerer: Answerer = random_answer, *, stop_after: int | None = None) -> None:
        """Answer pages until check your answers (or after `stop_after` pages)."""
        for count in range(len(self.q.questions) + 1):
            if self.path == f"/s/{self.questionnaire_id}/check" or count == stop_after:
                return
            self.answer_page(answerer)
        raise JourneyError("the journey did not reach check your answers")

    def send(self) -> None:
        """Press 'Send your answers' and expect the confirmation page."""
        if self.path != f"/s/{self.questionnaire_id}/check":
            raise JourneyError(f"not on check your answers: {self.path}")
        self.post(self.path, {})
        if self.path != f"/s/{self.questionnaire_id}/done":
            raise JourneyError(f"sending did not reach the confirmation page: {self.path}")

    def complete(self, answerer: Answerer = random_answer) -> None:
        """The whole journey: start, answer every page, send."""
        self.start()
        self.walk(answerer)
        self.send()
