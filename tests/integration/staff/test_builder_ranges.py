"""Census mappings of number questions on the web: a From and To per census category, checked (whole
numbers, overlaps, gaps, categories the reference population lacks) and stored in the engine's format."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from survey.engine import validate_dict
from survey.store.db import get_engine
from survey.store.models_drafts import QuestionnaireDraft
from tests.helpers import soup
from tests.integration.staff.test_builder import (
    draft_of,
    field_error,
    new_draft,
    post,
    words,
)

AGE = "age_adult16plus"
SUGGESTED = {
    "r0_low": "16",
    "r0_high": "24",
    "r1_low": "25",
    "r1_high": "34",
    "r2_low": "35",
    "r2_high": "49",
    "r3_low": "50",
    "r3_high": "64",
    "r4_low": "65",
    "r4_high": "",
    "r5_low": "",
    "r5_high": "",
}


def with_age_question(client: FlaskClient) -> tuple[int, str]:
    draft_id = new_draft(client)
    base = f"/staff/builder/{draft_id}"
    post(client, f"{base}/sections/section_1/questions/new", {"qtype": "number", "text": "How old are you?"})
    post(client, f"{base}/questions/how_old_are_you", {"text": "How old are you?", "min": "16", "max": "120"})
    return draft_id, base


def boxes(page: Any) -> dict[str, str]:
    return {
        i["name"]: i.get("value", "") for i in soup(page).select("form input") if i["name"] != "csrf_token"
    }


def test_a_number_question_is_mapped_by_ranges_the_engine_reads(admin: FlaskClient, app: Flask) -> None:
    draft_id, base = with_age_question(admin)
    start_page = admin.get(f"{base}/demographics")
    offered = {o["value"]: o.get_text() for o in soup(start_page).select("#question option")}
    assert offered["how_old_are_you"] == "How old are you? (a number)"
    start = post(admin, f"{base}/demographics", {"question": "how_old_are_you", "dimension": AGE})
    url = start.headers["Location"]
    assert url == f"{base}/demographics/ranges?question=how_old_are_you&dimension={AGE}"
    assert "demographics" not in draft_of(app, draft_id)  # nothing stored before the numbers are checked

    page = admin.get(url)
    legends = [x.get_text() for x in soup(page).select("legend")]
    assert legends == ["16-24", "25-34", "35-49", "50-64", "65+", "Not counted"]
    assert boxes(page) == SUGGESTED  # suggested by the categories' names
    assert "The question accepts 16 to 120" in words(page)

    overlap = post(admin, url, {**SUGGESTED, "r1_low": "20"})
    assert overlap.status_code == 400
    assert "16-24 (16 to 24) and 25-34 (20 to 34) overlap: 20 to 24 would count in both" in field_error(
        overlap, "r1_low"
    )
    assert soup(overlap).select_one(".govuk-error-summary a")["href"] == "#r1_low"
    gap = post(admin, url, {**SUGGESTED, "r1_low": "27"})
    assert "No category covers 25 to 26, between 16-24 (16 to 24) and 25-34 (27 to 34)" in field_error(
        gap, "r1_low"
    )
    typed = post(admin, url, {**SUGGESTED, "r2_high": "forty"})
    assert "35-49: enter a whole number in ‘To’, like 16" in field_error(typed, "r2_high")
    upside = post(admin, url, {**SUGGESTED, "r3_low": "70"})
    assert "50-64: ‘From’ 70 is more than ‘To’ 64" in field_error(upside, "r3_low")
    empty = post(admin, url, dict.fromkeys(SUGGESTED, ""))
    assert "Give the numbers of at least one census category" in field_error(empty, "r0_low")
    assert "demographics" not in draft_of(app, draft_id)

    saved = post(admin, url, SUGGESTED)
    assert saved.headers["Location"] == f"{base}/demographics"
    mapping = draft_of(app, draft_id)["demographics"]
    assert mapping == [
        {
            "dimension": AGE,
            "question": "how_old_are_you",
            "ranges": [
                {"min": 16, "max": 24, "category": "16-24"},
                {"min": 25, "max": 34, "category": "25-34"},
                {"min": 35, "max": 49, "category": "35-49"},
                {"min": 50, "max": 64, "category": "50-64"},
                {"min": 65, "max": None, "category": "65+"},
            ],
        }
    ]
    listed = words(admin.get(f"{base}/demographics"))
    assert "16 to 24: 16-24; 25 to 34: 25-34; 35 to 49: 35-49; 50 to 64: 50-64; 65 or more: 65+" in listed
    assert "no problems" in words(admin.get(base))
    checked = validate_dict(draft_of(app, draft_id), "draft")
    assert checked.questionnaire is not None and not checked.errors and not checked.warnings
    [engine_mapping] = checked.questionnaire.demographics
    assert [engine_mapping.category(n) for n in (16, 30, 64, 65, 99)] == [
        "16-24",
        "25-34",
        "50-64",
        "65+",
        "65+",
    ]

    # Changing it: the stored numbers are shown; ages the ranges leave out are said, and not counted.
    edit = admin.get(f"{base}/demographics/0")
    assert boxes(edit) == SUGGESTED
    changed = post(admin, f"{base}/demographics/0", {**SUGGESTED, "r0_low": "", "r0_high": ""})
    assert changed.status_code == 302
    banner = words(admin.get(f"{base}/demographics"))
    assert "Answers 16 to 24 are in no range: they count as not mapped" in banner
    assert draft_of(app, draft_id)["demographics"][0]["ranges"][0] == {
        "min": 25,
        "max": 34,
        "category": "25-34",
    }
    assert "not compared with the census: answers 16 to 24" in words(admin.get(f"{base}/demographics/0"))
    not_counted = post(admin, f"{base}/demographics/0", {**SUGGESTED, "r5_high": "15"})
    assert not_counted.status_code == 302
    ranges = draft_of(app, draft_id)["demographics"][0]["ranges"]
    assert ranges[0] == {"min": None, "max": 15, "category": None} and ranges[1]["category"] == "16-24"


def test_a_category_the_reference_population_lacks_is_named(admin: FlaskClient, app: Flask) -> None:
    draft_id, base = with_age_question(admin)
    definition = draft_of(app, draft_id)
    definition["demographics"] = [
        {
            "dimension": AGE,
            "question": "how_old_are_you",
            "ranges": [
                {"min": 16, "max": 24, "category": "Aged 16 to 24"},
                {"min": 25, "max": None, "category": "25-34"},
            ],
        }
    ]
    with Session(get_engine(app)) as session:
        draft = session.get(QuestionnaireDraft, draft_id)
        assert draft is not None
        draft.definition = definition
        session.add(draft)
        session.commit()
    assert "(UNKNOWN_CATEGORY)" in words(admin.get(base))
    page = admin.get(f"{base}/demographics/0")
    assert [x.get_text() for x in soup(page).select("legend")][-1] == "Aged 16 to 24"
    message = field_error(page, "r6_low")
    assert "‘Aged 16 to 24’ is not a category of age_adult16plus in the reference population" in message
    assert "16-24, 25-34, 35-49, 50-64, 65+" in message
    still = post(admin, f"{base}/demographics/0", {**boxes(page), "r4_low": ""})
    assert still.status_code == 400 and "not a category of age_adult16plus" in field_error(still, "r6_low")
    fixed = post(
        admin,
        f"{base}/demographics/0",
        {**boxes(page), "r0_low": "16", "r0_high": "24", "r6_low": "", "r6_high": ""},
    )
    assert fixed.status_code == 302
    categories = [r["category"] for r in draft_of(app, draft_id)["demographics"][0]["ranges"]]
    assert categories == ["16-24", "25-34"]


def test_the_ranges_page_needs_a_number_question_and_a_known_dimension(admin: FlaskClient) -> None:
    _, base = with_age_question(admin)
    post(admin, f"{base}/sections/section_1/questions/new", {"qtype": "single", "text": "Sex"})
    assert admin.get(f"{base}/demographics/ranges?question=nope&dimension={AGE}").status_code == 404
    assert admin.get(f"{base}/demographics/ranges?question=how_old_are_you&dimension=nope").status_code == 404
    single = admin.get(f"{base}/demographics/ranges?question=sex&dimension={AGE}")
    assert single.status_code == 404 and "number question sex" in words(single)
