"""Changing what was added earlier in the builder: a question's id (every reference follows; a published id
asks for a confirmation), an option's words (its code stays), a support contact's fields; every value's
limit, and bidirectional controls removed from builder text."""

from __future__ import annotations

import copy
import json
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from survey.engine import validate_dict
from survey.store.db import get_engine
from survey.store.models_drafts import QuestionnaireDraft
from survey.store.models_staff import AuditEvent
from tests.helpers import csrf_of, soup
from tests.integration.staff.test_builder import (
    QID,
    build_branching,
    draft_of,
    field_error,
    new_draft,
    post,
    words,
)

VICTIM = "have_you_been_a_victim_of_crime"


def set_definition(app: Flask, draft_id: int, definition: dict[str, Any]) -> None:
    """Store a definition as it is (references the builder's pages have no form for yet)."""
    with Session(get_engine(app)) as session:
        draft = session.get(QuestionnaireDraft, draft_id)
        assert draft is not None
        draft.definition = definition
        session.add(draft)
        session.commit()


def with_every_reference(admin: FlaskClient, app: Flask) -> tuple[int, str]:
    """A valid draft whose victim question is referred to by conditions, a required_if, piped answers (English
    and Welsh) and a translation to review; the age question by a check across questions (`value_of`)."""
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/about_the_crime/questions/new", {"qtype": "number", "text": "Years here"})
    post(admin, f"{base}/translations", {"action": "add-language", "add-language": "cy"})
    page = admin.get(f"{base}/translations?lang=cy")
    boxes = {str(t["name"]): "Cymraeg" for t in soup(page).select("textarea[name^=t]")}
    post(admin, f"{base}/translations?lang=cy", {"action": "save", **boxes}, f"{base}/translations")
    reworded = post(
        admin, f"{base}/questions/{VICTIM}", {"text": "Has a crime happened to you?", "required": "y"}
    )
    assert reworded.status_code == 302
    definition = draft_of(app, draft_id)
    about = definition["sections"][1]["questions"]
    what, age, years = about
    what["text"] = {
        "en": "You answered {{ " + VICTIM + "|nothing }}: what happened?",
        "cy": "{{" + VICTIM + "}}",
    }
    age["required_if"] = {"q": VICTIM, "op": "equals", "value": "yes"}
    years["checks"] = [
        {"when": {"q": "years_here", "op": "gt", "value_of": "how_old_are_you"}, "message": "Too many years"}
    ]
    age["show_if"] = {
        "any": [{"q": VICTIM, "op": "equals", "value": "yes"}, {"q": VICTIM, "op": "equals", "value": "no"}]
    }
    set_definition(app, draft_id, definition)
    assert validate_dict(copy.deepcopy(definition), "draft").errors == ()
    return draft_id, base


