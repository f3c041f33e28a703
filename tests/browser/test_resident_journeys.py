"""A resident completes the SaferMK survey in Chromium on several routes; axe audits every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from harness.http_resident import MARKER_QUESTION, normalised, random_answer
from harness.live_server import LiveServer, stored_responses
from tests.browser.visitor import Visitor

Q = "safermk-2016"
START = f"/s/{Q}"


NEUTRAL_HOST = "www.bbc.co.uk"
# Every address but the local server's (http://127.0.0.1:PORT/... and nothing else, not even
# http://127.0.0.1@elsewhere): the local ones are not routed at all, so the page's own requests go straight
# to the server instead of each waiting on a round trip through this process.
NOT_LOCAL = re.compile(r"^(?!https?://127\.0\.0\.1(?::\d+)?(?:[/?#]|$))")


@dataclass
class Outside:
    """Requests that tried to leave 127.0.0.1 (none are let through: the neutral site is faked)."""

    neutral: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)

    def handle(self, route: Any) -> None:
        """Let local requests through; answer the neutral site's with a stand-in page; block the rest."""
        host = urlsplit(route.request.url).hostname
        if host == "127.0.0.1":
            route.continue_()
        elif host == NEUTRAL_HOST:
            self.neutral.append(route.request.url)
            route.fulfill(
                status=200,
                content_type="text/html",
                body="<!DOCTYPE html><html lang=en><title>Weather</title><h1>Weather</h1></html>",
            )
        else:
            self.other.append(route.request.url)
            route.abort()


@pytest.fixture
def outside() -> Outside:
    """What every context of the test tried to fetch from other hosts."""
    return Outside()


@pytest.fixture
def context_factory(browser: Any, outside: Outside) -> Iterator[Any]:
    """New browser contexts (each its own cookie jar, no request leaving 127.0.0.1), closed afterwards."""
    made: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(**options)
        context.set_default_timeout(30_000)
        context.route(NOT_LOCAL, outside.handle)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    assert outside.other == [], f"pages asked other hosts for {outside.other}"


def assert_clean(visitor: Visitor) -> None:
    """No axe violation on any page seen, and the app never tripped its own CSP."""
    assert visitor.violations() == {}
    assert visitor.csp_violations() == []


def assert_meaningful_titles(visitor: Visitor) -> None:
    """Every page has its own title naming the survey; a page with an error says so first."""
    by_path: dict[str, set[str]] = {}
    for visit in visitor.visits:
        survey_name = visitor.q.text(visitor.q.title, "en")
        assert visit.title.endswith(f" – {survey_name}") or visit.path == START, visit
        by_path.setdefault(visit.path, set()).add(visit.title.removeprefix("Error: "))
    assert all(len(titles) == 1 for titles in by_path.values()), by_path
    plain = [next(iter(titles)) for titles in by_path.values()]
    assert len(plain) == len(set(plain)), f"two pages share a title: {sorted(plain)}"


def stored_with(server: LiveServer, marker: str) -> list[dict[str, Any]]:
    """Stored responses whose free-text answer holds this journey's marker."""
    return [r for r in stored_responses(server.database_url) if r["answers"].get(MARKER_QUESTION) == marker]


