"""Staff forms: a refused form names each problem in the GOV.UK error summary, each entry links to a field
on the page, that field shows the message, and what was typed is shown again (passwords excepted)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.helpers import csrf_of

QID = "safermk-2016"
PAGE = f"/staff/questionnaires/{QID}"
CODEBOOK = f"/staff/themes/{QID}/codebook"

# (page with the form, where it posts, what is sent (a file as (bytes, name)), the messages expected,
# field id -> value shown again)
CASES: dict[str, tuple[str, str, dict[str, Any], list[str], dict[str, str]]] = {
    "password": (
        "/staff/password",
        "/staff/password",
        {"current_password": "", "new_password": "short"},
        ["Enter your current password", "Password must be 12 characters or more"],
        {},
    ),
    "channel": (
        "/staff/channels/new",
        "/staff/channels/new",
        {"partner_name": "  Housing   trust A ", "medium": "poster", "label": "", "code": "X"},
        [
            "Select the questionnaire this link opens",
            "Enter a label, for example 'Posters in community centres'",
            "Short code must be 3 to 32 letters, numbers or hyphens, and start and end with a letter or "
            "number",
        ],
        {"partner_name": "Housing trust A", "code": "x"},
    ),
    "dates": (
        PAGE,
        f"{PAGE}/dates",
        {"opens-day": "3", "opens-month": "", "opens-year": "2027"},
        ["Opening date must include a month"],
        {"opens-day": "3", "opens-month": "", "opens-year": "2027"},
    ),
    "close": (PAGE, f"{PAGE}/close", {}, ["Select ‘Yes, close it now’ to confirm"], {}),
    "retention": (
        PAGE,
        f"{PAGE}/retention",
        {"retention-day": "31", "retention-month": "2", "retention-year": "2028"},
        [
            "Retention date must be a real date, for example 27 3 2027",
            "Select what is deleted on the retention date",
        ],
        {"retention-day": "31", "retention-month": "2"},
    ),
    "erase": (
        "/staff/responses/erase",
        "/staff/responses/erase",
        {"response_id": "12a"},
        ["Enter the response number as a whole number, like 1234"],
        {"response_id": "12a"},
    ),
    "theme": (
        f"{CODEBOOK}/themes/new",
        f"{CODEBOOK}/themes/new",
        {"base_version": "1.0.0", "theme_id": "burglary", "label": "", "keywords": "", "phrases": "a road"},
        [
            "The codebook already has a theme with the id burglary: choose another",
            "Enter the theme's name",
        ],
        {"theme_id": "burglary"},
    ),
    "publish": (
        "/staff/questionnaires/publish",
        "/staff/questionnaires/publish",
        {},
        ["Select a questionnaire file"],
        {},
    ),
    "spreadsheet": (
        "/staff/questionnaires/publish-spreadsheet",
        "/staff/questionnaires/publish-spreadsheet",
        {"workbook": (b"not a workbook", "q.xlsx")},
        ["The selected spreadsheet has problems: see the list below"],
        {},
    ),
}


def _summary(page: BeautifulSoup) -> list[tuple[str, str]]:
    return [
        (a.get_text(" ", strip=True), str(a["href"])) for a in page.select(".govuk-error-summary__list a")
    ]


@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_staff_form_links_each_message_to_its_field_and_keeps_the_input(
    staff_client: Callable[..., FlaskClient], case: str
) -> None:
    shown_at, posted_to, data, messages, kept = CASES[case]
    admin = staff_client("admin")
    token = csrf_of(admin.get(shown_at))
    files = {k: (io.BytesIO(v[0]), v[1]) for k, v in data.items() if isinstance(v, tuple)}
    response: TestResponse = admin.post(
        posted_to, data={**data, **files, "csrf_token": token}, content_type="multipart/form-data"
    )
    assert response.status_code in (200, 400)
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.title is not None and page.title.get_text().startswith("Error: ")
    listed = _summary(page)
    assert [text for text, _ in listed] == messages
    for text, href in listed:
        target = page.find(id=href.removeprefix("#"))
        assert target is not None, f"{text!r} links to {href}, which is not on the page"
        group = target.find_parent(class_="govuk-form-group--error")
        assert group is not None and text in group.get_text(" ", strip=True), f"{href} does not show {text!r}"
    for field_id, value in kept.items():
        field = page.find(id=field_id)
        assert field is not None and field.get("value", "") == value, (field_id, field)
    assert all(field.get("value", "") == "" for field in page.select("input[type=password]"))


def test_a_failed_sign_in_lists_its_message_once_and_keeps_the_email(client: FlaskClient) -> None:
    token = csrf_of(client.get("/staff/sign-in"))
    response = client.post(
        "/staff/sign-in", data={"csrf_token": token, "email": " nobody@example.gov.uk ", "password": "guess"}
    )
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert _summary(page) == [("Enter a correct email address and password", "#email")]
    assert len(page.select(".govuk-error-message")) == 2  # on the email and the password field
    email, password = page.find(id="email"), page.find(id="password")
    assert email is not None and email["value"] == "nobody@example.gov.uk"
    assert password is not None and password.get("value", "") == ""


def test_a_stale_theme_removal_links_to_the_list_of_themes(staff_client: Callable[..., FlaskClient]) -> None:
    analyst = staff_client("analyst")
    token = csrf_of(analyst.get(CODEBOOK))
    response = analyst.post(
        f"{CODEBOOK}/themes/burglary/remove", data={"csrf_token": token, "base_version": "0.9.0"}
    )
    assert response.status_code == 409
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    [(text, href)] = _summary(page)
    assert text.startswith("The codebook changed while you were working") and href == "#themes"
    assert page.find(id="themes") is not None
