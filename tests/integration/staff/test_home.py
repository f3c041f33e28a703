"""The staff home page lists the pages each role can open, and no actions or downloads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient

PAGES = {
    "admin": [
        "Audit trail",
        "Channels",
        "Erase a response",
        "Live dashboard",
        "Moderation",
        "Paper and phone responses",
        "Public results",
        "Questionnaires",
        "Reports and exports",
        "Retention and erasure",
        "Staff accounts",
        "Themes in free text",
        "Two-factor sign-in for your account",
        "Who we still need to hear from",
        "Your jobs",
    ],
    "analyst": [
        "Channels",
        "Live dashboard",
        "Moderation",
        "Paper and phone responses",
        "Public results",
        "Questionnaires",
        "Reports and exports",
        "Themes in free text",
        "Two-factor sign-in for your account",
        "Who we still need to hear from",
        "Your jobs",
    ],
    "partner": ["Channels", "Two-factor sign-in for your account", "Who we still need to hear from"],
}


@pytest.mark.parametrize("role", sorted(PAGES))
def test_home_lists_only_pages_the_role_may_open(staff_client: Callable[..., FlaskClient], role: str) -> None:
    browser = staff_client(role)
    home = BeautifulSoup(browser.get("/staff/").get_data(as_text=True), "html.parser")
    links = home.select(".app-task-list a")
    assert [a.get_text(strip=True) for a in links] == PAGES[role]
    for link in links:  # each is a page the role can open (not a 403, not a file)
        opened = browser.get(str(link["href"]))
        assert opened.status_code == 200 and opened.mimetype == "text/html", link["href"]
    text = home.get_text(" ", strip=True)
    assert "Create a tracked link" not in text and "Download the filtered audit trail" not in text
