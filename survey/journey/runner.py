"""A resident's journey: the questionnaire version, language and response behind the current request."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import abort, current_app, g, request, session, url_for
from markupsafe import Markup, escape

from survey.config import today
from survey.engine import (
    Question,
    Questionnaire,
    next_page,
    previous_page,
    visible_questions,
    walk,
)
from survey.engine.answers import is_required
from survey.engine.model import OTHER_SUFFIX
from survey.engine.text import language_shown
from survey.services import questionnaires
from survey.store import repository, repository_channels
from survey.store.db import get_session
from survey.store.models import QuestionnaireVersion, Response
from survey.store.repository import VersionHead
from survey.web.errors import SurveyUnavailable
from survey.web.i18n import direction, supported
from survey.web.lru import app_lru

CHANNEL_CODE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
JOURNEYS = "journeys"
DONE = "done"
URLS_KEY = "survey_journey_urls"
URLS_LIMIT = 4096  # short strings: every page of many questionnaires, with and without ?change=1
SHARED_DEVICE = "shared_device"  # this browser was said to be on a shared device (no journey data)
_RETIRED = ("sent", "receipt")  # keys of earlier versions that let a cookie reach a sent response


@dataclass
class Journey:
    """What a respondent's request works with."""

    row: VersionHead | QuestionnaireVersion  # id, version and staff's date overrides
    q: Questionnaire
    lang: str
    response: Response | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    visited: list[str] = field(default_factory=list)
    _visible: tuple[dict[str, Any], list[Question]] | None = field(default=None, repr=False, compare=False)

    @property
    def opens(self) -> date | None:
        """The opening date: a staff override, else the definition's."""
        return questionnaires.opening_date(self.row, self.q)

    @property
    def closes(self) -> date | None:
        """The closing date: a staff override, else the definition's."""
        return questionnaires.closing_date(self.row, self.q)

    def title(self) -> str:
        """The questionnaire's title in the journey's language."""
        return self.q.text(self.q.title, self.lang)

    def text(self, value: Any) -> str:
        """Localised questionnaire text in the journey's language."""
        return self.q.text(value, self.lang)

    def html(self, value: Any, shown: str | None = None) -> Markup:
        """Questionnaire text (or `shown`, the same text with answers piped in) as escaped HTML, in a
        `<span lang="en" dir="ltr">` when it falls back to another language than the page's (WCAG 3.1.2;
        the direction too, or English on an Urdu page ends "?How old are you")."""
        words = self.text(value) if shown is None else shown
        written_in = language_shown(value, self.lang, self.q.language)
        if written_in == self.lang:
            return escape(words)
        return Markup('<span lang="{}" dir="{}">{}</span>').format(written_in, direction(written_in), words)

    @property
    def has_closed(self) -> bool:
        """Whether the closing date has passed (the results page then no longer invites people to answer)."""
        return questionnaires.state(self.row, self.q, today()) == "closed"

    def check_open(self, *, not_sent: bool = False) -> None:
        """Raise SurveyUnavailable when today is before the opening or after the closing date."""
        now = questionnaires.state(self.row, self.q, today())
        if now == "not_yet":
            raise SurveyUnavailable(title=self.title(), opens=self.opens)
        if now == "closed":
            raise SurveyUnavailable(title=self.title(), closes=self.closes, not_sent=not_sent)

    def visible(self) -> list[Question]:
        """The pages this respondent sees with the answers so far.

        Worked out once per answers dict (a request asks several times; answers are replaced, never
        changed in place, when a page is saved).
        """
        if self._visible is None or self._visible[0] is not self.answers:
            self._visible = (self.answers, visible_questions(self.q, self.answers))
        return self._visible[1]

    def set_answers(self, answers: dict[str, Any]) -> None:
        """Take new answers, keeping only those of visible questions (the engine's pruning)."""
        visible, kept = walk(self.q, answers)
        self.answers = kept
        self._visible = (kept, visible)

    def next_page(self, current: str) -> str | None:
        """The engine's next page after `current` with these answers (None: check your answers)."""
        return next_page(self.q, self.answers, current, visible=self.visible())

    def previous_page(self, current: str) -> str | None:
        """The engine's page before `current` with these answers (None: the start page)."""
        return previous_page(self.q, self.answers, current, visible=self.visible())

    def page_number(self, qid: str) -> int:
        """The opaque page number of a question in URLs (its 1-based position in the questionnaire)."""
        return self.q.position(qid) + 1

    def page_url(self, qid: str, **args: Any) -> str:
        """The URL of a question's page."""
        return journey_url("respond.page", questionnaire_id=self.q.id, n=self.page_number(qid), **args)

    def frontier(self) -> Question | None:
        """The first visible page not yet answered or seen (None: ready to check answers)."""
        for question in self.visible():
            if question.id not in self.visited:
                return question
            if question.asks and is_required(question, self.answers) and question.id not in self.answers:
                return question
        return None

    def section_position(self, question: Question) -> tuple[int, int]:
        """(n, total): the question's section among the sections on this resident's path so far."""
        path = list(dict.fromkeys(self.q.section_of(x.id).id for x in self.visible()))
        section = self.q.section_of(question.id).id
        return (path.index(section) + 1 if section in path else self.q.section_number(question.id)), len(path)

    def path_position(self, question: Question) -> int:
        """The 1-based position of a page among the pages on this resident's path."""
        pages = [x.id for x in self.visible()]
        return pages.index(question.id) + 1 if question.id in pages else self.page_number(question.id)

    def next_url(self) -> str:
        """Where the journey carries on: its frontier page, or check your answers."""
        page = self.frontier()
        if page is None:
            return journey_url("respond.check", questionnaire_id=self.q.id)
        return self.page_url(page.id)

    def after_answer(self, current: str, change: bool) -> str:
        """Where to go after answering `current`; when changing an answer, skip pages already done."""
        following = self.next_page(current)
        if change:
            while following is not None:
                question = self.q.question(following)
                done = following in self.visited and not (
                    question.asks and question.required and following not in self.answers
                )
                if not done:
                    break
                following = self.next_page(following)
        if following is None:
            return journey_url("respond.check", questionnaire_id=self.q.id)
        return self.page_url(following, **({"change": 1} if change else {}))

    def is_sensitive(self, question: Question) -> bool:
        """True when a page needs the quick exit and a generic title."""
        return question.id in self.q.sensitive_question_ids