def test_keyboard_only_journey_with_an_error_on_the_way(
    live_server: LiveServer, context_factory: Any
) -> None:
    """Tab, Space, arrows, typing and Enter only: start, make a mistake, recover, answer, send."""
    page = context_factory(viewport={"width": 1280, "height": 900}).new_page()
    visitor = Visitor(page)
    marker = "keyboard journey marker"
    visitor.goto(START, live_server.base_url)
    visitor.tab_to("button.govuk-button--start")
    visitor.after(lambda: page.keyboard.press("Enter"))
    first = visitor.question()
    assert first is not None and first.id == "respondent_type"

    visitor.press_continue_by_keyboard()  # nothing chosen: the page comes back with an error summary
    assert visitor.question() == first
    assert page.title().startswith("Error: ")
    assert visitor.focused_matches(".govuk-error-summary"), "focus did not move to the error summary"
    page.keyboard.press("Tab")
    assert visitor.focused_matches(".govuk-error-summary__list a")
    page.keyboard.press("Enter")  # the summary's link takes focus to the question's first input
    assert visitor.focused_matches('input[name="answer"]')

    page.keyboard.press("Space")
    visitor.answers[first.id] = first.options[0].code
    visitor.press_continue_by_keyboard()
    visitor.walk(keyboard=True, given={MARKER_QUESTION: marker, "age": 34, "ward": "bletchley_east"})
    assert visitor.path == f"{START}/check"
    visitor.tab_to("form button.govuk-button")
    visitor.after(lambda: page.keyboard.press("Enter"))
    assert visitor.path == f"{START}/done"

    assert_clean(visitor)
    assert_meaningful_titles(visitor)
    stored = stored_with(live_server, marker)
    assert len(stored) == 1 and stored[0]["status"] == "complete"
    assert normalised(stored[0]["answers"]) == normalised(visitor.answers)


@pytest.mark.parametrize("seed", [1, 2])
def test_journey_on_a_320_pixel_screen_by_touch(
    live_server: LiveServer, context_factory: Any, seed: int
) -> None:
    """A small phone: random answers (other branches), nothing wider than the screen, axe-clean."""
    context = context_factory(viewport={"width": 320, "height": 640}, has_touch=True, is_mobile=True)
    visitor = Visitor(context.new_page(), seed=seed)
    marker = f"narrow screen marker {seed}"
    visitor.goto(START, live_server.base_url)
    visitor.after(lambda: visitor.page.get_by_role("button", name="Start now").click())
    wide: dict[str, int] = {}

    def measure() -> None:
        if visitor.horizontal_overflow() > 0:
            wide[visitor.path] = visitor.horizontal_overflow()

    visitor.walk(keyboard=False, answerer=random_answer, given={MARKER_QUESTION: marker}, on_page=measure)
    assert visitor.path == f"{START}/check"
    assert visitor.horizontal_overflow() == 0
    visitor.after(lambda: visitor.page.get_by_role("button", name="Send your answers").click())
    assert visitor.path == f"{START}/done"
    assert wide == {}, f"pages wider than 320 px: {wide}"
    assert_clean(visitor)
    stored = stored_with(live_server, marker)
    assert len(stored) == 1 and normalised(stored[0]["answers"]) == normalised(visitor.answers)


def test_journey_without_javascript(live_server: LiveServer, context_factory: Any) -> None:
    """JavaScript off: every page still works, errors show in the summary, the answers are sent."""
    page = context_factory(java_script_enabled=False).new_page()
    visitor = Visitor(page, seed=3, auditor=context_factory().new_page())
    marker = "no javascript marker"
    visitor.goto(START, live_server.base_url)
    assert "js-enabled" not in (page.get_attribute("body", "class") or "")
    visitor.after(lambda: page.get_by_role("button", name="Start now").click())
    visitor.after(lambda: page.get_by_role("button", name="Continue").click())
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    visitor.walk(keyboard=False, answerer=random_answer, given={MARKER_QUESTION: marker}, stop_at="age")
    if visitor.question() is not None and visitor.question().id == "age":  # type: ignore[union-attr]
        visitor.page.fill('[name="answer"]', "about forty")
        visitor.after(lambda: page.get_by_role("button", name="Continue").click())
        assert page.locator(".govuk-error-summary").is_visible()
        assert page.input_value('[name="answer"]') == "about forty"  # what was typed is kept
    visitor.walk(keyboard=False, answerer=random_answer, given={MARKER_QUESTION: marker})
    visitor.after(lambda: page.get_by_role("button", name="Send your answers").click())
    assert visitor.path == f"{START}/done"
    assert_clean(visitor)
    assert len(stored_with(live_server, marker)) == 1


