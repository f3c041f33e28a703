"""The resident's journey on the SaferMK survey: start page, pages, back links, check answers, send."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from survey.store import repository
from survey.store.db import get_session
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]


def stored(app: Flask, questionnaire_id: str = "safermk-2016") -> list[dict[str, object]]:
    with app.app_context():
        return repository.responses_for_report(session=get_session(), questionnaire_id=questionnaire_id)


def test_start_page_says_who_why_how_long_and_privacy(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016")
    text = resident.soup.get_text(" ", strip=True)
    assert resident.response is not None and resident.response.status_code == 200
    assert "Who runs this survey" in text and "SaferMK Partnership" in text
    assert "How long it takes" in text and "minutes" in text
    assert "Your privacy" in text
    assert resident.soup.select_one("form button.govuk-button--start") is not None


def test_index_lists_every_bundled_questionnaire(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/").get_data(as_text=True)
    assert "/s/safermk-2016" in page and "/s/tenant-satisfaction" in page


def test_first_page_has_section_caption_back_link_and_one_question(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    assert resident.question is not None and resident.question.id == resident.q.questions[0].id
    caption = resident.soup.select_one("h1 .govuk-caption-l")
    assert caption is not None and caption.get_text(strip=True) == "Section 1 of 6"
    back = resident.soup.select_one("a.govuk-back-link")
    assert back is not None and back["href"] == "/s/safermk-2016"
    assert len(resident.soup.select("main fieldset")) == 1


def test_complete_journey_is_stored_once_with_version_channel_and_no_timestamps(
    app: Flask, respondent: MakeRespondent
) -> None:
    from tests.integration.respond.test_channel_codes import make_channel

    make_channel(app, "library1")  # only a channel staff created is recorded (in lower case)
    resident = respondent()
    resident.start(channel="LIBRARY1")
    resident.walk({"respondent_type": "resident", "victim_any": "no"})
    assert resident.heading == "Check your answers before sending them"
    resident.submit()
    assert resident.path == "/s/safermk-2016/done"
    assert "Your answers have been sent" in resident.soup.get_text()
    rows = stored(app)
    assert len(rows) == 1
    row = rows[0]
    assert row["status"] == "complete" and row["channel"] == "library1" and row["mode"] == "online"
    assert row["questionnaire_version"] == resident.q.version
    assert str(row["completed_on"]) == "2026-06-01" and str(row["started_on"]) == "2026-06-01"
    duration = row["duration_seconds"]
    assert isinstance(duration, int) and 0 <= duration < 600
    answers = row["answers"]
    assert isinstance(answers, dict) and answers["respondent_type"] == "resident"
    assert "victim_types" not in answers
    assert set(answers) <= {q.id for q in resident.q.questions}


def test_back_link_goes_to_the_previous_visible_page(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.answer("business")  # respondent_type: the ward and tenure pages are skipped
    assert resident.question is not None and resident.question.id == "sex"
    back = resident.soup.select_one("a.govuk-back-link")
    assert back is not None
    resident.get(str(back["href"]))
    assert resident.question is not None and resident.question.id == "respondent_type"
    checked = resident.soup.select_one("input[name=answer][checked]")
    assert checked is not None and checked["value"] == "business"


def test_cannot_jump_ahead_by_editing_the_url(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.get("/s/safermk-2016/p/20")
    assert resident.question is not None and resident.question.id == "respondent_type"


def test_unknown_page_number_and_questionnaire_are_404_pages(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    response = resident.get("/s/safermk-2016/p/999")
    assert response.status_code == 404 and resident.heading == "Page not found"
    response = resident.get("/s/no-such-survey")
    assert response.status_code == 404


def test_page_without_a_journey_goes_to_the_start_page(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016/p/1")
    assert resident.path == "/s/safermk-2016"


def test_incomplete_journey_is_kept_with_last_question(app: Flask, respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor"}, stop_at="ethnic_group")
    rows = stored(app)
    assert len(rows) == 1 and rows[0]["status"] == "in_progress"
    assert rows[0]["last_question"] == "age" and rows[0]["completed_on"] is None


def test_malformed_channel_code_is_ignored(app: Flask, respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start(channel="%3Cscript%3E")
    resident.walk({})
    resident.submit()
    assert [r["channel"] for r in stored(app)] == [None]


def test_start_page_of_a_journey_in_progress_offers_to_continue(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.answer("visitor")
    resident.get("/s/safermk-2016")
    button = resident.soup.select_one("a.govuk-button--start")
    assert button is not None and button.get_text(strip=True).startswith("Continue")
    resident.get(str(button["href"]))
    assert resident.question is not None and resident.question.id == "sex"
