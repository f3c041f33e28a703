"""Before opening, after closing, and a journey in progress when the survey closes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from flask import Flask

from survey.store import repository
from survey.store.db import get_session
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]


def _set_dates(app: Flask, opens: date | None, closes: date | None) -> None:
    with app.app_context():
        repository.set_questionnaire_dates(
            session=get_session(), questionnaire_id="safermk-2016", opens=opens, closes=closes
        )


def test_before_opening_the_start_page_says_when_it_opens(app: Flask, respondent: MakeRespondent) -> None:
    _set_dates(app, date(2026, 7, 1), date(2026, 8, 31))
    resident = respondent()
    resident.get("/s/safermk-2016")
    assert resident.heading == "This survey is not open yet"
    assert "This survey opens on 1 July 2026." in resident.soup.get_text()
    assert resident.soup.find("form") is None


def test_after_closing_the_start_page_says_when_it_closed(app: Flask, respondent: MakeRespondent) -> None:
    _set_dates(app, date(2026, 5, 1), date(2026, 5, 31))
    resident = respondent()
    resident.get("/s/safermk-2016")
    assert resident.heading == "This survey has closed"
    assert "This survey closed on 31 May 2026." in resident.soup.get_text()


def test_open_survey_shows_its_closing_date(app: Flask, respondent: MakeRespondent) -> None:
    _set_dates(app, None, date(2026, 6, 30))
    resident = respondent()
    resident.get("/s/safermk-2016")
    assert "This survey closes on 30 June 2026." in resident.soup.get_text()


def test_journey_cannot_be_sent_after_the_close(app: Flask, respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor"})
    token = resident.csrf_token()
    _set_dates(app, None, date(2026, 5, 31))  # closes while the resident checks their answers
    resident.post("/s/safermk-2016/check", {"csrf_token": token})
    assert resident.heading == "This survey has closed"
    assert "Your answers were not sent" in resident.soup.get_text()
    with app.app_context():
        rows = repository.responses_for_report(session=get_session(), questionnaire_id="safermk-2016")
    assert [r["status"] for r in rows] == ["in_progress"] and rows[0]["completed_on"] is None


def test_double_submit_stores_one_response(app: Flask, respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "resident"})
    token = resident.csrf_token()
    cookie = resident.client.get_cookie("survey_session")
    assert cookie is not None
    first = resident.client.post("/s/safermk-2016/check", data={"csrf_token": token})
    resident.client.set_cookie("survey_session", cookie.value)  # the second click carries the old cookie
    second = resident.client.post("/s/safermk-2016/check", data={"csrf_token": token})
    third = resident.client.post("/s/safermk-2016/check", data={"csrf_token": token})  # resent later
    for response in (first, second, third):
        assert response.status_code == 302
        assert response.headers["Location"] == "/s/safermk-2016/done"
    with app.app_context():
        rows = repository.responses_for_report(session=get_session(), questionnaire_id="safermk-2016")
    assert [r["status"] for r in rows] == ["complete"]


def test_responses_for_report_as_of_a_date(app: Flask, respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({})
    resident.submit()
    with app.app_context():
        before = repository.responses_for_report(
            session=get_session(), questionnaire_id="safermk-2016", as_of=date(2026, 5, 31)
        )
        on_the_day = repository.responses_for_report(
            session=get_session(), questionnaire_id="safermk-2016", as_of=date(2026, 6, 1)
        )
    assert before == []
    assert [r["status"] for r in on_the_day] == ["complete"]
    assert set(on_the_day[0]) == {
        "id",
        "questionnaire_version",
        "channel",
        "mode",
        "status",
        "started_on",
        "completed_on",
        "duration_seconds",
        "last_question",
        "answers",
    }


def test_concurrent_submits_of_one_journey_store_one_response(app: Flask, respondent: MakeRespondent) -> None:
    from concurrent.futures import ThreadPoolExecutor

    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor"})
    token = resident.csrf_token()
    cookie = resident.client.get_cookie("survey_session")
    assert cookie is not None

    def send(_: int) -> tuple[int, str]:
        browser = app.test_client()  # the same browser session, sent several times at once
        browser.set_cookie("survey_session", cookie.value)
        response = browser.post("/s/safermk-2016/check", data={"csrf_token": token})
        return response.status_code, response.headers.get("Location", "")

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(send, range(4)))
    assert results == [(302, "/s/safermk-2016/done")] * 4
    with app.app_context():
        rows = repository.responses_for_report(session=get_session(), questionnaire_id="safermk-2016")
    assert [r["status"] for r in rows] == ["complete"]
