"""Review of issue 15, part c (the builder driven as an officer would): hostile text cleaned as residents'
answers are and limited per box, condition operators that fit the question's type, reworded texts whose
translations need review, and problems in the builder's words rather than ids and JSON terms.

Every test runs on SQLite and on PostgreSQL (the `database_url` fixture), where JSONB refuses NUL."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.engine import validate_dict
from tests.helpers import soup
from tests.integration.staff.test_builder import (
    build_branching,
    draft_of,
    field_error,
    new_draft,
    post,
    words,
)

HOSTILE = "Y\x00e\u202es\x07"  # NUL, a right-to-left override and a bell inside "Yes"


def test_control_and_bidi_characters_are_removed_from_every_kind_of_builder_text(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    made = post(
        admin, f"{base}/sections/section_1/questions/new", {"qtype": "single", "text": f"Are you {HOSTILE}?"}
    )
    assert made.status_code == 302, words(made)
    question = draft_of(app, draft_id)["sections"][0]["questions"][0]
    assert question["text"] == "Are you Yes?"
    qid = question["id"]
    assert post(admin, f"{base}/questions/{qid}/options", {"label": HOSTILE}).status_code == 302
    assert (
        post(admin, f"{base}/questions/{qid}", {"text": "Q\u2066x\u2069", "hint": "\x00"}).status_code == 302
    )
    post(admin, f"{base}/settings", {"title": f"Crime {HOSTILE}", "description": "a\x00b\r\nc"})
    post(admin, f"{base}/support", {"name": f"Help {HOSTILE}", "phone": "116\x00 123"})
    saved = draft_of(app, draft_id)
    q = saved["sections"][0]["questions"][0]
    assert q["text"] == "Qx" and "hint" not in q  # a hint of only a NUL is no hint
    assert q["options"][0]["label"] == "Yes" and q["options"][0]["code"] == "yes"
    assert saved["title"] == "Crime Yes" and saved["description"] == "ab\nc"
    assert saved["support_contacts"][0] == {"name": "Help Yes", "phone": "116 123"}
    post(admin, f"{base}/translations", {"action": "add-language", "add-language": "cy"})
    page = admin.get(f"{base}/translations?lang=cy")
    boxes = {str(t["name"]): "Cymraeg\x00\u202e" for t in soup(page).select("textarea[name^=t]")}
    saving = post(admin, f"{base}/translations?lang=cy", {"action": "save", **boxes}, f"{base}/translations")
    assert saving.status_code == 302
    assert draft_of(app, draft_id)["title"] == {"en": "Crime Yes", "cy": "Cymraeg"}


def test_a_label_of_only_control_characters_is_asked_for_again(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    url = f"/staff/builder/{draft_id}/questions/have_you_been_a_victim_of_crime/options"
    refused = post(admin, url, {"label": "\x00\u202e\x07"})
    assert refused.status_code == 400
    assert field_error(refused, "label") == "Error: Enter the words"
    assert len(draft_of(app, draft_id)["sections"][0]["questions"][0]["options"]) == 3


def test_a_20000_character_text_is_refused_at_its_box_and_nothing_is_saved(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    before = draft_of(app, draft_id)
    huge = "x" * 20_000
    option = post(admin, f"{base}/questions/have_you_been_a_victim_of_crime/options", {"label": huge})
    assert option.status_code == 400
    assert field_error(option, "label") == "Error: Words residents see must be 500 characters or fewer"
    assert "Words residents see must be 500 characters or fewer" in words(option)  # the error summary
    question = post(admin, f"{base}/questions/what_happened", {"text": "What happened?", "hint": huge})
    assert question.status_code == 400
    assert field_error(question, "hint") == "Error: Hint must be 500 characters or fewer"
    title = post(admin, f"{base}/settings", {"title": huge})
    assert field_error(title, "title") == "Error: Title must be 200 characters or fewer"
    section = post(admin, f"{base}/sections/about_the_crime", {"title": "About", "intro": huge})
    assert "Introduction must be 5,000 characters or fewer" in field_error(section, "intro")
    contact = post(admin, f"{base}/support", {"name": huge, "phone": "116 123"})
    assert "Organisation must be 500 characters or fewer" in field_error(contact, "name")
    new = post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "text", "text": huge})
    assert "Question must be 500 characters or fewer" in field_error(new, "text")
    post(admin, f"{base}/translations", {"action": "add-language", "add-language": "cy"})
    page = admin.get(f"{base}/translations?lang=cy")
    first = str(soup(page).select("textarea[name^=t]")[0]["name"])
    translation = post(
        admin, f"{base}/translations?lang=cy", {"action": "save", first: huge}, f"{base}/translations"
    )
    assert translation.status_code == 400
    assert "must be 500 characters or fewer" in field_error(translation, first)  # the title: a line
    after = draft_of(app, draft_id)
    assert after["languages"] == ["en", "cy"]
    del after["languages"]
    assert after == before


def _radios(page: TestResponse) -> list[str]:
    return [str(r["value"]) for r in soup(page).select("input[name=op]")]


def test_a_rule_offers_only_the_operators_and_the_value_box_the_questions_type_allows(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/about_the_crime/questions/new", {"qtype": "text", "text": "Anything else?"})
    cond = f"{base}/conditions/anything_else"
    single = admin.get(f"{cond}?question=have_you_been_a_victim_of_crime")
    assert _radios(single) == ["equals", "not_equals", "answered"]  # no "includes" on a single choice
    page = soup(single)
    assert page.find(id="value") is not None and page.find(id="number") is None
    number = admin.get(f"{cond}?question=how_old_are_you")
    assert _radios(number) == ["equals", "not_equals", "gt", "gte", "lt", "lte", "answered"]
    page = soup(number)
    assert page.find(id="number") is not None and page.find(id="value") is None  # a number box, no option
    assert "is at least" in words(number)
    text = admin.get(f"{cond}?question=what_happened")
    assert _radios(text) == ["answered"] and soup(text).find(id="number") is None
    wrong = post(
        admin,
        cond,
        {"action": "add", "question": "have_you_been_a_victim_of_crime", "op": "contains", "value": "yes"},
        page_url=f"{cond}?question=have_you_been_a_victim_of_crime",
    )
    assert wrong.status_code == 400
    assert "Select one of the ways listed" in words(wrong)
    rule = {"action": "add", "question": "how_old_are_you", "op": "equals", "number": "eighteen"}
    refused = post(admin, cond, rule, page_url=f"{cond}?question=how_old_are_you")
    assert refused.status_code == 400
    assert field_error(refused, "number") == "Error: Enter a whole number to compare with, like 18"
    assert "show_if" not in draft_of(app, draft_id)["sections"][1]["questions"][2]
    made = post(admin, cond, {**rule, "number": "18"}, page_url=f"{cond}?question=how_old_are_you")
    assert made.status_code == 302
    saved = draft_of(app, draft_id)["sections"][1]["questions"][2]
    assert saved["show_if"] == {"q": "how_old_are_you", "op": "equals", "value": 18}
    assert "Shown when ‘How old are you?’ is ‘18’" in words(admin.get(cond))
    assert not [p for p in validate_dict(draft_of(app, draft_id), "draft").errors if "show_if" in p.path]


def _translate_all(admin: FlaskClient, base: str, words_in: str = "Cymraeg") -> None:
    post(admin, f"{base}/translations", {"action": "add-language", "add-language": "cy"})
    page = admin.get(f"{base}/translations?lang=cy")
    boxes = {str(t["name"]): words_in for t in soup(page).select("textarea[name^=t]")}
    saved = post(admin, f"{base}/translations?lang=cy", {"action": "save", **boxes}, f"{base}/translations")
    assert saved.status_code == 302


def _box_of(page: TestResponse, where: str) -> str:
    """The name of the translation box of the text listed as `where`."""
    for row in soup(page).select("tbody tr"):
        caption, box = row.select_one(".govuk-caption-s"), row.select_one("textarea")
        if caption is not None and box is not None and caption.get_text() == where:
            return str(box["name"])
    raise AssertionError(f"no row {where}")


def test_a_reworded_text_marks_its_translation_for_review_until_changed_or_confirmed(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    _translate_all(admin, base)
    assert "Changed since translated into cy: 0" in words(admin.get(f"{base}/translations?lang=cy"))
    question = f"{base}/questions/what_happened"
    assert post(admin, question, {"text": "What happened to you?", "required": "y"}).status_code == 302
    post(
        admin, f"{base}/structure", {"action": "question-up:what_happened"}, page_url=base
    )  # a move keeps the mark
    page = admin.get(f"{base}/translations?lang=cy")
    listed = words(page)
    assert "Changed since translated into cy: 1" in listed
    review_list = soup(page).select_one("#review + p + ul")
    assert review_list is not None and "Question what_happened: text" in review_list.get_text()
    assert len(soup(page).select(".govuk-tag--orange")) == 1
    publish = words(admin.get(f"{base}/publish"))
    assert "1 translation into cy changed since translated" in publish
    text = draft_of(app, draft_id)["sections"][0]["questions"][1]["text"]
    assert text == {"en": "What happened to you?", "cy": "Cymraeg"}  # kept, but marked
    box = _box_of(page, "Question what_happened: text")
    ok = "ok" + box[1:]
    boxes = {str(t["name"]): t.get_text().strip() for t in soup(page).select("textarea[name^=t]")}
    post(admin, f"{base}/translations?lang=cy", {"action": "save", **boxes}, f"{base}/translations")
    assert "Changed since translated into cy: 1" in words(admin.get(f"{base}/translations?lang=cy"))
    post(admin, f"{base}/translations?lang=cy", {"action": "save", **boxes, ok: "y"}, f"{base}/translations")
    assert "Changed since translated into cy: 0" in words(admin.get(f"{base}/translations?lang=cy"))
    assert "changed since translated" not in words(admin.get(f"{base}/publish"))
    assert "x-translations-to-review" not in draft_of(app, draft_id)
    options = f"{base}/questions/have_you_been_a_victim_of_crime"
    post(admin, options, {"text": "Has a crime happened to you?", "required": "y"})
    marked = draft_of(app, draft_id)["x-translations-to-review"]
    assert marked == {"cy": ["questions/have_you_been_a_victim_of_crime/text"]}
    assert validate_dict(draft_of(app, draft_id), "draft").errors == ()
    page = admin.get(f"{base}/translations?lang=cy")
    box = _box_of(page, "Question have_you_been_a_victim_of_crime: text")
    boxes = {str(t["name"]): t.get_text().strip() for t in soup(page).select("textarea[name^=t]")}
    post(
        admin,
        f"{base}/translations?lang=cy",
        {"action": "save", **boxes, box: "Newydd"},
        f"{base}/translations",
    )
    assert "x-translations-to-review" not in draft_of(app, draft_id)  # translated again: no longer marked


def test_a_still_right_tick_is_kept_when_the_translations_are_refused(admin: FlaskClient) -> None:
    """The "Still right" ticks are fields of the translations form: a save refused for another box shows
    the page again with the ticks as they were sent (nothing saved, nothing to tick again)."""
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    _translate_all(admin, base)
    question = f"{base}/questions/what_happened"
    assert post(admin, question, {"text": "What happened to you?", "required": "y"}).status_code == 302
    page = admin.get(f"{base}/translations?lang=cy")
    ok = "ok" + _box_of(page, "Question what_happened: text")[1:]
    boxes = {str(t["name"]): t.get_text().strip() for t in soup(page).select("textarea[name^=t]")}
    first = str(soup(page).select("textarea[name^=t]")[0]["name"])
    refused = post(
        admin,
        f"{base}/translations?lang=cy",
        {"action": "save", **boxes, first: "x" * 20_000, ok: "y"},
        f"{base}/translations",
    )
    assert refused.status_code == 400
    tick = soup(refused).select_one(f"input#{ok}")
    assert tick is not None and tick.has_attr("checked")
    assert "Changed since translated into cy: 1" in words(admin.get(f"{base}/translations?lang=cy"))


def test_a_text_without_a_translation_is_missing_not_changed(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/translations", {"action": "add-language", "add-language": "cy"})
    post(admin, f"{base}/questions/what_happened", {"text": "What happened to you?", "required": "y"})
    assert "x-translations-to-review" not in draft_of(app, draft_id)
    assert "Changed since translated into cy: 0" in words(admin.get(f"{base}/translations?lang=cy"))


def test_problems_name_questions_by_number_and_words_and_use_the_builders_terms(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    post(
        admin,
        f"{base}/sections/about_the_crime/questions/new",
        {"qtype": "info", "text": "Where to get help"},
    )
    page = f"{base}/questions/where_to_get_help"
    post(admin, page, {"text": "Where to get help", "style": "information", "show_support_contacts": "y"})
    error_summary = soup(admin.get(page)).select_one(".govuk-error-summary")
    assert error_summary is not None
    shown = " ".join(error_summary.get_text(" ").split())
    expected = (
        "Question 2.3 ‘Where to get help’ shows the support contacts, but the questionnaire has none. Add a "
        "support contact on the Support contacts page (a name with a phone number or web address), or remove "
        "the tick ‘Show the support contacts on this page’. (NO_SUPPORT_CONTACTS)"
    )
    assert expected in shown
    assert "where_to_get_help" not in shown and "'support_contacts'" not in shown
    overview = admin.get(base)
    summary = soup(overview).find(id="problems")
    assert summary is not None and expected in " ".join(summary.get_text(" ").split())
    definition = draft_of(app, draft_id)
    definition["sections"][1]["questions"][0]["show_if"] = {
        "q": "have_you_been_a_victim_of_crime",
        "op": "contains",
        "value": "yes",
    }
    from survey.staff.builder_common import check

    with app.app_context():
        problem = next(p for _, p in check(definition).errors if p.code == "OPERATOR_MISMATCH")
    assert problem.message == (
        "‘includes’ cannot be used with choose-one question 1.1 ‘Have you been a victim of crime?’"
    )
    assert problem.advice == (
        "Use an operator that fits the question: ‘is answered’, ‘is’, ‘is one of’, ‘is not’, ‘is not one of’."
    )
    assert validate_dict(definition, "draft").errors[0].message.startswith("'contains' cannot be used")