def test_resume_from_a_second_browser_with_the_code(live_server: LiveServer, context_factory: Any) -> None:
    """Save on one device, type the code on another, carry on where the journey stopped, send once."""
    first = Visitor(context_factory().new_page(), seed=4)
    marker = "resumed journey marker"
    first.goto(START, live_server.base_url)
    first.after(lambda: first.page.get_by_role("button", name="Start now").click())
    first.walk(keyboard=False, given={MARKER_QUESTION: marker}, stop_at="victim_any")
    first.page.get_by_role("radio").first.check()  # this page's answer is kept by 'Save and come back later'
    first.answers["victim_any"] = first.question().options[0].code  # type: ignore[union-attr]
    first.after(lambda: first.page.get_by_role("button", name="Save and come back later").click())
    code = first.page.locator("#resume-code").inner_text().strip()
    assert len(code) >= 6, code

    second = Visitor(context_factory().new_page(), seed=4)
    second.answers = dict(first.answers)
    second.goto(f"{START}/resume", live_server.base_url)
    second.page.fill("#code", "WRONG-CODE")
    second.after(lambda: second.page.get_by_role("button", name="Continue").click())
    assert second.page.title().startswith("Error: ")
    assert second.focused_matches(".govuk-error-summary"), "focus did not move to the error summary"
    second.page.fill("#code", code.lower())  # typed in lower case: still accepted
    second.after(lambda: second.page.get_by_role("button", name="Continue").click())
    resumed_at = second.question()
    assert resumed_at is not None and resumed_at.id == "victim_types", second.path
    second.walk(keyboard=False)
    second.after(lambda: second.page.get_by_role("button", name="Send your answers").click())
    assert second.path == f"{START}/done"

    assert_clean(first)
    assert_clean(second)
    stored = stored_with(live_server, marker)
    assert len(stored) == 1 and stored[0]["status"] == "complete"
    assert normalised(stored[0]["answers"]) == normalised(second.answers)


@pytest.mark.parametrize("javascript", [True, False], ids=["shift-three-times", "no-javascript-link"])
def test_quick_exit_leaves_for_the_neutral_site_and_ends_the_session(
    live_server: LiveServer, context_factory: Any, outside: Outside, javascript: bool
) -> None:
    """On a sensitive page: Exit this page (Shift x3 with JavaScript, the link without) -> neutral site."""
    context = context_factory(java_script_enabled=javascript)
    auditor = None if javascript else context_factory().new_page()
    visitor = Visitor(context.new_page(), seed=5, auditor=auditor)
    visitor.goto(START, live_server.base_url)
    visitor.after(lambda: visitor.page.get_by_role("button", name="Start now").click())
    visitor.walk(keyboard=False, stop_at="da_ever")
    sensitive_page = visitor.path
    session_before = [c["value"] for c in context.cookies() if c["name"] == "survey_session"]
    assert session_before, "no session cookie during the journey"
    exit_button = visitor.page.locator(".govuk-exit-this-page__button")
    assert exit_button.is_visible()
    assert visitor.page.title().startswith("Question "), "a sensitive page's title must not name its topic"

    def leaving(request: Any) -> bool:
        return bool(urlsplit(request.url).hostname == NEUTRAL_HOST)

    with visitor.page.expect_request(leaving) as neutral:
        if javascript:
            visitor.page.locator("h1").click()  # focus in the page, not the address bar
            for _ in range(3):
                visitor.page.keyboard.press("Shift")
        else:
            exit_button.click()
    assert neutral.value.url == "https://www.bbc.co.uk/weather" and neutral.value.is_navigation_request()
    # the neutral site cannot load here (no name resolves): wait for that navigation to end in Chrome's
    # error page, so that the next navigation is not cut short by it
    for _ in range(100):  # bounded: at most 10 s
        if not visitor.page.url.startswith(live_server.base_url):
            break
        visitor.page.wait_for_timeout(100)
    assert [c for c in context.cookies() if c["name"] == "survey_session"] == [], "session cookie kept"

    visitor.page.goto(live_server.url(sensitive_page))  # the back button or a typed address...
    assert visitor.path == START, "the journey survived the quick exit"
    assert visitor.page.get_by_role("button", name="Start now").is_visible()
    assert_clean(visitor)
