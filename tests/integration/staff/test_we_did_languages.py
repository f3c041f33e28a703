""" "We did" updates in the questionnaire's languages, marked with their language when untranslated; the home
page in the page's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.store import repository
from survey.store.db import get_engine
from tests.helpers import post_form
from tests.integration.staff.themes_helpers import audit_actions

QID = "council-budget-2027"  # English and Welsh
STAFF = f"/staff/results/{QID}"


def _write(analyst: FlaskClient, title: str, day: str) -> int:
    sent = post_form(
        analyst, f"{STAFF}/we-did", STAFF, on=[day, "5", "2026"], title=title, body=f"{title}.\n\nMore."
    )
    assert sent.status_code == 302
    page = BeautifulSoup(analyst.get(STAFF).get_data(as_text=True), "html.parser")
    found = [
        int(a["href"].split("/")[-2]) for a in page.select("a[href$='/languages']") if title in a.get_text()
    ]
    assert found, page.get_text()[:1000]
    return found[0]


def test_a_we_did_update_is_written_in_welsh_and_an_untranslated_one_is_marked_english(
    app: Flask, staff_client: Callable[..., FlaskClient], client: FlaskClient
) -> None:
    analyst = staff_client("analyst")
    translated = _write(analyst, "Library hours kept", "10")
    _write(analyst, "Bus routes reviewed", "12")
    languages = f"{STAFF}/we-did/{translated}/languages"
    form = BeautifulSoup(analyst.get(languages).get_data(as_text=True), "html.parser")
    assert form.select_one("#title_cy") is not None and form.select_one("#body_cy") is not None
    half = post_form(analyst, languages, languages, title_cy="Oriau llyfrgell", body_cy="")
    assert half.status_code == 400
    assert "Say what was done in Cymraeg" in half.get_data(as_text=True)
    saved = post_form(
        analyst,
        languages,
        languages,
        title_cy="Oriau llyfrgell wedi'u cadw",
        body_cy="Fe wnaethom ni.\n\nMwy.",
    )
    assert saved.status_code == 302
    [event] = audit_actions(app, "results.we_did_translated")
    assert event.details["languages"] == ["cy"]

    welsh = client.get(f"/s/{QID}/results?lang=cy", follow_redirects=True)
    page = BeautifulSoup(welsh.get_data(as_text=True), "html.parser")
    assert page.html["lang"] == "cy"  # type: ignore[index]
    headings = {
        h.get_text(strip=True): h.get("lang") for h in page.select("#we-did ~ .app-we-did h3, .app-we-did h3")
    }
    assert headings["Oriau llyfrgell wedi'u cadw"] is None  # Welsh on a Welsh page: no lang of its own
    assert headings["Bus routes reviewed"] == "en"  # not translated: shown in English, marked so
    assert "Library hours kept" not in page.get_text()
    english = BeautifulSoup(
        client.get(f"/s/{QID}/results?lang=en", follow_redirects=True).get_data(as_text=True), "html.parser"
    )
    english_headings = {h.get_text(strip=True): h.get("lang") for h in english.select(".app-we-did h3")}
    assert english_headings == {"Library hours kept": None, "Bus routes reviewed": None}


def test_the_home_page_speaks_the_page_language(client: FlaskClient) -> None:
    english = BeautifulSoup(client.get("/").get_data(as_text=True), "html.parser")
    welsh_page = client.get("/?lang=cy", follow_redirects=True)
    welsh = BeautifulSoup(welsh_page.get_data(as_text=True), "html.parser")
    assert welsh.html["lang"] == "cy"  # type: ignore[index]
    assert welsh.h1.get_text(strip=True) != english.h1.get_text(strip=True)  # type: ignore[union-attr]
    titles = {
        a.get_text(strip=True): a.get("lang") for a in welsh.select("main li > a:first-child, main li > span")
    }
    assert titles.get("Ymgynghoriad ar gyllideb Cyngor Sir Enghreifftiol 2027 i 2028") is None  # in Welsh
    # A survey with no Welsh title keeps its English one, marked as English.
    assert any(lang == "en" for lang in titles.values()), titles


def test_a_closed_consultations_results_page_does_not_invite_people_to_answer(
    app: Flask, client: FlaskClient
) -> None:
    open_page = client.get(f"/s/{QID}/results").get_data(as_text=True)
    assert "takes about 6 minutes" in open_page  # still open: the whole description
    with app.app_context(), Session(get_engine()) as session:
        repository.set_questionnaire_dates(
            session=session, questionnaire_id=QID, opens=None, closes=date(2026, 5, 1)
        )
    closed = client.get(f"/s/{QID}/results").get_data(as_text=True)
    assert "takes about" not in closed
    assert "Tell us which services matter most to you" in closed  # why it was asked stays
