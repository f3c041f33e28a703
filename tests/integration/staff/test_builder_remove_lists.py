"""Removing a support contact or a census mapping asks first, like removing a question (GOV.UK's "Are you
sure you want to remove …?", Yes or No, no JavaScript needed), is audited as `draft.remove`, and a place in
the list that is no longer there (or holds another entry since the page was opened) removes nothing and says
so."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.helpers import csrf_of, soup
from tests.integration.staff.test_builder import (
    draft_of,
    field_error,
    new_draft,
    post,
    words,
)
from tests.integration.staff.test_builder_remove import removals

VICTIM_SUPPORT = {"name": "Victim Support", "phone": "0808 168 9111"}
SAMARITANS = {"name": "Samaritans", "phone": "116 123"}


def answer(client: FlaskClient, url: str, confirm: str | None, **extra: str) -> TestResponse:
    """Open the page that asks, then answer it with what the page's form carries (its hidden fields)."""
    page = client.get(url)
    hidden = {i["name"]: i.get("value", "") for i in soup(page).select("form input[type=hidden]")}
    data: dict[str, Any] = {**hidden, "csrf_token": csrf_of(page), **extra}
    if confirm is not None:
        data["confirm"] = confirm
    return client.post(url, data=data)


def with_contacts(client: FlaskClient) -> tuple[int, str]:
    draft_id = new_draft(client)
    base = f"/staff/builder/{draft_id}"
    for contact in (VICTIM_SUPPORT, SAMARITANS):
        assert post(client, f"{base}/support", contact).status_code == 302
    post(client, f"{base}/sections/section_1/questions/new", {"qtype": "info", "text": "Before you go on"})
    post(
        client,
        f"{base}/questions/before_you_go_on",
        {"text": "Before you go on", "style": "interruption", "body": "Some questions are about crime.",
         "show_support_contacts": "y"},
    )  # fmt: skip
    return draft_id, base


def names(app: Flask, draft_id: int) -> list[str]:
    return [c["name"] for c in draft_of(app, draft_id).get("support_contacts", [])]


def test_removing_a_support_contact_asks_first_and_no_keeps_it(
    admin: FlaskClient,
    app: Flask,
) -> None:
    draft_id, base = with_contacts(admin)
    url = f"{base}/support/0/remove"
    listing = soup(admin.get(f"{base}/support"))
    assert listing.find("a", href=url) is not None  # a link to the page that asks, not a removal
    assert listing.find("button", attrs={"name": "action"}) is None

    page = admin.get(url)
    assert page.status_code == 200
    assert soup(page).h1.get_text() == "Are you sure you want to remove the support contact ‘Victim Support’?"
    assert "No condition or other text in this questionnaire refers to it" in words(page)
    assert soup(page).find("a", class_="govuk-back-link")["href"] == f"{base}/support"

    unanswered = answer(admin, url, None)
    assert unanswered.status_code == 400
    assert "Select yes if you want to remove the support contact ‘Victim Support’" in field_error(
        unanswered, "confirm"
    )
    kept = answer(admin, url, "no")
    assert kept.status_code == 302 and kept.headers["Location"] == f"{base}/support"
    assert names(app, draft_id) == ["Victim Support", "Samaritans"] and removals(app) == []

    done = answer(admin, url, "yes")
    assert done.status_code == 302 and done.headers["Location"] == f"{base}/support"
    assert names(app, draft_id) == ["Samaritans"]
    assert "The support contact ‘Victim Support’ was removed" in words(admin.get(f"{base}/support"))
    [event] = removals(app)
    assert (event["removed"], event["id"], event["position"]) == ("support contact", "Victim Support", 1)


def test_removing_the_last_support_contact_names_the_pages_that_show_them(
    admin: FlaskClient,
    app: Flask,
) -> None:
    draft_id, base = with_contacts(admin)
    answer(admin, f"{base}/support/1/remove", "yes")
    url = f"{base}/support/0/remove"
    page = admin.get(url)
    dependents = " ".join(soup(page).find(id="dependents").get_text(" ").split())
    assert "Page ‘Before you go on’ shows the support contacts, and there would be none" in dependents
    assert (
        soup(page)
        .find(id="dependents")
        .find("a", href=f"{base}/questions/before_you_go_on#show_support_contacts")
    )
    done = answer(admin, url, "yes")
    assert done.headers["Location"] == f"{base}#problems"
    assert "support_contacts" not in draft_of(app, draft_id)
    assert "(NO_SUPPORT_CONTACTS)" in words(admin.get(base))
    assert removals(app)[-1]["left_referring"] == [
        "Page ‘Before you go on’ shows the support contacts, and there would be none"
    ]