def test_a_question_id_is_changed_with_every_reference_to_it(admin: FlaskClient, app: Flask) -> None:
    draft_id, base = with_every_reference(admin, app)
    before = draft_of(app, draft_id)
    assert before["x-translations-to-review"] == {"cy": [f"questions/{VICTIM}/text"]}
    question = admin.get(f"{base}/questions/{VICTIM}")
    link = soup(question).find(id="question-id").find("a")
    assert link["href"] == f"{base}/questions/{VICTIM}/id"
    page = admin.get(link["href"])
    assert page.status_code == 200 and "Change the id of question" in words(page)
    assert soup(page).find(id="published") is None  # never published: nothing to confirm
    done = post(admin, f"{base}/questions/{VICTIM}/id", {"new_id": "victim_any"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"{base}/questions/victim_any")
    shown = words(admin.get(done.headers["Location"]))
    assert f"Question id changed from {VICTIM} to victim_any" in shown
    assert "4 conditions" in shown and "2 piped answers" in shown and "1 translation to review" in shown
    after = draft_of(app, draft_id)
    assert VICTIM not in json.dumps(after)  # no reference left behind, in any language
    victim = after["sections"][0]["questions"][0]
    assert victim["id"] == "victim_any" and victim["text"] == {
        "en": "Has a crime happened to you?",
        "cy": "Cymraeg",
    }
    what, age, _ = after["sections"][1]["questions"]
    assert what["show_if"] == {"q": "victim_any", "op": "equals", "value": "yes"}
    assert what["text"] == {
        "en": "You answered {{ victim_any|nothing }}: what happened?",
        "cy": "{{victim_any}}",
    }
    assert age["required_if"]["q"] == "victim_any"
    assert [leaf["q"] for leaf in age["show_if"]["any"]] == ["victim_any", "victim_any"]
    assert after["x-translations-to-review"] == {"cy": ["questions/victim_any/text"]}
    result = validate_dict(copy.deepcopy(after), "draft")
    assert result.errors == ()
    # the translation still waits for review under its new id
    assert "Changed since translated into cy: 1" in words(admin.get(f"{base}/translations?lang=cy"))
    # a check across questions names the other answer in value_of: changed too
    post(admin, f"{base}/questions/how_old_are_you/id", {"new_id": "age"})
    years = draft_of(app, draft_id)["sections"][1]["questions"][2]
    assert years["checks"][0]["when"] == {"q": "years_here", "op": "gt", "value_of": "age"}
    with Session(get_engine(app)) as session:
        events = [e for e in session.exec(select(AuditEvent)).all() if e.action == "draft.rename"]
    assert [(e.details["old"], e.details["new"]) for e in events] == [
        (VICTIM, "victim_any"),
        ("how_old_are_you", "age"),
    ]


def test_a_census_mapping_follows_the_new_id(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "single", "text": "Sex"})
    for label in ("Female", "Male"):
        post(admin, f"{base}/questions/sex/options", {"label": label})
    post(admin, f"{base}/demographics", {"question": "sex", "dimension": "sex_age16to74"})
    post(admin, f"{base}/demographics/0", {"o0": "Female", "o1": "Male"})
    done = post(admin, f"{base}/questions/sex/id", {"new_id": "sex_at_birth"})
    assert done.status_code == 302
    mapping = draft_of(app, draft_id)["demographics"][0]
    assert mapping["question"] == "sex_at_birth" and mapping["map"] == {"female": "Female", "male": "Male"}
    assert "1 census mapping" in words(admin.get(done.headers["Location"]))
    assert validate_dict(draft_of(app, draft_id), "draft").errors == ()


