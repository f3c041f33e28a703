"""Welsh and Urdu (right to left) journeys in Chromium: no English service word on any page, axe-clean."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

from harness.live_server import LiveServer, stored_responses
from tests.browser.test_new_question_types import GIVEN as BUDGET_ANSWERS
from tests.browser.test_resident_journeys import assert_clean, context_factory, outside
from tests.browser.visitor import Visitor

__all__ = ["context_factory", "outside"]  # the fixtures, shared with the SaferMK journeys

POT = Path(__file__).resolve().parents[2] / "survey" / "translations" / "messages.pot"
# Every text node on the page (visually hidden ones too: screen readers read them), with the language of
# its closest element that says one. Hidden elements (display: none, [hidden]) are left out.
TEXT_NODES = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (!text || !parent || parent.closest('script, style, template')) continue;
    if (!parent.checkVisibility({visibilityProperty: true})) continue;
    out.push({text, lang: parent.closest('[lang]').getAttribute('lang')});
  }
  return out;
}"""


def english_messages() -> tuple[set[str], list[re.Pattern[str]]]:
    """The service's English words (every msgid): plain ones, and patterns for those with placeholders."""
    with POT.open("rb") as handle:
        pot = read_po(handle)
    plain: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    for message in pot:
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        for msgid in ids:
            if not msgid:
                continue
            parts = re.split(r"%\(\w+\)s", msgid)
            if len(parts) == 1:
                plain.add(msgid)
            elif len(re.findall(r"[A-Za-z]{2,}", " ".join(parts))) >= 2:
                # two words of the service's own at least: "%(first)s or %(second)s" would match any
                # questionnaire text with "or" in it
                patterns.append(re.compile("^" + "(.+?)".join(re.escape(p) for p in parts) + "$"))
    return plain, patterns


ENGLISH, ENGLISH_PATTERNS = english_messages()
LONG_ENGLISH = [m for m in ENGLISH if len(m.split()) >= 3]


def english_words_on(visitor: Visitor, lang: str) -> list[str]:
    """Text in the page's language that is one of the service's English strings (or contains a long one)."""
    found = []
    for node in visitor.page.evaluate(TEXT_NODES):
        if node["lang"] != lang:
            continue  # marked as another language: the language switch, or text that fell back
        text = node["text"]
        if (
            text in ENGLISH
            or any(p.match(text) for p in ENGLISH_PATTERNS)
            or any(m in text for m in LONG_ENGLISH)
        ):
            found.append(f"{visitor.path}: {text!r}")
    title = visitor.page.title()
    for part in re.split(r" – |: ", title):
        if part in ENGLISH or any(p.match(part) for p in ENGLISH_PATTERNS):
            found.append(f"{visitor.path} (title): {part!r}")
    return found


def _check_page(visitor: Visitor, lang: str, direction: str, seen: list[str]) -> None:
    html = visitor.page.locator("html")
    assert html.get_attribute("lang") == lang and html.get_attribute("dir") == direction, visitor.path
    seen.extend(english_words_on(visitor, lang))


def _journey(
    visitor: Visitor, live_server: LiveServer, start: str, lang: str, direction: str, given: dict[str, Any]
) -> list[str]:
    seen: list[str] = []
    visitor.goto(f"{start}?lang={lang}", live_server.base_url)
    _check_page(visitor, lang, direction, seen)
    visitor.after(lambda: visitor.page.locator("form button.govuk-button").first.click())
    # an empty answer first: the error summary, the inline error and the page title are in the language too
    first = visitor.question()
    assert first is not None and first.asks
    visitor.after(lambda: visitor.page.locator("form button.govuk-button").first.click())
    assert visitor.page.locator(".govuk-error-summary").count() == 1
    _check_page(visitor, lang, direction, seen)
    visitor.walk(keyboard=False, given=given, on_page=lambda: _check_page(visitor, lang, direction, seen))
    assert visitor.path == f"{start}/check"
    _check_page(visitor, lang, direction, seen)
    visitor.after(lambda: visitor.page.locator("form button.govuk-button").first.click())
    assert visitor.path == f"{start}/done"
    _check_page(visitor, lang, direction, seen)
    return seen


