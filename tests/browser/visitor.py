"""A resident (or staff member) in Chromium: answers by keyboard or pointer, audits every page with axe."""

from __future__ import annotations

import hashlib
import json
import random
import re
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Page

from harness.http_resident import bundled
from harness.live_server import PROJECT_ROOT
from survey.engine import Question, form_data_for

AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE = re.compile(r"^/s/(?P<qid>[a-z0-9-]+)/p/(?P<n>\d+)$")
MAX_TABS = 120
# resultTypes: only the violations are gathered in full (passes and the rest keep one node each, unread
# here); which rules run and what they find is the same.
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""
# What the audited page looks like to axe besides its HTML: the viewport, the pixel ratio and the media
# features a touch phone differs in.
ENVIRONMENT = """() => [innerWidth, innerHeight, devicePixelRatio,
  ...['(pointer: coarse)', '(hover: hover)', '(prefers-color-scheme: dark)',
      '(prefers-reduced-motion: reduce)'].map(q => matchMedia(q).matches)]"""
HTML = "text/html; charset=utf-8"
CSRF_INPUT = re.compile(r"<input\b[^>]*\bname=\"csrf_token\"[^>]*>")
ORIGIN = re.compile(r"https?://127\.0\.0\.1:\d+")
# axe's result for each page already audited in this process, by `audit_key`. A page seen again (the same
# HTML at the same address, in the same viewport, with JavaScript the same) is not audited again.
_audited: dict[str, list[dict[str, Any]]] = {}
# Contexts given axe as an init script (so that no page of theirs waits for it to be sent over).
_with_axe: weakref.WeakSet[BrowserContext] = weakref.WeakSet()
Answerer = Callable[[Question, random.Random], Any]


@cache
def axe_source() -> str:
    """axe-core's script (read once)."""
    return AXE_PATH.read_text(encoding="utf-8")


def give_axe(context: BrowserContext) -> None:
    """Have axe-core defined in every document of `context` from its start (an init script is not subject to
    the page's Content-Security-Policy, and runs with JavaScript on only): an audit then only runs it."""
    if context not in _with_axe:
        context.add_init_script(axe_source())
        _with_axe.add(context)


def audit_key(html: str, address: str, environment: Any, copied: bool) -> str:
    """What axe's result on a page depends on: its HTML, without what differs on every load of the same
    page (the CSRF token, the server's port), its address, the viewport and media features, and whether the
    page was copied to the JavaScript-enabled auditor. Two pages with the same key give the same result."""
    html = ORIGIN.sub("ORIGIN", CSRF_INPUT.sub("<input name=csrf_token>", html))
    address = ORIGIN.sub("ORIGIN", address)
    return hashlib.sha256(json.dumps([html, address, environment, copied]).encode()).hexdigest()


def first_option(question: Question, _rng: random.Random) -> Any:
    """The first option of every choice, a typical number, short text."""
    match question.type:
        case "single":
            return question.options[0].code
        case "multiple":
            return [question.options[0].code]
        case "rating":
            return {item.id: question.options[0].code for item in question.items}
        case "text":
            return "Better street lighting on my road."
        case "number":
            return 34
    return None


@dataclass
class PageVisit:
    """One page as a resident saw it."""

    path: str
    title: str
    violations: list[dict[str, Any]]