def journey_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)` for a page of the journey, kept per app.

    A page's address is the same for every resident: it depends only on the values and the path the
    service is mounted under (`request.script_root`), so it is built once (a question page needs one or
    two, check your answers one per answer), not by Werkzeug's URL builder on every request.
    """
    key = (request.script_root, endpoint, *sorted(values.items()))
    urls = app_lru(URLS_KEY, URLS_LIMIT)
    url: str | None = urls.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        urls.put(key, url)
    return url


def _definition(row: VersionHead | QuestionnaireVersion) -> Questionnaire:
    """The loaded questionnaire of a stored version (404 when it is not stored)."""
    q = questionnaires.definition(row, session=get_session())
    if q is None:
        abort(404)
    return q


def chosen_language(q: Questionnaire) -> str:
    """The language chosen in this browser if the questionnaire offers it, else its default."""
    lang = session.get("lang")
    return lang if isinstance(lang, str) and lang in q.languages else q.language


def _journey_cookie(questionnaire_id: str) -> Mapping[str, Any] | None:
    journeys = session.get(JOURNEYS)
    if not isinstance(journeys, dict):
        return None
    entry = journeys.get(questionnaire_id)
    return entry if isinstance(entry, dict) else None


def load(questionnaire_id: str, *, with_response: bool) -> Journey:
    """The journey for this questionnaire: 404 when it does not exist; the response when one is running."""
    db = get_session()
    row: VersionHead | None = None
    response: Response | None = None
    entry = _journey_cookie(questionnaire_id) if with_response else None
    if entry is not None and entry.get("sh") and not _shared_still_fresh(questionnaire_id, entry):
        entry = None  # a shared device left alone: only the resume code brings the answers back
    if entry is not None:  # the response and the version it answers (a journey keeps its version)
        found = repository.response_with_head(
            session=db, token=str(entry.get("t", "")), questionnaire_id=questionnaire_id
        )
        if found is not None:
            response, row = found
    if row is None:
        row = repository.questionnaire_head(session=db, questionnaire_id=questionnaire_id)
    if row is None:
        abort(404)
    q = _definition(row)
    lang = chosen_language(q)
    g.lang = supported(lang)
    journey = Journey(row=row, q=q, lang=lang, response=response)
    if response is not None:
        journey.answers = dict(response.answers)
        journey.visited = list(response.visited)
    return journey


def _shared_still_fresh(questionnaire_id: str, entry: Mapping[str, Any]) -> bool:
    """On a shared device: True while the journey was used in the last few minutes (and note this use).

    Otherwise the browser forgets the journey, so the next person at the device sees none of its answers.
    """
    now = int(time.time())
    idle = int(current_app.config["SURVEY_SHARED_IDLE_MINUTES"]) * 60
    last = entry.get("a")
    if not isinstance(last, int) or now - last > idle:
        forget(questionnaire_id)
        return False
    if now - last >= 10:  # keep the cookie quiet between quick page loads
        journeys = dict(session.get(JOURNEYS) or {})
        journeys[questionnaire_id] = {**entry, "a": now}
        session[JOURNEYS] = journeys
    return True


def begin(journey: Journey, response: Response, *, elapsed: int = 0, shared: bool = False) -> None:
    """Point this browser at a response (new, or resumed with a code).

    `shared`: the resident said the device is shared; the browser forgets the journey after a few idle
    minutes or when they save to come back later (the cookie itself ends when the browser closes).
    """
    journeys = dict(session.get(JOURNEYS) or {})
    now = int(time.time())
    entry: dict[str, Any] = {"t": response.token, "s": now - elapsed}
    if shared:
        entry.update(sh=1, a=now)
        session[SHARED_DEVICE] = 1  # the resume page offers "shared device" ticked in this browser
    journeys[journey.q.id] = entry
    session[JOURNEYS] = journeys
    session.permanent = False  # a browser-session cookie: it ends when the browser closes
    journey.response = response
    journey.answers = dict(response.answers)
    journey.visited = list(response.visited)


def said_shared() -> bool:
    """True when a journey in this browser was started or resumed as on a shared device."""
    return session.get(SHARED_DEVICE) == 1


def elapsed_seconds(questionnaire_id: str) -> int | None:
    """Seconds since the journey started in this browser (kept in the cookie, never stored as a time)."""
    entry = _journey_cookie(questionnaire_id)
    started = entry.get("s") if entry else None
    if not isinstance(started, int):
        return None
    return max(0, int(time.time()) - started)


def is_shared(questionnaire_id: str) -> bool:
    """True when the resident said this browser is on a shared device."""
    entry = _journey_cookie(questionnaire_id)
    return bool(entry and entry.get("sh"))


def forget(questionnaire_id: str) -> None:
    """Forget the journey in this browser (the response stays; its resume code finds it again)."""
    journeys = dict(session.get(JOURNEYS) or {})
    if journeys.pop(questionnaire_id, None) is not None:
        session[JOURNEYS] = journeys


def finish(questionnaire_id: str) -> None:
    """Forget the journey in this browser and remember only that it was sent (for the confirmation page).

    Nothing kept in the cookie leads to the sent response: the next person at a shared browser can neither
    see it nor get a receipt code for it (a receipt code is made at Send, when asked for, and shown once).
    """
    journeys = dict(session.get(JOURNEYS) or {})
    journeys.pop(questionnaire_id, None)
    session[JOURNEYS] = journeys
    done = [d for d in (session.get(DONE) or []) if isinstance(d, str) and d != questionnaire_id]
    session[DONE] = [*done, questionnaire_id][-10:]
    for key in _RETIRED:
        session.pop(key, None)


def journey_of(response: Response) -> Journey:
    """A journey over a stored response in the version it answered (the receipt page shows it)."""
    db = get_session()
    row = repository.questionnaire_head(
        session=db, questionnaire_id=response.questionnaire_id, version=response.questionnaire_version
    )
    if row is None:
        abort(404)
    q = _definition(row)
    lang = response.language if response.language in q.languages else chosen_language(q)
    g.lang = supported(lang)
    journey = Journey(row=row, q=q, lang=lang, response=response)
    journey.answers = dict(response.answers)
    journey.visited = list(response.visited)
    return journey


def was_sent(questionnaire_id: str) -> bool:
    """True when this browser sent answers to this questionnaire."""
    return questionnaire_id in (session.get(DONE) or [])


def channel_code(raw: str | None, questionnaire_id: str) -> str | None:
    """A partner's channel code from ?c=CODE, in lower case, when it is an active channel of this survey.

    None when absent, malformed, unknown, switched off or another survey's: nothing unchecked is stored.
    """
    if not raw or not CHANNEL_CODE.match(raw.strip()):
        return None
    return repository_channels.active_channel_code(
        session=get_session(), questionnaire_id=questionnaire_id, code=raw
    )


def store_answer(
    journey: Journey, question: Question, value: object, extra: Mapping[str, Any] | None = None
) -> bool:
    """Save an answer (or its absence), drop answers that no longer apply, mark the page as seen.

    `extra`: values stored beside the answer (the words of an "other, please specify" option, keyed
    `<question id>.other`). False when the response was sent meanwhile (another tab): nothing is saved.
    """
    answers = dict(journey.answers)
    answers.pop(question.id + OTHER_SUFFIX, None)
    if value is None:
        answers.pop(question.id, None)
    else:
        answers[question.id] = value
        answers.update({k: v for k, v in (extra or {}).items() if k != question.id and v is not None})
    journey.set_answers(answers)
    visible = {x.id for x in journey.visible()}
    journey.visited = [v for v in journey.visited if v != question.id and v in visible] + [question.id]
    assert journey.response is not None
    return repository.save_answer(
        session=get_session(),
        response=journey.response,
        question_id=question.id,
        answers=journey.answers,
        visited=journey.visited,
    )
