"""Error pages on staff pages speak to staff: timed-out page links to the staff area; the 500 page's words."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from survey.staff.auth import login_required
from tests.helpers import csrf_of, soup


def test_a_timed_out_staff_form_links_back_to_the_staff_area(
    staff_client: Callable[..., FlaskClient],
) -> None:
    admin = staff_client("admin")
    page = "/staff/questionnaires/safermk-2016"
    assert csrf_of(admin.get(page))
    sent = admin.post(
        f"{page}/dates",
        data={"opens-day": "1", "opens-month": "6", "opens-year": "2026", "csrf_token": "expired-or-forged"},
    )
    # Refused, as the residents' timed-out page is (it was a 200 until the third review).
    assert sent.status_code == 400
    parsed = soup(sent)
    assert parsed.h1 is not None and parsed.h1.get_text(strip=True) == "Sorry, your session has timed out"
    link = parsed.find("a", string="Go back to the staff area and try again")
    assert link is not None and link["href"] == "/staff/"
    body = parsed.get_text(" ", strip=True)
    assert "Nothing on the form you sent was saved" in body and "answers you already gave" not in body


def test_a_timed_out_sign_in_form_links_back_to_the_staff_area(app: Flask) -> None:
    sent = app.test_client().post("/staff/sign-in", data={"email": "a@example.gov.uk", "password": "x"})
    link = soup(sent).find("a", string="Go back to the staff area and try again")
    assert link is not None and link["href"] == "/staff/"


def test_the_residents_timed_out_page_still_links_to_their_survey(app: Flask) -> None:
    sent = app.test_client().post("/s/safermk-2016/start", data={})
    link = soup(sent).find("a", string="Go back and try again")
    assert sent.status_code == 400 and link is not None and link["href"] == "/s/safermk-2016"


def test_a_failure_on_a_staff_page_says_nothing_saved_was_lost(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    def broken() -> str:
        raise RuntimeError("the database went away")

    app.add_url_rule("/staff/broken-for-test", "staff.broken_for_test", login_required(broken))
    app.add_url_rule("/s/broken-for-test", "respond.broken_for_test", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the handler's page, not the traceback
    admin = staff_client("admin")
    failed = admin.get("/staff/broken-for-test")
    assert failed.status_code == 500
    parsed = soup(failed)
    assert parsed.h1 is not None
    assert parsed.h1.get_text(strip=True) == "Sorry, there is a problem with the service"
    body = parsed.get_text(" ", strip=True)
    assert "Nothing you saved before this has been lost" in body and "Your answers so far" not in body
    assert parsed.find("a", href="/staff/") is not None
    resident = app.test_client().get("/s/broken-for-test")
    assert resident.status_code == 500
    assert "Your answers so far have been kept" in resident.get_data(as_text=True)