def test_welsh_budget_consultation_has_no_english_service_words(
    live_server: LiveServer, context_factory: Any
) -> None:
    visitor = Visitor(context_factory().new_page(), questionnaire_id="council-budget-2027")
    given = {**BUDGET_ANSWERS, "leaflet": "CY01", "contact_reason": "bins"}
    seen = _journey(visitor, live_server, "/s/council-budget-2027", "cy", "ltr", given)
    assert seen == []
    assert_clean(visitor)
    stored = [
        r
        for r in stored_responses(live_server.database_url, "council-budget-2027")
        if r["answers"].get("leaflet") == "CY01"
    ]
    assert len(stored) == 1 and stored[0]["status"] == "complete"


def test_urdu_tenant_survey_is_right_to_left_with_no_english_service_words(
    live_server: LiveServer, context_factory: Any
) -> None:
    visitor = Visitor(context_factory().new_page(), questionnaire_id="tenant-satisfaction")
    given = {"repair_had": "yes", "improve": "بہتر مرمت", "age": 42}
    seen = _journey(visitor, live_server, "/s/tenant-satisfaction", "ur", "rtl", given)
    assert seen == []
    assert_clean(visitor)
    stored = [
        r
        for r in stored_responses(live_server.database_url, "tenant-satisfaction")
        if r["answers"].get("improve") == "بہتر مرمت"
    ]
    assert len(stored) == 1 and stored[0]["language"] == "ur"


def test_the_checker_finds_english_service_words(live_server: LiveServer, context_factory: Any) -> None:
    """The check above can fail: on an English page it finds the service's words."""
    visitor = Visitor(context_factory().new_page(), questionnaire_id="tenant-satisfaction")
    visitor.goto("/s/tenant-satisfaction", live_server.base_url)
    found = english_words_on(visitor, "en")
    assert any("'Start now'" in f for f in found) and any("'Your privacy'" in f for f in found)


# Where each drawn ring or box (the label's ::before, absolutely placed in its item) is, against the
# invisible input that takes the tap; and which side the error bar of the question is on.
CONTROLS = """() => [...document.querySelectorAll('.govuk-radios__item, .govuk-checkboxes__item')]
.map(item => {
  const input = item.querySelector('input').getBoundingClientRect();
  const label = item.querySelector('label');
  const ring = getComputedStyle(label, '::before');
  const left = item.getBoundingClientRect().left + parseFloat(ring.left);
  return {drawn: left + parseFloat(ring.width) / 2, input: (input.left + input.right) / 2,
          words: label.getBoundingClientRect().left};
})"""


def test_urdu_radios_are_drawn_where_they_are_tapped_at_320_pixels(
    live_server: LiveServer, context_factory: Any
) -> None:
    """GOV.UK Frontend draws the ring on the left; a right-to-left row puts the input on the right, so the
    ring sat left of the words (over them at 320 px) and the error bar on the far side of the question."""
    phone = context_factory(viewport={"width": 320, "height": 640})
    visitor = Visitor(phone.new_page(), questionnaire_id="tenant-satisfaction")
    visitor.goto("/s/tenant-satisfaction?lang=ur", live_server.base_url)
    visitor.after(lambda: visitor.page.locator("form button.govuk-button").first.click())
    # no answer: the error bar
    visitor.after(lambda: visitor.page.locator("form button.govuk-button").first.click())
    controls = visitor.page.evaluate(CONTROLS)
    assert controls
    for control in controls:
        assert abs(control["drawn"] - control["input"]) < 4, control
        assert control["drawn"] > control["words"], control  # the ring right of the words
    group = visitor.page.locator(".govuk-form-group--error").first
    assert group.evaluate("e => parseFloat(getComputedStyle(e).borderRightWidth)") > 0
    assert group.evaluate("e => parseFloat(getComputedStyle(e).borderLeftWidth)") == 0
    assert visitor.horizontal_overflow() == 0
    assert_clean(visitor)
