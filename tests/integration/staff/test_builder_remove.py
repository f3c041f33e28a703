"""Removing from a draft asks first (GOV.UK's "Are you sure you want to remove …?", no JavaScript needed),
says what the removal means, is audited, and what is left referring to the removed thing is named by the
engine's checks at the field to change."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from survey.store.db import get_engine
from survey.store.models_staff import AuditEvent
from tests.helpers import soup
from tests.integration.staff.test_builder import (
    build_branching,
    draft_of,
    field_error,
    new_draft,
    post,
    words,
)

VICTIM = "have_you_been_a_victim_of_crime"


def removals(app: Flask) -> list[dict[str, Any]]:
    with Session(get_engine(app)) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "draft.remove")).all()
        return [dict(e.details or {}) for e in events]


def question_ids(app: Flask, draft_id: int) -> list[str]:
    return [q["id"] for s in draft_of(app, draft_id)["sections"] for q in s["questions"]]


def test_removing_a_question_asks_first_and_names_the_condition_left_broken(
    admin: FlaskClient,
    app: Flask,
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    # Another question in section 1, so that removing the first leaves no empty section to fix first.
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "text", "text": "Where do you live?"})
    url = f"{base}/questions/{VICTIM}/remove"
    overview = soup(admin.get(base))
    assert (
        overview.find("tr", id=VICTIM).find("a", href=url) is not None
    )  # a link to the question, not a removal

    page = admin.get(url)
    assert page.status_code == 200
    assert (
        soup(page).h1.get_text()
        == "Are you sure you want to remove the question ‘Have you been a victim of crime?’?"
    )
    dependents = " ".join(soup(page).find(id="dependents").get_text(" ").split())
    assert "1 thing in this questionnaire refers to it" in dependents
    assert "When question ‘What happened?’ is shown: it looks at the answer to it" in dependents
    assert soup(page).find(id="dependents").find("a", href=f"{base}/conditions/what_happened") is not None

    unanswered = post(admin, url, {})
    assert unanswered.status_code == 400
    assert "Select yes if you want to remove the question ‘Have you been a victim" in field_error(
        unanswered, "confirm"
    )
    kept = post(admin, url, {"confirm": "no"})
    assert kept.status_code == 302 and kept.headers["Location"] == f"{base}#{VICTIM}"
    assert VICTIM in question_ids(app, draft_id) and removals(app) == []

    # The overview's old remove button (a stale page) leads to the question, and removes nothing.
    stale = post(admin, f"{base}/structure", {"action": f"question-remove:{VICTIM}"}, page_url=base)
    assert stale.headers["Location"] == url and VICTIM in question_ids(app, draft_id)

    done = post(admin, url, {"confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"] == f"{base}#problems"
    assert VICTIM not in question_ids(app, draft_id)
    [event] = removals(app)
    assert event["removed"] == "question" and event["id"] == VICTIM
    assert event["left_referring"] == [
        "When question ‘What happened?’ is shown: it looks at the answer to it"
    ]
    after = admin.get(base)
    assert "1 thing refers to it still" in words(after)
    assert any("(UNKNOWN_QUESTION)" in a.get_text() for a in soup(after).select("#problems a"))
    condition = admin.get(f"{base}/conditions/what_happened")
    assert "(UNKNOWN_QUESTION)" in soup(condition).find(id="condition-problems").get_text()


def test_removing_a_section_says_its_questions_and_census_mapping_go_with_it(
    admin: FlaskClient,
    app: Flask,
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/questions/how_old_are_you", {"text": "How old are you?", "min": "16", "max": "120"})
    start = post(
        admin, f"{base}/demographics", {"question": "how_old_are_you", "dimension": "age_adult16plus"}
    )
    ranges_url = start.headers["Location"]
    page = admin.get(ranges_url)
    suggested = {
        i["name"]: i.get("value", "") for i in soup(page).select("form input") if i["name"] != "csrf_token"
    }
    post(admin, ranges_url, suggested, page_url=ranges_url)
    assert draft_of(app, draft_id)["demographics"][0]["question"] == "how_old_are_you"

    url = f"{base}/sections/about_the_crime/remove"
    page = admin.get(url)
    text = words(page)
    assert "Its 2 questions are removed with it: ‘What happened?’, ‘How old are you?’" in text
    assert "The census mapping of ‘How old are you?’ onto age_adult16plus is removed with it" in text
    assert "No condition or other text in this questionnaire refers to it" in text
    done = post(admin, url, {"confirm": "yes"})
    assert done.headers["Location"] == f"{base}#about_the_crime"
    definition = draft_of(app, draft_id)
    assert [s["id"] for s in definition["sections"]] == ["section_1"] and "demographics" not in definition
    assert removals(app)[0]["with_it"][:2] == ["‘What happened?’", "‘How old are you?’"]
    assert "no problems" in words(admin.get(base))


def test_removing_an_option_or_item_asks_first_and_the_choices_page_leads_there(
    admin: FlaskClient,
    app: Flask,
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    options = f"{base}/questions/{VICTIM}/options"
    choices = soup(admin.get(options))
    url = f"{base}/questions/{VICTIM}/options/yes/remove"
    assert choices.find("a", href=url) is not None
    stale = post(admin, options, {"action": "remove:0"})
    assert stale.headers["Location"] == url
    assert [o["code"] for o in draft_of(app, draft_id)["sections"][0]["questions"][0]["options"]][0] == "yes"

    page = admin.get(url)
    assert "the option ‘Yes’ of the question ‘Have you been a victim of crime?’" in words(page)
    assert "When question ‘What happened?’ is shown: it looks at the answer ‘Yes’" in words(page)
    post(admin, url, {"confirm": "yes"})
    codes = [o["code"] for o in draft_of(app, draft_id)["sections"][0]["questions"][0]["options"]]
    assert codes == ["no", "prefer_not_to_say"]
    condition = admin.get(f"{base}/conditions/what_happened")
    assert "(UNKNOWN_OPTION)" in soup(condition).find(id="condition-problems").get_text()

    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "rating", "text": "How safe"})
    for label in ("In the day", "After dark"):
        post(admin, f"{base}/questions/how_safe/items", {"label": label})
    item_url = f"{base}/questions/how_safe/items/after_dark/remove"
    item_page = admin.get(item_url)
    assert "the item ‘After dark’ of the question ‘How safe’" in words(item_page)
    assert "No condition or other text" in words(item_page)
    done = post(admin, item_url, {"confirm": "yes"})
    assert done.headers["Location"] == f"{base}/questions/how_safe/items"
    how_safe = draft_of(app, draft_id)["sections"][0]["questions"][-1]
    assert [i["id"] for i in how_safe["items"]] == ["in_the_day"]
    assert [(e["removed"], e["id"], e["question"]) for e in removals(app)] == [
        ("option", "yes", VICTIM),
        ("item", "after_dark", "how_safe"),
    ]


def test_removing_what_is_not_there_is_not_found(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    assert admin.get(f"{base}/questions/nope/remove").status_code == 404
    assert admin.get(f"{base}/sections/nope/remove").status_code == 404
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "single", "text": "Pick"})
    assert admin.get(f"{base}/questions/pick/remove").status_code == 200  # the question is there
    assert admin.get(f"{base}/questions/pick/options/nope/remove").status_code == 404
    assert admin.get(f"{base}/questions/pick/colours/x/remove").status_code == 404
    refused = post(admin, f"{base}/sections/nope/remove", {"confirm": "yes"}, page_url=base)
    assert refused.status_code == 404 and removals(app) == []
