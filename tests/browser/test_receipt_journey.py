"""A resident's receipt in Chromium: ask for it when sending, take the code from the confirmation page,
open it on another device, erase.

axe audits every page seen (check your answers with the receipt choice, the confirmation with the code,
the code form, the answers sent, the erase confirmation and the erased page), and the app never trips its
own Content-Security-Policy.
"""

from __future__ import annotations

from typing import Any

from harness.http_resident import MARKER_QUESTION
from harness.live_server import LiveServer
from tests.browser.test_resident_journeys import (  # noqa: F401 (fixtures)
    START,
    assert_clean,
    context_factory,
    outside,
    stored_with,
)
from tests.browser.visitor import Visitor


def test_receipt_shows_what_was_sent_and_erases_it(
    live_server: LiveServer,
    context_factory: Any,  # noqa: F811
) -> None:
    sender = Visitor(context_factory().new_page(), seed=7)
    marker = "receipt journey marker"
    sender.goto(START, live_server.base_url)
    sender.after(lambda: sender.page.get_by_role("button", name="Start now").click())
    sender.walk(keyboard=False, given={MARKER_QUESTION: marker})
    sender.page.get_by_label("Get a receipt code").check()
    sender.after(lambda: sender.page.get_by_role("button", name="Send your answers").click())
    assert sender.path == f"{START}/done"
    code = sender.page.locator("#receipt-code").inner_text().strip()
    assert len(stored_with(live_server, marker)) == 1

    reader = Visitor(context_factory().new_page(), seed=7)
    reader.goto(f"{START}/receipt", live_server.base_url)
    reader.page.fill("#code", code)
    reader.after(lambda: reader.page.get_by_role("button", name="Continue").click())
    assert reader.path == f"{START}/receipt"
    assert marker in reader.page.locator("main").inner_text()
    reader.after(lambda: reader.page.get_by_role("button", name="Erase my answers").click())
    reader.after(lambda: reader.page.get_by_role("button", name="Yes, erase my answers").click())
    assert "Your answers have been erased" in reader.page.locator("main").inner_text()
    assert stored_with(live_server, marker) == []
    assert_clean(sender)
    assert_clean(reader)