def test_a_bad_or_taken_id_is_refused_with_the_reason_and_nothing_changes(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    url = f"/staff/builder/{draft_id}/questions/{VICTIM}/id"
    before = draft_of(app, draft_id)
    cases = {
        "": "Error: Enter the new id",
        "Victim": "starts with a lower-case letter and has only a-z, 0-9 and _",
        "2victim": "starts with a lower-case letter",
        "victim-any": "has only a-z, 0-9 and _",
        "what_happened": "The id what_happened is already used in this questionnaire",
        "about_the_crime": "The id about_the_crime is already used",  # a section's id
        VICTIM: f"The question's id is already {VICTIM}",
        "v" * 65: "Question id must be 64 characters or fewer",
        "x" * 600: "must be",  # the box's own limit or the id's: refused either way
    }
    for typed, message in cases.items():
        refused = post(admin, url, {"new_id": typed})
        assert refused.status_code == 400, typed
        assert message in field_error(refused, "new_id"), (typed, field_error(refused, "new_id"))
        assert "There is a problem" in words(refused)
    assert draft_of(app, draft_id) == before
    assert admin.get(f"/staff/builder/{draft_id}/questions/nope/id").status_code == 404


def test_renaming_an_id_a_published_version_uses_asks_first(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    assert post(admin, f"/staff/builder/{draft_id}/publish", {"version": "1.0"}).status_code == 302
    token = csrf_of(admin.get(f"/staff/questionnaires/{QID}"))
    again = admin.post(f"/staff/builder/from/{QID}", data={"csrf_token": token})
    second = int(again.headers["Location"].rsplit("/", 1)[1])
    url = f"/staff/builder/{second}/questions/what_happened/id"
    page = admin.get(url)
    warning = soup(page).find(id="published").get_text(" ")
    assert "Published version 1.0 uses the id what_happened" in " ".join(warning.split())
    assert "will not join with results under the new id" in " ".join(warning.split())
    unconfirmed = post(admin, url, {"new_id": "what_took_place"})
    assert unconfirmed.status_code == 400
    assert "tick the box" in field_error(unconfirmed, "understood")
    assert draft_of(app, second)["sections"][1]["questions"][0]["id"] == "what_happened"
    done = post(admin, url, {"new_id": "what_took_place", "understood": "y"})
    assert done.status_code == 302
    assert draft_of(app, second)["sections"][1]["questions"][0]["id"] == "what_took_place"
    publish = words(admin.get(f"/staff/builder/{second}/publish"))
    assert "what_happened" in publish and "what_took_place" in publish  # the diff names both
    # a question new in this draft was never published: no confirmation asked
    post(
        admin, f"/staff/builder/{second}/sections/section_1/questions/new", {"qtype": "text", "text": "Where"}
    )
    assert soup(admin.get(f"/staff/builder/{second}/questions/where/id")).find(id="published") is None


def test_an_option_is_reworded_and_keeps_its_code(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    choices = admin.get(f"{base}/questions/{VICTIM}/options")
    url = f"{base}/questions/{VICTIM}/options/yes/change"
    assert soup(choices).find("a", href=url) is not None
    page = admin.get(url)
    assert soup(page).find(id="label")["value"] == "Yes"
    empty = post(admin, url, {"label": "\u202e\x00 "})
    assert empty.status_code == 400 and field_error(empty, "label") == "Error: Enter the words"
    long = post(admin, url, {"label": "y" * 501})
    assert long.status_code == 400
    assert field_error(long, "label") == "Error: Words residents see must be 500 characters or fewer"
    done = post(admin, url, {"label": "Yes, \u200fin the last\u202e year\x07"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"{base}/questions/{VICTIM}/options")
    options = draft_of(app, draft_id)["sections"][0]["questions"][0]["options"]
    assert options[0] == {"code": "yes", "label": "Yes, in the last year"}
    assert [o["code"] for o in options] == ["yes", "no", "prefer_not_to_say"]
    assert options[2]["kind"] == "prefer_not_to_say"  # the others untouched
    assert admin.get(f"{base}/questions/{VICTIM}/options/maybe/change").status_code == 404
    assert admin.get(f"{base}/questions/{VICTIM}/colours/yes/change").status_code == 404


def test_a_rating_item_is_reworded_and_keeps_its_id_and_translation(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "rating", "text": "How safe"})
    post(admin, f"{base}/questions/how_safe/items", {"label": "In the day"})
    definition = draft_of(app, draft_id)
    definition["languages"] = ["en", "cy"]
    definition["sections"][0]["questions"][0]["items"][0]["text"] = {"en": "In the day", "cy": "Yn y dydd"}
    set_definition(app, draft_id, definition)
    done = post(admin, f"{base}/questions/how_safe/items/in_the_day/change", {"label": "During the day"})
    assert done.status_code == 302
    after = draft_of(app, draft_id)
    item = after["sections"][0]["questions"][0]["items"][0]
    assert item == {"id": "in_the_day", "text": {"en": "During the day", "cy": "Yn y dydd"}}
    assert after["x-translations-to-review"] == {"cy": ["questions/how_safe/items/in_the_day/text"]}


def test_a_support_contact_is_changed_with_the_checks_of_adding_one(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/support", {"name": "Victim Support", "phone": "0808 168 9111", "hours": "24 hours"})
    post(admin, f"{base}/support", {"name": "Samaritans", "phone": "116 123"})
    url = f"{base}/support/0/change"
    assert soup(admin.get(f"{base}/support")).find("a", href=url) is not None
    page = admin.get(url)
    assert soup(page).find(id="name")["value"] == "Victim Support"
    assert soup(page).find(id="hours")["value"] == "24 hours"
    seen = str(soup(page).find("input", attrs={"name": "seen"})["value"])
    unreachable = post(admin, url, {"name": "Victim Support", "phone": "", "url": "", "seen": seen})
    assert unreachable.status_code == 400
    assert "Enter a phone number or a website" in field_error(unreachable, "phone")
    plain_http = post(admin, url, {"name": "Victim Support", "url": "http://example.org", "seen": seen})
    assert "Enter an address starting https://" in field_error(plain_http, "url")
    huge = post(admin, url, {"name": "V" * 501, "phone": "1", "seen": seen})
    assert field_error(huge, "name") == "Error: Organisation must be 500 characters or fewer"
    done = post(
        admin,
        url,
        {
            "name": "Victim \u2066Support\u2069 Wales\x00",
            "phone": "",  # a browser sends every box, empty ones too
            "url": "https://victimsupport.org.uk",
            "hours": " ",
            "seen": seen,
        },
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(f"{base}/support")
    contacts = draft_of(app, draft_id)["support_contacts"]
    assert contacts == [
        {"name": "Victim Support Wales", "url": "https://victimsupport.org.uk"},  # phone and hours cleared
        {"name": "Samaritans", "phone": "116 123"},
    ]
    # a page opened before the list changed changes nothing
    stale = post(admin, url, {"name": "Old page", "phone": "1", "seen": seen})
    assert stale.status_code == 302 and draft_of(app, draft_id)["support_contacts"] == contacts
    assert "Nothing was changed" in words(admin.get(f"{base}/support"))
    assert admin.get(f"{base}/support/5/change").status_code == 404


def test_every_value_a_builder_page_takes_is_limited_and_named_in_the_message(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    before = draft_of(app, draft_id)
    options = f"{base}/questions/{VICTIM}/options"
    kind = post(admin, options, {"label": "Maybe", "kind": "k" * 10_000})  # a list's value, sent changed
    assert kind.status_code == 400
    assert field_error(kind, "kind") == "Error: Kind of answer must be 500 characters or fewer"
    unknown = post(admin, options, {"label": "Maybe", "kind": "perhaps"})
    assert (
        unknown.status_code == 400
        and field_error(unknown, "kind") == "Error: Select kind of answer from the list"
    )
    question = f"{base}/questions/what_happened"
    format_ = post(admin, question, {"text": "What happened?", "text_format": "shape"})
    assert format_.status_code == 400
    assert field_error(format_, "text_format") == "Error: Select what the answer must look like from the list"
    cond = f"{base}/conditions/what_happened"
    rule = {"action": "add", "question": VICTIM, "op": "equals", "value": "v" * 600}
    value = post(admin, cond, rule, page_url=f"{cond}?question={VICTIM}")
    assert value.status_code == 400 and "Option must be 500 characters or fewer" in field_error(
        value, "value"
    )
    for position in ("9" * 5_000, "²", "0", "4"):  # int() fails on the first two: a message, not a 500
        moved = post(
            admin, f"{base}/structure", {"action": "section-to:section_1", "position": position}, base
        )
        assert moved.status_code == 302
        assert "Choose a position from 1 to 2" in words(admin.get(base))
    assert draft_of(app, draft_id) == before


def test_a_translation_has_the_limit_of_its_text(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/about_the_crime", {"title": "About the crime", "intro": "Some words"})
    post(admin, f"{base}/translations", {"action": "add-language", "add-language": "cy"})
    page = admin.get(f"{base}/translations?lang=cy")
    boxes = {str(t["name"]): "Cymraeg" for t in soup(page).select("textarea[name^=t]")}
    rows = {
        row.select_one(".govuk-caption-s").get_text(): str(row.select_one("textarea")["name"])
        for row in soup(page).select("tbody tr")
        if row.select_one(".govuk-caption-s") is not None and row.select_one("textarea") is not None
    }
    title, intro = rows["Questionnaire: title"], rows["Section about_the_crime: intro"]
    url = f"{base}/translations?lang=cy"
    refused = post(admin, url, {"action": "save", **boxes, title: "T" * 501}, f"{base}/translations")
    assert refused.status_code == 400
    assert field_error(refused, title).endswith("must be 500 characters or fewer")
    saved = post(admin, url, {"action": "save", **boxes, intro: "Paragraph. " * 400}, f"{base}/translations")
    assert saved.status_code == 302  # 4,400 characters: an introduction is a box of paragraphs
    assert len(draft_of(app, draft_id)["sections"][1]["intro"]["cy"]) == 4_399


def test_bidirectional_marks_are_removed_from_builder_text(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    made = post(
        admin,
        f"{base}/sections/section_1/questions/new",
        {"qtype": "text", "text": "\u200fWhat \u200ehappened\u2067?\u2069"},
    )
    assert made.status_code == 302
    assert draft_of(app, draft_id)["sections"][0]["questions"][0]["text"] == "What happened?"