@dataclass
class Visitor:
    """One Playwright page; every page it lands on is audited (axe, title, CSP) and remembered."""

    page: Page
    questionnaire_id: str = "safermk-2016"
    seed: int = 0
    visits: list[PageVisit] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)
    auditor: Page | None = None  # a JavaScript-enabled page that audits the HTML of a page without it

    def __post_init__(self) -> None:
        self.q = bundled(self.questionnaire_id)
        self.rng = random.Random(self.seed)
        self.page.on("console", self._console)
        give_axe(self.page.context)
        if self.auditor is not None:
            give_axe(self.auditor.context)

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(f"{self.path}: {message.text}")

    # -- looking -------------------------------------------------------------------------------
    @property
    def path(self) -> str:
        """The path of the page shown."""
        return urlsplit(self.page.url).path

    def audit(self) -> PageVisit:
        """Run axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page shown and record its title.

        A page whose `audit_key` was audited before in this run (the same page again) takes that result."""
        html = self.page.content()
        copied = self.auditor is not None
        environment = (self.auditor if self.auditor is not None else self.page).evaluate(ENVIRONMENT)
        key = audit_key(html, self.page.url, environment, copied)
        if key not in _audited:
            target = self.page if self.auditor is None else self._copy_to_auditor(html)
            if not target.evaluate("typeof window.axe !== 'undefined'"):
                # page.evaluate is not subject to the page's CSP (add_script_tag would be refused by it)
                target.evaluate(axe_source())
            _audited[key] = target.evaluate(AXE_RUN, AXE_TAGS)
        visit = PageVisit(self.path, self.page.title(), list(_audited[key]))
        self.visits.append(visit)
        return visit

    def _copy_to_auditor(self, content: str) -> Page:
        """axe needs JavaScript: show this page's HTML, scripts removed, in the JavaScript-enabled auditor.

        The auditor is at {origin}/__audit__ (the page's stylesheets, images and links resolve as on the page
        itself), an address a route answered once with an empty page; the HTML is then written into that
        document. The route is gone by then: while a page has one, Playwright turns Chromium's HTTP cache
        off, and every copy fetched the stylesheets, scripts and fonts again."""
        assert self.auditor is not None
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", content, flags=re.S)
        address = "{0.scheme}://{0.netloc}/__audit__".format(urlsplit(self.page.url))
        if self.auditor.url != address:
            self.auditor.route(address, lambda route: route.fulfill(status=200, content_type=HTML, body=""))
            try:
                self.auditor.goto(address)
            finally:
                self.auditor.unroute(address)
        self.auditor.set_content(html)
        return self.auditor

    def question(self) -> Question | None:
        """The question on the page shown (None elsewhere)."""
        found = PAGE.match(self.path)
        return self.q.questions[int(found["n"]) - 1] if found else None

    def focused_matches(self, selector: str) -> bool:
        """True when the focused element matches the CSS selector."""
        return bool(
            self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)
        )

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the page is wider than the viewport (0 means no sideways scrolling)."""
        return int(
            self.page.evaluate(
                "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
        )

    # -- moving ----------------------------------------------------------------------------------
    def goto(self, path: str, base: str) -> None:
        """Open a page by its address and audit it."""
        self.page.goto(base + path)
        self.audit()

    def after(self, action: Callable[[], None]) -> None:
        """Do something that loads a new page, wait for it, audit it."""
        with self.page.expect_navigation():
            action()
        self.audit()

    def tab_to(self, selector: str) -> None:
        """Press Tab until the focused element matches `selector` (bounded)."""
        for _ in range(MAX_TABS):
            if self.focused_matches(selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector} on {self.path}")

    def press_continue_by_keyboard(self) -> None:
        """Tab to the form's main button and press Enter."""
        self.tab_to("form button.govuk-button:not(.govuk-button--secondary)")
        self.after(lambda: self.page.keyboard.press("Enter"))

    def value_for(self, question: Question, answerer: Answerer, given: Mapping[str, Any]) -> Any:
        """The answer to give: from `given` when there, else the answerer's."""
        if question.id in given:
            return given[question.id]
        return answerer(question, self.rng) if question.asks else None

    def answer_by_keyboard(self, value: Any, question: Question) -> None:
        """Fill the page with Tab, Space, arrow keys and typing only, then press Enter on Continue."""
        for name, values in form_data_for(question, value).items():
            kind = self.page.locator(f'[name="{name}"]').first.evaluate("e => e.type || e.tagName")
            if kind == "radio":
                codes = self.page.locator(f'input[name="{name}"]').evaluate_all("es => es.map(e => e.value)")
                index = codes.index(values[0])
                self.tab_to(f'input[name="{name}"]')
                if index == 0:
                    self.page.keyboard.press("Space")
                for _ in range(index):
                    self.page.keyboard.press("ArrowDown")
            elif kind == "checkbox":
                for code in values:
                    self.tab_to(f'input[name="{name}"][value="{code}"]')
                    self.page.keyboard.press("Space")
            else:
                self.tab_to(f'[name="{name}"]')
                self.page.keyboard.type(values[0])
        self.page.keyboard.press("Shift+Tab")  # leave text fields, then find the button going forwards
        self.press_continue_by_keyboard()

    def answer_by_pointer(self, value: Any, question: Question) -> None:
        """Fill the page with taps/clicks and typing, then tap Continue."""
        for name, values in form_data_for(question, value).items():
            fields = self.page.locator(f'[name="{name}"]')
            kind = fields.first.evaluate("e => e.type || e.tagName")
            if kind in ("radio", "checkbox"):
                for code in values:
                    self.page.locator(f'input[name="{name}"][value="{code}"]').check()
            elif kind == "select-one":  # a ranking's select per item
                fields.first.select_option(values[0])
            else:
                fields.first.fill(values[0])
        self.after(lambda: self.page.locator("form button.govuk-button").first.click())

    def walk(
        self,
        *,
        keyboard: bool,
        answerer: Answerer = first_option,
        given: Mapping[str, Any] | None = None,
        stop_at: str | None = None,
        on_page: Callable[[], None] | None = None,
    ) -> None:
        """Answer page after page until check your answers (or the page of `stop_at`); on_page looks first."""
        for _ in range(len(self.q.questions) + 1):
            question = self.question()
            if question is None or question.id == stop_at:
                return
            if on_page is not None:
                on_page()
            value = self.value_for(question, answerer, given or {})
            if value is None:
                self.answers.pop(question.id, None)
            else:
                self.answers[question.id] = value
            if keyboard:
                self.answer_by_keyboard(value, question)
            else:
                self.answer_by_pointer(value, question)
        raise AssertionError(f"the journey did not reach check your answers (at {self.path})")

    # -- what was seen ------------------------------------------------------------------------
    def violations(self) -> dict[str, list[dict[str, Any]]]:
        """axe violations by page path (only pages that had any)."""
        return {f"{v.path} ({v.title})": v.violations for v in self.visits if v.violations}

    def csp_violations(self) -> list[str]:
        """Console errors about the Content-Security-Policy (the app must never trip its own policy)."""
        return [e for e in self.console_errors if "Content Security Policy" in e]
