"""Security headers, cookies, CSRF expiry, and bad input that must never lose answers or give a 500."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from itsdangerous import TimestampSigner

from survey.store import repository
from survey.store.db import get_session
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]


def _answers(app: Flask) -> dict[str, Any]:
    with app.app_context():
        rows = repository.responses_for_report(session=get_session(), questionnaire_id="safermk-2016")
    answers = rows[0]["answers"]
    assert isinstance(answers, dict)
    return answers


def test_pages_send_a_strict_content_security_policy_and_no_store(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    assert resident.response is not None
    headers = resident.response.headers
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style_and_no_third_party_asset(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor", "victim_any": "no"}, stop_at="da_know_help")
    for soup in (resident.soup,):
        for script in soup.find_all("script"):
            assert script.get("src"), "inline script found"
            assert str(script["src"]).startswith("/assets/")
        assert soup.find("style") is None and soup.find(attrs={"style": True}) is None
        for tag in soup.find_all(["link", "img"]):
            url = str(tag.get("href") or tag.get("src"))
            assert url.startswith(("/", "data:")), f"third-party or absolute asset: {url}"


def _fetch(client, path: str) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    with client.get(path) as response:
        return response.status_code, response.get_data()


def test_assets_are_served_by_the_app(client) -> None:  # type: ignore[no-untyped-def]
    status, css = _fetch(client, "/assets/css/survey.css")
    assert status == 200 and b".govuk-button" in css and b"GDS Transport" not in css
    assert b"arial" in css.lower()
    status, js = _fetch(client, "/assets/js/govuk-frontend.min.js")
    assert status == 200 and b"initAll" in js
    status, own = _fetch(client, "/assets/js/survey.js")
    assert status == 200 and b"initAll()" in own
    assert _fetch(client, "/assets/brand/1d70b8.css")[1].startswith(b".app-header")
    assert _fetch(client, "/assets/brand/red;x.css")[0] == 404


def test_session_cookie_is_httponly_and_samesite_lax(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016")
    assert resident.response is not None
    cookie = resident.response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


@pytest.mark.parametrize("app_config", [{"SESSION_COOKIE_SECURE": True}])
def test_cookie_is_secure_when_configured(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016")
    assert resident.response is not None
    assert "Secure" in resident.response.headers["Set-Cookie"]
    assert "Strict-Transport-Security" in resident.response.headers


def test_missing_csrf_token_gets_a_kind_timed_out_page(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    here = resident.path
    response = resident.post(here, {"answer": "resident"}, csrf=False)
    assert response.status_code == 400  # refused (third review: it was a 200), with a kind page
    assert resident.heading == "Sorry, your session has timed out"
    link = resident.soup.find("a", string=re.compile("Go back and try again"))
    assert link is not None and link["href"] == here


def test_expired_csrf_token_gets_the_timed_out_page(
    respondent: MakeRespondent, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident = respondent()
    resident.start()
    token = resident.csrf_token()
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 5 * 3600)
    response = resident.post(resident.path, {"answer": "resident", "csrf_token": token})
    assert response.status_code == 400 and resident.heading == "Sorry, your session has timed out"


def test_code_that_is_not_an_option_gets_the_page_back_with_an_error(
    app: Flask, respondent: MakeRespondent
) -> None:
    resident = respondent()
    resident.start()
    resident.answer("visitor")
    resident.answer_raw({"answer": "martian"})  # sex: not one of the options
    assert resident.question is not None and resident.question.id == "sex"
    assert resident.error_summary and resident.error_summary[0].startswith("Select")
    assert resident.title.startswith("Error: ")
    assert resident.soup.select_one(".govuk-error-message") is not None
    assert _answers(app) == {"respondent_type": "visitor"}  # nothing already answered is lost


def test_text_in_a_number_field_keeps_what_was_typed(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor"}, stop_at="age")
    resident.answer_raw({"answer": "forty two"})
    assert resident.question is not None and resident.question.id == "age"
    assert resident.error_summary and "whole number" in resident.error_summary[0]
    field = resident.soup.select_one("input#answer")
    assert field is not None and field["value"] == "forty two"


def test_too_long_text_is_refused_and_kept_for_editing(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor"}, stop_at="concerns_text")
    question = resident.question
    assert question is not None
    long_text = "x" * (question.max_length + 1)
    resident.answer_raw({"answer": long_text})
    assert resident.error_summary == [f"Your answer must be {question.max_length} characters or fewer"]
    area = resident.soup.select_one("textarea#answer")
    assert area is not None and area.get_text() == long_text


def test_free_text_is_stored_as_typed_and_escaped_when_shown(app: Flask, respondent: MakeRespondent) -> None:
    typed = '<script>alert("x")</script> & “quotes”\nsecond line'
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor", "concerns_text": typed})
    assert _answers(app)["concerns_text"] == typed
    page = resident.response.get_data(as_text=True) if resident.response else ""
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_forged_fields_are_ignored(app: Flask, respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.answer_raw(
        {
            "answer": "visitor",
            "status": "complete",
            "ward": "bletchley_east",
            "item-burglary": "very_concerned",
        }
    )
    assert _answers(app) == {"respondent_type": "visitor"}


def test_rating_with_a_forged_scale_code_names_the_item(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    resident.walk({"respondent_type": "visitor"}, stop_at="concern")
    question = resident.question
    assert question is not None and question.type == "rating"
    data = {f"item-{item.id}": question.options[0].code for item in question.items}
    data[f"item-{question.items[0].id}"] = "extremely"
    resident.answer_raw(data)
    assert len(resident.error_summary) == 1
    link = resident.soup.select_one(".govuk-error-summary__list a")
    assert link is not None and link["href"] == f"#item-{question.items[0].id}"
    assert resident.soup.select_one(f"#item-{question.items[0].id}") is not None
    legends = resident.soup.select("fieldset legend")
    assert len(legends) == len(question.items)  # one fieldset per item, never a grid
    assert resident.soup.find("table") is None


def test_oversized_request_gets_a_page_not_a_crash(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.start()
    response = resident.client.post(
        resident.path, data={"answer": "x" * 400_000, "csrf_token": resident.csrf_token()}
    )
    assert response.status_code == 413 and b"Your answer is too long" in response.data


def test_get_with_a_wrong_method_or_odd_url_is_not_a_500(client) -> None:  # type: ignore[no-untyped-def]
    assert client.post("/s/safermk-2016/done").status_code in {405, 200}
    assert client.get("/s/safermk-2016/p/abc").status_code == 404
    assert client.get("/s/safermk-2016/p/0").status_code in {302, 404}


def test_timed_out_start_or_save_links_back_to_the_start_page(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016")
    response = resident.post("/s/safermk-2016/start", {}, csrf=False)
    assert response.status_code == 400 and resident.heading == "Sorry, your session has timed out"
    link = resident.soup.find("a", string=re.compile("Go back and try again"))
    assert link is not None and link["href"] == "/s/safermk-2016"
