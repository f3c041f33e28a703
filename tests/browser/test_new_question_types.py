"""A resident completes the budget consultation (the newer question types) in Chromium, axe-clean."""

from __future__ import annotations

from typing import Any

from harness.live_server import LiveServer, stored_responses
from tests.browser.test_resident_journeys import assert_clean, context_factory, outside
from tests.browser.visitor import Visitor

__all__ = ["context_factory", "outside"]  # the fixtures, shared with the SaferMK journeys

Q = "council-budget-2027"
START = f"/s/{Q}"
GIVEN = {
    "connection": "live",
    "postcode": "CF10 4UW",
    "agree": "yes",
    "services_used": {"libraries": ["online"], "parks": ["not_used"]},
    "contact_reason": "other",
    "last_contact": "2026-05-03",
    "priorities": {"schools": 1, "social_care": 2, "roads": 3},
    "tax_rise": 4.5,
    "extra_pay": 2.5,
    "people": 3,
    "children": 1,
    "leaflet": "LB07",
}


def test_budget_consultation_on_a_320_pixel_screen(live_server: LiveServer, context_factory: Any) -> None:
    """Every new type answered by touch on a small phone: axe-clean pages, nothing wider than the screen."""
    context = context_factory(viewport={"width": 320, "height": 640}, has_touch=True, is_mobile=True)
    visitor = Visitor(context.new_page(), questionnaire_id=Q)
    visitor.goto(START, live_server.base_url)
    wide: dict[str, int] = {}

    def measure() -> None:
        if (overflow := visitor.horizontal_overflow()) > 0:
            wide[visitor.path] = overflow

    measure()  # the start page names the council's long web address: it wraps
    visitor.after(lambda: visitor.page.get_by_role("button", name="Start now").click())
    while (question := visitor.question()) is not None and question.id != "contact_reason":
        measure()
        visitor.answer_by_pointer(GIVEN.get(question.id), question)
    visitor.page.locator('input[name="answer"][value="other"]').check()
    # the box for that option's words, after the options
    visitor.page.locator('input[name="other-other"]').fill("Potholes on our lane")
    visitor.after(lambda: visitor.page.locator("form button.govuk-button").first.click())
    visitor.walk(keyboard=False, given=GIVEN, on_page=measure)
    assert visitor.path == f"{START}/check"
    measure()
    visitor.after(lambda: visitor.page.locator("form button.govuk-button").first.click())
    assert visitor.path == f"{START}/done"

    assert_clean(visitor)
    assert wide == {}, f"pages wider than 320 px: {wide}"
    stored = [
        r for r in stored_responses(live_server.database_url, Q) if r["answers"].get("leaflet") == "LB07"
    ]
    assert len(stored) == 1 and stored[0]["status"] == "complete"
    answers = stored[0]["answers"]
    assert answers["postcode"] == "CF10" and answers["contact_reason.other"] == "Potholes on our lane"
    assert (
        answers["priorities"] == {"schools": 1, "social_care": 2, "roads": 3} and answers["tax_rise"] == 4.5
    )
