"""A resident (or staff member) in Chromium: answers by keyboard or pointer, audits every page with axe."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Page

from harness.http_resident import bundled
from harness.live_server import PROJECT_ROOT
from survey.engine import Question, form_data_for

AXE_PATH = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE = re.compile(r"^/s/(?P<qid>[a-z0-9-]+)/p/(?P<n>\d+)$")
MAX_TABS = 120
AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
}"""
Answerer = Callable[[Question, random.Random], Any]


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

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(f"{self.path}: {message.text}")

    # -- looking -------------------------------------------------------------------------------
    @property
    def path(self) -> str:
        """The path of the page shown."""
        return urlsplit(self.page.url).path

    def audit(self) -> PageVisit:
        """Run axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page shown and record its title."""
        target = self.page if self.auditor is None else self._copy_to_auditor()
        if not target.evaluate("typeof window.axe !== 'undefined'"):
            # page.evaluate is not subject to the page's CSP (add_script_tag would be refused by it)
            target.evaluate(AXE_PATH.read_text(encoding="utf-8"))
        visit = PageVisit(self.path, self.page.title(), target.evaluate(AXE_RUN, AXE_TAGS))
        self.visits.append(visit)
        return visit

    def _copy_to_auditor(self) -> Page:
        """axe needs JavaScript: show this page's HTML, scripts removed, in the JavaScript-enabled auditor."""
        assert self.auditor is not None
        html = re.sub(r"<script\b[^>]*>.*?</script>", "", self.page.content(), flags=re.S)
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.page.url))
        self.auditor.unroute("**/__audit__")
        self.auditor.route(
            "**/__audit__",
            lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
        )
        self.auditor.goto(f"{origin}/__audit__")
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
