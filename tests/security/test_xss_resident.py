"""Published XSS and template-injection payloads through every resident field and echo: escaped everywhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.respondent import Respondent
from tests.security.hostile import SAFERMK, XSS_PAYLOADS, route_to
from tests.security.inert import live_markup, shown_as_text

MakeRespondent = Callable[..., Respondent]
TEXT_QUESTIONS = [q.id for q in SAFERMK.questions if q.type == "text"]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_in_every_free_text_answer_is_shown_as_text(respondent: MakeRespondent, payload: str) -> None:
    """Typed into each free-text question: the check-answers page shows it as typed and runs nothing."""
    resident = respondent()
    resident.start()
    answers = dict.fromkeys(TEXT_QUESTIONS, payload)
    for qid in TEXT_QUESTIONS:
        answers = {**route_to(SAFERMK, qid), **answers}
    resident.walk(answers)
    assert resident.path.endswith("/check")
    html = resident.response.get_data(as_text=True)  # type: ignore[union-attr]
    assert live_markup(html) == []
    assert shown_as_text(html, payload)
    if "7*7" in payload:
        assert "49" not in html
    resident.submit()
    assert live_markup(resident.response.get_data(as_text=True)) == []  # type: ignore[union-attr]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_echoed_by_error_pages_is_inert(respondent: MakeRespondent, payload: str) -> None:
    """Refused input is shown again for editing (number field, too-long text, resume code): as text only."""
    resident = respondent()
    resident.start()
    resident.walk(route_to(SAFERMK, "age"), stop_at="age")
    reply = resident.answer_raw({"answer": payload})
    html = reply.get_data(as_text=True)
    assert "govuk-error-summary" in html and live_markup(html) == [] and shown_as_text(html, payload)

    resident.walk(route_to(SAFERMK, "concerns_text"), stop_at="concerns_text")
    long_text = payload + " " + "x" * 5000
    html = resident.answer_raw({"answer": long_text}).get_data(as_text=True)
    assert "govuk-error-summary" in html and live_markup(html) == [] and shown_as_text(html, long_text)

    resident.get(f"/s/{SAFERMK.id}/resume")
    html = resident.post(f"/s/{SAFERMK.id}/resume", {"code": payload}).get_data(as_text=True)
    assert live_markup(html) == [] and shown_as_text(html, payload[:64])


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_in_urls_is_inert(respondent: MakeRespondent, payload: str) -> None:
    """In a partner code (?c=), a language (?lang=), an unknown page or questionnaire: never live markup."""
    from urllib.parse import quote

    resident = respondent()
    for path in (
        f"/s/{SAFERMK.id}?c={quote(payload)}",
        f"/s/{SAFERMK.id}?lang={quote(payload)}",
        f"/s/{quote(payload, safe='')}",
        f"/s/{SAFERMK.id}/p/{quote(payload, safe='')}",
        f"/c/{quote(payload, safe='')}",
        f"/staff/{quote(payload, safe='')}",
    ):
        reply = resident.get(path)
        assert reply.status_code < 500, path
        assert live_markup(reply.get_data(as_text=True)) == [], path