def test_removing_a_census_mapping_asks_first(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "single", "text": "Sex"})
    for label in ("Female", "Male"):
        post(admin, f"{base}/questions/sex/options", {"label": label})
    post(admin, f"{base}/demographics", {"question": "sex", "dimension": "sex_age16to74"})
    post(admin, f"{base}/demographics/0", {"o0": "Female", "o1": "Male"})
    url = f"{base}/demographics/0/remove"
    assert soup(admin.get(f"{base}/demographics")).find("a", href=url) is not None

    page = admin.get(url)
    assert (
        soup(page).h1.get_text()
        == "Are you sure you want to remove the census mapping of ‘Sex’ onto sex_age16to74?"
    )
    kept = answer(admin, url, "no")
    assert kept.headers["Location"] == f"{base}/demographics"
    assert len(draft_of(app, draft_id)["demographics"]) == 1 and removals(app) == []
    # A list page from before the Remove links: its button leads to the page that asks, and removes nothing.
    old_button = post(admin, f"{base}/demographics", {"action": "remove:0"})
    assert old_button.headers["Location"] == url and len(draft_of(app, draft_id)["demographics"]) == 1

    done = answer(admin, url, "yes")
    assert done.headers["Location"] == f"{base}/demographics"
    assert "demographics" not in draft_of(app, draft_id)
    [event] = removals(app)
    assert (event["removed"], event["id"], event["question"]) == ("census mapping", "sex_age16to74", "sex")


def test_a_place_no_longer_in_the_list_removes_nothing_and_says_so(
    admin: FlaskClient,
    app: Flask,
) -> None:
    draft_id, base = with_contacts(admin)
    missing = admin.get(f"{base}/support/2/remove")
    assert missing.status_code == 404 and "This draft has no support contact 3" in words(missing)
    token = csrf_of(admin.get(f"{base}/support"))
    refused = admin.post(f"{base}/support/7/remove", data={"confirm": "yes", "csrf_token": token})
    assert refused.status_code == 404
    mapping = admin.get(f"{base}/demographics/0/remove")
    assert mapping.status_code == 404 and "This draft has no census mapping 1" in words(mapping)
    assert admin.get(f"{base}/support/{'9' * 5000}/remove").status_code == 404  # past int()'s limit

    for action in ("remove:2", "remove:99999", "remove:abc", "remove:-1", "remove:"):
        stale = post(admin, f"{base}/support", {"action": action})
        assert stale.status_code == 302 and stale.headers["Location"] == f"{base}/support", action
        assert "That entry is no longer in the list: nothing was removed" in words(
            admin.get(f"{base}/support")
        )
    assert names(app, draft_id) == ["Victim Support", "Samaritans"] and removals(app) == []


def test_a_list_changed_after_the_page_asked_removes_nothing(
    admin: FlaskClient,
    app: Flask,
) -> None:
    """Someone else removes Victim Support while the page asking about it is open: Samaritans is now first,
    and the open page's "Yes" must not remove it."""
    draft_id, base = with_contacts(admin)
    url = f"{base}/support/0/remove"
    page = admin.get(url)
    seen = soup(page).find("input", attrs={"name": "seen"})["value"]
    assert answer(admin, url, "yes").status_code == 302  # the other member of staff
    assert names(app, draft_id) == ["Samaritans"]

    late = admin.post(url, data={"confirm": "yes", "seen": seen, "csrf_token": csrf_of(page)})
    assert late.status_code == 302 and late.headers["Location"] == f"{base}/support"
    assert names(app, draft_id) == ["Samaritans"]
    assert "Nothing was removed: the support contacts changed after that page was opened" in words(
        admin.get(f"{base}/support")
    )
    no_seen = admin.post(url, data={"confirm": "yes", "csrf_token": csrf_of(page)})
    assert no_seen.status_code == 302 and names(app, draft_id) == ["Samaritans"]
    assert len(removals(app)) == 1
