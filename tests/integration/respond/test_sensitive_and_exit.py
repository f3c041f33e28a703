"""Sensitive sections: interruption page with support contacts, Exit this page, generic titles and URLs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]


def _to_domestic_abuse(resident: Respondent) -> None:
    resident.start()
    resident.walk({"respondent_type": "visitor", "victim_any": "no"}, stop_at="domestic_abuse_warning")


def test_interruption_page_comes_first_with_support_contacts(respondent: MakeRespondent) -> None:
    resident = respondent()
    _to_domestic_abuse(resident)
    assert resident.question is not None and resident.question.id == "domestic_abuse_warning"
    text = resident.soup.get_text(" ", strip=True)
    for contact in resident.q.support_contacts:
        assert resident.q.text(contact.name) in text
        if contact.phone:
            assert contact.phone in text


def test_every_sensitive_page_has_exit_this_page_and_a_generic_title(respondent: MakeRespondent) -> None:
    resident = respondent()
    _to_domestic_abuse(resident)
    sensitive = resident.q.sensitive_question_ids
    checked = 0
    while resident.question is not None and resident.question.id in sensitive:
        button = resident.soup.select_one(".govuk-exit-this-page a.govuk-exit-this-page__button")
        assert button is not None, f"no Exit this page on {resident.question.id}"
        assert button["href"] == "/s/safermk-2016/exit"
        n = resident.q.position(resident.question.id) + 1
        on_path = len(resident.seen) + 1  # the position on this resident's path, not in the whole survey
        assert resident.title == f"Question {on_path} – {resident.q.text(resident.q.title)}"
        assert on_path < n  # SaferMK skips pages before these for this resident
        assert resident.path == f"/s/safermk-2016/p/{n}"
        question_words = resident.q.text(resident.question.text)
        assert question_words not in resident.title
        checked += 1
        value = {"da_ever": "yes"}.get(resident.question.id)
        resident.answer(value if value else _first(resident))
    assert checked >= 4


def _first(resident: Respondent) -> object:
    from tests.respondent import default_answer

    assert resident.question is not None
    return default_answer(resident.question) if resident.question.asks else None


def test_pages_outside_sensitive_sections_have_no_exit_button(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    assert resident.soup.select_one(".govuk-exit-this-page") is None
    assert resident.q.text(resident.q.questions[0].text) in resident.title


def test_exit_ends_the_session_and_leaves_for_the_neutral_site(respondent: MakeRespondent) -> None:
    resident = respondent()
    _to_domestic_abuse(resident)
    here = resident.path
    response = resident.client.get("/s/safermk-2016/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == resident.q.exit_url
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert resident.client.get_cookie("survey_session") is None
    resident.get(here)
    assert resident.path == "/s/safermk-2016"  # the journey is gone from this browser


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://attacker.example"},
        {"Referer": "https://attacker.example/page"},
    ],
    ids=["fetch-cross-site", "fetch-same-site", "origin", "referer"],
)
def test_another_site_cannot_end_a_residents_journey(
    respondent: MakeRespondent, headers: dict[str, str]
) -> None:
    """Review F10: a link or image on another site pointing at /exit must not wipe unfinished answers."""
    resident = respondent()
    _to_domestic_abuse(resident)
    here = resident.path
    response = resident.client.get("/s/safermk-2016/exit", headers=headers)
    assert response.status_code == 303 and response.headers["Location"] == resident.q.exit_url
    assert "Clear-Site-Data" not in response.headers
    assert resident.client.get_cookie("survey_session") is not None
    resident.get(here)
    assert resident.path == here  # the journey is still there


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"},
        {"Sec-Fetch-Site": "none"},
        {"Referer": "http://localhost/s/safermk-2016/p/9"},
    ],
    ids=["fetch-same-origin", "fetch-typed", "referer-same-host"],
)
def test_exit_from_the_services_own_pages_ends_the_journey(
    respondent: MakeRespondent, headers: dict[str, str]
) -> None:
    resident = respondent()
    _to_domestic_abuse(resident)
    response = resident.client.get("/s/safermk-2016/exit", headers=headers)
    assert response.status_code == 303 and response.headers["Clear-Site-Data"] == '"cookies", "storage"'
    assert resident.client.get_cookie("survey_session") is None


def test_exit_route_works_for_an_unknown_survey_too(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/s/not-a-survey/exit")
    assert response.status_code == 303 and response.headers["Location"].startswith("https://")


def test_check_answers_offers_the_exit_when_it_shows_sensitive_answers(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor", "victim_any": "no"})
    assert resident.path == "/s/safermk-2016/check"
    assert resident.soup.select_one(".govuk-exit-this-page") is not None
    assert resident.title == f"Check your answers before sending them – {resident.q.text(resident.q.title)}"
