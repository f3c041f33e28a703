"""The questionnaire builder with the Flask test client: every page, its error cases, live checks next to the
field at fault, conditions from choices, translations, census mappings, preview and publishing a draft."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from survey.store.db import get_engine
from survey.store.models import QuestionnaireVersion
from survey.store.models_drafts import QuestionnaireDraft
from survey.store.models_staff import AuditEvent
from tests.helpers import csrf_of, soup, stored_counts
from tests.integration.staff.conftest import FAST_HASHING

QID = "builder-test"


def words(page: TestResponse) -> str:
    return " ".join(soup(page).get_text(" ").split())


def post(client: FlaskClient, url: str, data: dict[str, Any], page_url: str | None = None) -> TestResponse:
    token = csrf_of(client.get(page_url or url.split("?")[0]))
    return client.post(url, data={**data, "csrf_token": token})


def field_error(page: TestResponse, field_id: str) -> str:
    """The GOV.UK error message shown with the field `field_id` ('' when none)."""
    field = soup(page).find(id=field_id)
    assert field is not None, f"no field {field_id}"
    group = field.find_parent(class_="govuk-form-group")
    message = group.find(class_="govuk-error-message") if group else None
    return " ".join(message.get_text(" ").split()) if message else ""


def draft_of(app: Flask, draft_id: int) -> dict[str, Any]:
    with Session(get_engine(app)) as session:
        draft = session.get(QuestionnaireDraft, draft_id)
        assert draft is not None
        return dict(draft.definition)


def new_draft(client: FlaskClient, **extra: Any) -> int:
    data = {"qid": QID, "title": "Crime and safety", "language": "en", "start": "blank", **extra}
    made = post(client, "/staff/builder/new", data)
    assert made.status_code == 302, words(made)
    found = re.search(r"/staff/builder/(\d+)$", made.headers["Location"])
    assert found
    return int(found.group(1))


def build_branching(client: FlaskClient, draft_id: int) -> None:
    """Two sections; a single-choice question with options and a condition on it; a number; a text."""
    base = f"/staff/builder/{draft_id}"
    post(
        client,
        f"{base}/sections/section_1/questions/new",
        {"qtype": "single", "text": "Have you been a victim of crime?"},
    )
    for label, kind in (("Yes", "answer"), ("No", "answer"), ("Prefer not to say", "prefer_not_to_say")):
        post(
            client,
            f"{base}/questions/have_you_been_a_victim_of_crime/options",
            {"label": label, "kind": kind},
        )
    post(client, f"{base}/sections/new", {"title": "About the crime"})
    post(
        client, f"{base}/sections/about_the_crime/questions/new", {"qtype": "text", "text": "What happened?"}
    )
    cond = f"{base}/conditions/what_happened"
    post(
        client,
        cond,
        {"action": "add", "question": "have_you_been_a_victim_of_crime", "op": "equals", "value": "yes"},
        page_url=f"{cond}?question=have_you_been_a_victim_of_crime",
    )
    post(
        client,
        f"{base}/sections/about_the_crime/questions/new",
        {"qtype": "number", "text": "How old are you?"},
    )


def test_a_blank_draft_shows_its_problem_next_to_the_field_and_no_paths(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    overview = admin.get(f"/staff/builder/{draft_id}")
    assert overview.status_code == 200
    text = words(overview)
    assert "1 problem to fix" in text and "(EMPTY_SECTION)" in text
    assert "The paths are worked out once the problems above are fixed" in text
    link = soup(overview).find(id="problems").find("a")
    assert link["href"] == f"/staff/builder/{draft_id}/sections/section_1#questions"
    section = admin.get(link["href"].split("#")[0])
    assert "has no questions" in words(section)
    assert "(EMPTY_SECTION)" in soup(section).find(id="section-problems").get_text()
    assert draft_of(app, draft_id)["sections"][0]["questions"] == []


def test_new_draft_errors_are_listed_and_shown_at_the_field(admin: FlaskClient) -> None:
    page = post(
        admin, "/staff/builder/new", {"qid": "Bad Id!", "title": "", "language": "english", "start": "blank"}
    )
    assert page.status_code == 400
    summary = soup(page).find(class_="govuk-error-summary")
    assert summary is not None
    assert "Use only lower-case letters" in field_error(page, "qid")
    assert field_error(page, "title") == "Error: Enter the title residents see"
    assert "language code" in field_error(page, "language")
    bank = post(admin, "/staff/builder/new", {"qid": "x", "title": "X", "language": "en", "start": "bank"})
    assert bank.status_code == 400 and "Select at least one block" in words(bank)


def test_new_draft_from_a_bundled_questionnaire_and_from_bank_blocks(admin: FlaskClient, app: Flask) -> None:
    page = admin.get("/staff/builder/new")
    assert "safermk-2016" in words(page) and "equality" in words(page)
    copy_id = new_draft(admin, qid="copy-test", start="bundled", template="safermk-2016")
    copied = draft_of(app, copy_id)
    assert copied["id"] == "copy-test" and len(copied["sections"]) > 2
    bank_id = new_draft(admin, qid="bank-test", start="bank", blocks=["equality", "fire"])
    banked = draft_of(app, bank_id)
    assert banked["demographics"] and "sex" in {q["id"] for s in banked["sections"] for q in s["questions"]}
    assert "no problems" in words(admin.get(f"/staff/builder/{bank_id}"))


def test_building_a_branching_questionnaire_gives_paths_and_words(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    definition = draft_of(app, draft_id)
    first = definition["sections"][0]["questions"][0]
    assert [o["code"] for o in first["options"]] == ["yes", "no", "prefer_not_to_say"]
    assert first["options"][2]["kind"] == "prefer_not_to_say"
    assert definition["sections"][1]["questions"][0]["show_if"] == {
        "q": "have_you_been_a_victim_of_crime",
        "op": "equals",
        "value": "yes",
    }
    overview = words(admin.get(f"/staff/builder/{draft_id}"))
    assert "no problems" in overview
    assert "Residents are asked 2 to 3 questions" in overview
    assert "Shown when ‘Have you been a victim of crime?’ is ‘Yes’" in overview


def test_a_problem_is_shown_at_its_field_and_goes_when_fixed(admin: FlaskClient) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "number", "text": "Age"})
    saved = post(admin, f"{base}/questions/age", {"text": "Age", "min": "120", "max": "16"})
    assert saved.status_code == 302
    page = admin.get(f"{base}/questions/age")
    assert "(BAD_BOUNDS)" in field_error(page, "min")
    assert any("BAD_BOUNDS" in e.get_text() for e in soup(page).select(".govuk-error-summary a"))
    post(admin, f"{base}/questions/age", {"text": "Age", "min": "16", "max": "120"})
    assert field_error(admin.get(f"{base}/questions/age"), "min") == ""


def test_options_errors_move_and_remove(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "multiple", "text": "Which worry you"})
    url = f"{base}/questions/which_worry_you/options"
    assert "(NO_OPTIONS)" in words(admin.get(url))
    empty = post(admin, url, {"label": ""})
    assert empty.status_code == 400 and "Enter the words" in field_error(empty, "label")
    post(admin, url, {"label": "Burglary", "code": "burg"})
    twice = post(admin, url, {"label": "Burglary again", "code": "burg"})
    assert "already used" in field_error(twice, "code")
    bad = post(admin, url, {"label": "Odd", "code": "no spaces"})
    assert "A code starts with" in field_error(bad, "code")
    post(admin, url, {"label": "None of these", "kind": "none"})
    post(admin, url, {"action": "up:1"})
    codes = [o["code"] for o in draft_of(app, draft_id)["sections"][0]["questions"][0]["options"]]
    assert codes == ["none_of_these", "burg"]
    asked = post(admin, url, {"action": "remove:0"})  # a page asks first (test_builder_remove.py)
    assert asked.headers["Location"] == f"{url}/none_of_these/remove"
    post(admin, asked.headers["Location"], {"confirm": "yes"})
    assert [o["code"] for o in draft_of(app, draft_id)["sections"][0]["questions"][0]["options"]] == ["burg"]


def test_rating_items_and_scale(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(
        admin, f"{base}/sections/section_1/questions/new", {"qtype": "rating", "text": "How safe do you feel"}
    )
    post(admin, f"{base}/questions/how_safe_do_you_feel/items", {"label": "In the day"})
    post(admin, f"{base}/questions/how_safe_do_you_feel/items", {"label": "After dark", "code": "after_dark"})
    for label in ("Safe", "Unsafe"):
        post(admin, f"{base}/questions/how_safe_do_you_feel/scale", {"label": label})
    post(admin, f"{base}/questions/how_safe_do_you_feel/scale", {"label": "Don't know", "kind": "dont_know"})
    q = draft_of(app, draft_id)["sections"][0]["questions"][0]
    assert [i["id"] for i in q["items"]] == ["in_the_day", "after_dark"]
    assert [s["code"] for s in q["scale"]] == ["safe", "unsafe", "don_t_know"]
    assert "no problems" in words(admin.get(base))
    assert admin.get(f"{base}/questions/how_safe_do_you_feel/colours").status_code == 404


def test_structure_buttons_move_across_sections_and_remove(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/structure", {"action": "question-up:what_happened"}, page_url=base)
    d = draft_of(app, draft_id)
    assert [q["id"] for q in d["sections"][0]["questions"]] == [
        "have_you_been_a_victim_of_crime",
        "what_happened",
    ]
    post(admin, f"{base}/structure", {"action": "section-down:section_1"}, page_url=base)
    assert [s["id"] for s in draft_of(app, draft_id)["sections"]] == ["about_the_crime", "section_1"]
    assert "no problems" in words(admin.get(base))
    post(admin, f"{base}/structure", {"action": "question-up:what_happened"}, page_url=base)
    overview = words(admin.get(base))
    assert "(FORWARD_REFERENCE)" in overview  # the condition now looks at a later question
    asked = post(admin, f"{base}/structure", {"action": "question-remove:what_happened"}, page_url=base)
    assert asked.headers["Location"] == f"{base}/questions/what_happened/remove"
    post(admin, asked.headers["Location"], {"confirm": "yes"})
    assert "what_happened" not in str(draft_of(app, draft_id))
    unknown = post(admin, f"{base}/structure", {"action": "section-remove:nope"}, page_url=base)
    assert unknown.status_code == 302


def test_the_move_form_takes_a_place_as_a_drop_posts_it(admin: FlaskClient, app: Flask) -> None:
    """What builder-reorder.js posts after a drag: the same form, with a section and a position."""
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"

    def layout() -> list[list[str]]:
        return [[q["id"] for q in s["questions"]] for s in draft_of(app, draft_id)["sections"]]

    moved = post(
        admin,
        f"{base}/structure",
        {"action": "question-to:how_old_are_you", "section": "section_1", "position": "1"},
        page_url=base,
    )
    assert moved.headers["Location"] == f"{base}#how_old_are_you"
    assert layout() == [["how_old_are_you", "have_you_been_a_victim_of_crime"], ["what_happened"]]
    post(
        admin,
        f"{base}/structure",
        {"action": "question-to:how_old_are_you", "section": "section_1", "position": "2"},
        page_url=base,
    )
    assert layout() == [["have_you_been_a_victim_of_crime", "how_old_are_you"], ["what_happened"]]
    post(admin, f"{base}/structure", {"action": "section-to:about_the_crime", "position": "1"}, page_url=base)
    assert [s["id"] for s in draft_of(app, draft_id)["sections"]] == ["about_the_crime", "section_1"]
    for bad in (
        {"action": "section-to:about_the_crime", "position": "3"},
        {"action": "question-to:what_happened", "section": "section_1", "position": "0"},
        {"action": "question-to:what_happened", "section": "section_1", "position": "two"},
        {"action": "question-to:what_happened", "section": "nowhere", "position": "1"},
    ):
        refused = post(admin, f"{base}/structure", bad, page_url=base)
        assert refused.headers["Location"] == base
    assert layout() == [["what_happened"], ["have_you_been_a_victim_of_crime", "how_old_are_you"]]
    overview = admin.get(base)
    assert "There is no section nowhere" in words(overview)
    # The drag is the app's own module script (no inline script: the Content-Security-Policy forbids it).
    scripts = [s.get("src") for s in soup(overview).find_all("script")]
    assert "/assets/js/builder-reorder.js" in scripts and None not in scripts
    served = admin.get("/assets/js/builder-reorder.js")
    body = served.get_data(as_text=True)
    served.close()
    assert served.status_code == 200 and "question-to:" in body
    assert soup(overview).find("form", attrs={"data-reorder": True})["action"] == f"{base}/structure"


def test_condition_pages_all_any_not_and_errors(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    url = f"/staff/builder/{draft_id}/conditions/how_old_are_you"
    first = admin.get(url)
    assert first.status_code == 200 and "Always shown" in words(first)
    choose = admin.get(f"{url}?question=have_you_been_a_victim_of_crime")
    assert {o["value"] for o in soup(choose).select("#value option")} == {"yes", "no", "prefer_not_to_say"}
    no_op = post(admin, url, {"action": "add", "question": "have_you_been_a_victim_of_crime"})
    assert no_op.status_code == 400 and "Select how the answer is compared" in words(no_op)
    post(
        admin,
        url,
        {"action": "add", "question": "have_you_been_a_victim_of_crime", "op": "equals", "value": "yes"},
    )
    post(admin, url, {"action": "add", "question": "what_happened", "op": "answered"})
    post(admin, url, {"action": "combine", "combine": "any", "negate": "y"})
    assert draft_of(app, draft_id)["sections"][1]["questions"][1]["show_if"] == {
        "not": {
            "any": [
                {"q": "have_you_been_a_victim_of_crime", "op": "equals", "value": "yes"},
                {"q": "what_happened", "op": "answered"},
            ]
        }
    }
    assert "Shown unless" in words(admin.get(url))
    post(admin, url, {"action": "remove:0"})
    post(admin, url, {"action": "remove:0"})
    assert "show_if" not in draft_of(app, draft_id)["sections"][1]["questions"][1]
    first_question = admin.get(f"/staff/builder/{draft_id}/conditions/have_you_been_a_victim_of_crime")
    assert "No question is asked before this one" in words(first_question)
    assert admin.get(f"/staff/builder/{draft_id}/conditions/nothing").status_code == 404


def test_translations_side_by_side_with_missing_listed(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    url = f"/staff/builder/{draft_id}/translations"
    bad = post(admin, url, {"action": "add-language", "add-language": "Welsh"})
    assert bad.status_code == 400 and "language code" in words(bad)
    added = post(admin, url, {"action": "add-language", "add-language": "cy"})
    assert added.status_code == 302
    page = admin.get(f"{url}?lang=cy")
    count = int(re.search(r"Missing in cy: (\d+)", words(page)).group(1))  # type: ignore[union-attr]
    assert count > 5
    form = soup(page).find("input", attrs={"name": "lang"}).find_parent("form")
    data = {t["name"]: "" for t in form.find_all("textarea")}
    data["t0"] = "Trosedd a diogelwch"
    post(admin, f"{url}?lang=cy", {**data, "action": "save", "lang": "cy"}, page_url=f"{url}?lang=cy")
    d = draft_of(app, draft_id)
    assert d["title"] == {"en": "Crime and safety", "cy": "Trosedd a diogelwch"} and d["languages"] == [
        "en",
        "cy",
    ]
    again = int(re.search(r"Missing in cy: (\d+)", words(admin.get(f"{url}?lang=cy"))).group(1))  # type: ignore[union-attr]
    assert again == count - 1


def test_support_contacts_and_interruption_page(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    bad = post(admin, f"{base}/support", {"name": "Victim Support", "url": "not a url"})
    assert bad.status_code == 400 and "https://" in field_error(bad, "url")
    post(
        admin,
        f"{base}/support",
        {"name": "Victim Support", "phone": "0808 168 9111", "url": "https://www.victimsupport.org.uk"},
    )
    post(
        admin,
        f"{base}/sections/section_1/questions/new",
        {"qtype": "info", "text": "Before the next questions"},
    )
    post(
        admin,
        f"{base}/questions/before_the_next_questions",
        {
            "text": "Before the next questions",
            "style": "interruption",
            "body": "Some questions ask about crime.",
            "show_support_contacts": "y",
        },
    )
    q = draft_of(app, draft_id)["sections"][0]["questions"][0]
    assert q["style"] == "interruption" and q["show_support_contacts"] is True
    assert draft_of(app, draft_id)["support_contacts"][0]["phone"] == "0808 168 9111"
    asked = post(admin, f"{base}/support", {"action": "remove:0"})  # a page asks first
    assert asked.headers["Location"] == f"{base}/support/0/remove"
    assert draft_of(app, draft_id)["support_contacts"][0]["name"] == "Victim Support"


def test_census_mapping_by_picking_categories(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "single", "text": "Sex"})
    for label in ("Female", "Male", "Prefer not to say"):
        post(admin, f"{base}/questions/sex/options", {"label": label})
    page = admin.get(f"{base}/demographics")
    assert "sex_age16to74" in words(page)
    none = post(admin, f"{base}/demographics", {"question": "", "dimension": ""})
    assert none.status_code == 400 and "Select a question" in words(none)
    made = post(admin, f"{base}/demographics", {"question": "sex", "dimension": "sex_age16to74"})
    assert made.headers["Location"].endswith(f"{base}/demographics/0")
    mapping = admin.get(f"{base}/demographics/0")
    categories = [o["value"] for o in soup(mapping).select("#o0 option")]
    assert "Female" in categories and "" in categories
    post(admin, f"{base}/demographics/0", {"o0": "Female", "o1": "Male", "o2": ""})
    assert draft_of(app, draft_id)["demographics"] == [
        {
            "dimension": "sex_age16to74",
            "question": "sex",
            "map": {"female": "Female", "male": "Male", "prefer_not_to_say": None},
        }
    ]
    assert "no problems" in words(admin.get(base))
    assert admin.get(f"{base}/demographics/5").status_code == 404


def test_preview_of_a_draft_stores_nothing_and_leads_back(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    before = stored_counts(app)
    overview = admin.get(f"/staff/builder/{draft_id}")
    form = soup(overview).find("form", action="/staff/questionnaires/preview")
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}
    page = admin.post("/staff/questionnaires/preview", data={**fields, "action": "restart"})
    assert page.status_code == 200 and "Have you been a victim of crime?" in words(page)
    assert soup(page).find("a", href=f"/staff/builder/{draft_id}") is not None
    assert stored_counts(app) == before


def test_publish_a_draft_with_a_version_audited(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    url = f"/staff/builder/{draft_id}/publish"
    page = admin.get(url)
    assert soup(page).find(id="version")["value"] == "0.1.0" and "A new questionnaire" in words(page)
    empty = post(admin, url, {"version": ""})
    assert empty.status_code == 400 and "Enter a version number" in field_error(empty, "version")
    done = post(admin, url, {"version": "1.0"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/staff/questionnaires/{QID}")
    with Session(get_engine(app)) as session:
        row = session.exec(
            select(QuestionnaireVersion).where(QuestionnaireVersion.questionnaire_id == QID)
        ).one()
        assert row.version == "1.0" and row.is_current
        assert session.get(QuestionnaireDraft, draft_id) is None
        events = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert "draft.create" in events and "questionnaire.publish" in events
    resident = app.test_client().get(f"/s/{QID}", follow_redirects=True)
    assert resident.status_code == 200 and "Crime and safety" in words(resident)
    # A second draft from the published version: the version suggested is the next, the diff in words.
    token = csrf_of(admin.get(f"/staff/questionnaires/{QID}"))
    again = admin.post(f"/staff/builder/from/{QID}", data={"csrf_token": token})
    second = int(again.headers["Location"].rsplit("/", 1)[1])
    post(admin, f"/staff/builder/{second}/questions/what_happened", {"text": "What happened to you?"})
    check = admin.get(f"/staff/builder/{second}/publish")
    assert soup(check).find(id="version")["value"] == "1.1"
    assert "Changes from version 1.0" in words(check) and "What happened to you?" in words(check)
    taken = post(admin, f"/staff/builder/{second}/publish", {"version": "1.0"})
    assert taken.status_code == 400 and "already published" in field_error(taken, "version")


def test_a_draft_with_problems_cannot_be_published(admin: FlaskClient) -> None:
    draft_id = new_draft(admin)
    page = admin.get(f"/staff/builder/{draft_id}/publish")
    assert "fix them" in words(page) and soup(page).find(id="version") is None
    refused = post(
        admin, f"/staff/builder/{draft_id}/publish", {"version": "1"}, page_url=f"/staff/builder/{draft_id}"
    )
    assert refused.status_code == 400


@pytest.mark.parametrize(
    "app_config", [{**FAST_HASHING, "SURVEY_PUBLISH_NEEDS_SECOND_ADMIN": 1}], indirect=False
)
def test_a_second_admin_must_approve_when_the_setting_is_on(
    staff_client: Callable[..., FlaskClient], app: Flask, app_config: dict[str, Any]
) -> None:
    first, second = staff_client("admin"), staff_client("admin")
    draft_id = new_draft(first)
    build_branching(first, draft_id)
    url = f"/staff/builder/{draft_id}/publish"
    refused = post(first, url, {"version": "1"})
    assert refused.status_code == 400 and "Another admin must approve" in field_error(refused, "version")
    own = post(first, f"/staff/builder/{draft_id}/approve", {}, page_url=url)
    assert own.status_code == 302
    assert "Approve this draft" not in words(first.get(url))
    post(second, f"/staff/builder/{draft_id}/approve", {}, page_url=url)
    assert "Approved by admin2" in words(first.get(url))
    assert post(first, url, {"version": "1"}).status_code == 302
    with Session(get_engine(app)) as session:
        assert "draft.approve" in [e.action for e in session.exec(select(AuditEvent)).all()]


def test_analysts_draft_but_do_not_publish_and_others_are_refused(
    staff_client: Callable[..., FlaskClient], app: Flask
) -> None:
    analyst = staff_client("analyst")
    draft_id = new_draft(analyst)
    assert analyst.get(f"/staff/builder/{draft_id}").status_code == 200
    assert analyst.get(f"/staff/builder/{draft_id}/publish").status_code == 403
    partner = staff_client("partner")
    assert partner.get(f"/staff/builder/{draft_id}").status_code == 403
    assert partner.get("/staff/builder").status_code == 403
    assert app.test_client().get("/staff/builder").status_code == 302


def test_drafts_list_delete_and_missing_pages(admin: FlaskClient) -> None:
    draft_id = new_draft(admin)
    assert f"{QID} (draft {draft_id})" in words(admin.get("/staff/builder"))
    assert admin.get(f"/staff/builder/{draft_id}/questions/nope").status_code == 404
    assert admin.get(f"/staff/builder/{draft_id}/sections/nope").status_code == 404
    assert admin.get("/staff/builder/99999").status_code == 404
    post(admin, f"/staff/builder/{draft_id}/delete", {}, page_url=f"/staff/builder/{draft_id}")
    assert admin.get(f"/staff/builder/{draft_id}").status_code == 404
    assert "There are no drafts" in words(admin.get("/staff/builder"))


def test_settings_page_saves_and_checks(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    url = f"/staff/builder/{draft_id}/settings"
    bad = post(admin, url, {"title": "", "exit_url": "ftp://x"})
    assert bad.status_code == 400 and "Enter the title" in field_error(bad, "title")
    post(
        admin,
        url,
        {"title": "New title", "description": "About", "exit_url": "https://www.milton-keynes.gov.uk"},
    )
    d = draft_of(app, draft_id)
    assert d["title"] == "New title" and d["exit_url"].startswith("https://")


def test_newer_question_types_have_their_fields(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    base = f"/staff/builder/{draft_id}"
    new = admin.get(f"{base}/sections/section_1/questions/new")
    offered = {i["value"] for i in soup(new).select('input[name="qtype"]')}
    assert {"single", "decimal", "money", "date", "consent", "grid", "ranking"} <= offered
    for qtype, text in (
        ("decimal", "Hours"),
        ("date", "When"),
        ("consent", "Agree"),
        ("text", "Email"),
        ("grid", "Which services"),
        ("ranking", "Priorities"),
    ):
        post(admin, f"{base}/sections/section_1/questions/new", {"qtype": qtype, "text": text})
    bad = post(admin, f"{base}/questions/hours", {"text": "Hours", "min": "lots", "places": "9"})
    assert bad.status_code == 400
    assert "Enter a number" in field_error(bad, "min") and "1 to 6" in field_error(bad, "places")
    post(
        admin,
        f"{base}/questions/hours",
        {"text": "Hours", "min": "0.5", "max": "24", "places": "1", "dont_know": "I don't know"},
    )
    wrong_date = post(admin, f"{base}/questions/when", {"text": "When", "min_date": "31/3/2027"})
    assert "2027-03-31" in field_error(wrong_date, "min_date")
    post(admin, f"{base}/questions/when", {"text": "When", "min_date": "2020-01-01", "max_date": "today"})
    post(admin, f"{base}/questions/agree", {"text": "Agree", "consent_label": "I agree to take part"})
    post(admin, f"{base}/questions/email", {"text": "Email", "text_format": "email"})
    for label in ("Libraries", "Parks"):
        post(admin, f"{base}/questions/which_services/items", {"label": label})
        post(admin, f"{base}/questions/priorities/items", {"label": label})
    for label in ("Used", "Rated well"):
        post(admin, f"{base}/questions/which_services/options", {"label": label})
    post(admin, f"{base}/questions/priorities", {"text": "Priorities", "rank_count": "1"})
    q = {x["id"]: x for x in draft_of(app, draft_id)["sections"][0]["questions"]}
    assert (q["hours"]["min"], q["hours"]["max"], q["hours"]["places"]) == (0.5, 24, 1)
    assert q["hours"]["dont_know"] == "I don't know"
    assert (q["when"]["min_date"], q["when"]["max_date"]) == ("2020-01-01", "today")
    assert q["agree"]["consent_label"] == "I agree to take part" and q["email"]["format"] == "email"
    assert [i["id"] for i in q["which_services"]["items"]] == ["libraries", "parks"]
    assert [o["code"] for o in q["which_services"]["options"]] == ["used", "rated_well"]
    assert q["priorities"]["rank_count"] == 1
    page = admin.get(base)
    assert "no problems" in words(page), words(page)
