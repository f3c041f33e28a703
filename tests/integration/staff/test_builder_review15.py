"""Review of issue 15 (the builder and spreadsheets, driven as an officer would): optional questions, every
text the translation warnings count, exact number bounds, reachable support contacts, and census categories
checked when a workbook is uploaded, not only when it is published."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from survey.engine import validate_dict
from survey.services.xlsform import to_xlsx
from tests.helpers import soup
from tests.integration.staff.test_builder import (
    build_branching,
    draft_of,
    field_error,
    new_draft,
    post,
    words,
)
from tests.integration.staff.test_spreadsheets import original, upload


def test_a_question_can_be_made_optional_and_the_box_shows_the_formats_default(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    url = f"/staff/builder/{draft_id}/questions/what_happened"
    box = soup(admin.get(url)).find(id="required")
    assert box is not None and box.has_attr("checked")  # the format's default: required
    post(admin, url, {"text": "What happened?"})  # the box left empty: optional
    question = draft_of(app, draft_id)["sections"][1]["questions"][0]
    assert question["required"] is False
    checked = validate_dict(draft_of(app, draft_id), "draft")
    assert checked.questionnaire is not None
    assert checked.questionnaire.question("what_happened").required is False
    box = soup(admin.get(url)).find(id="required")
    assert box is not None and not box.has_attr("checked")
    overview = words(admin.get(f"/staff/builder/{draft_id}"))
    assert "What happened? Optional" in overview and "How old are you? Required" in overview
    post(admin, url, {"text": "What happened?", "required": "y"})
    assert "required" not in draft_of(app, draft_id)["sections"][1]["questions"][0]


def test_translations_list_every_text_the_warnings_count_and_the_warnings_link_there(
    admin: FlaskClient, app: Flask
) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    base = f"/staff/builder/{draft_id}"
    post(admin, f"{base}/settings", {"title": "Crime and safety", "description": "How safe do you feel?"})
    post(admin, f"{base}/support", {"name": "Victim Support", "phone": "0808 168 9111", "hours": "24 hours"})
    post(admin, f"{base}/translations", {"action": "add-language", "add-language": "cy"})
    page = admin.get(f"{base}/translations?lang=cy")
    listed = words(page)
    for where in ("Questionnaire: description", "Support contact 1: name", "Support contact 1: hours"):
        assert where in listed
    boxes = {str(t["name"]): "Cymraeg" for t in soup(page).select("textarea[name^=t]")}
    post(admin, f"{base}/translations?lang=cy", {"action": "save", **boxes}, page_url=f"{base}/translations")
    saved = draft_of(app, draft_id)
    assert saved["description"]["cy"] == "Cymraeg"
    assert saved["support_contacts"][0]["hours"] == {"en": "24 hours", "cy": "Cymraeg"}
    result = validate_dict(saved, "draft")
    assert [p.code for p in result.warnings if p.code == "MISSING_TRANSLATION"] == []
    assert "Missing in cy: 0" in words(admin.get(f"{base}/translations?lang=cy"))
    post(admin, f"{base}/settings", {"title": "Crime and safety", "description": "Changed words"})
    saved = draft_of(app, draft_id)
    assert saved["description"]["en"] == "Changed words"
    del saved["description"]["cy"]
    with app.app_context():
        from survey.staff.builder_common import check, place_url

        warnings = check(saved).warnings
        with app.test_request_context():
            links = {place_url(draft_id, place) for place, p in warnings if p.code == "MISSING_TRANSLATION"}
    assert links == {f"{base}/translations#missing"}


def test_number_bounds_are_kept_exactly_and_absurd_ones_refused(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    build_branching(admin, draft_id)
    url = f"/staff/builder/{draft_id}/questions/how_old_are_you"
    post(admin, url, {"text": "How old are you?", "required": "y", "min": "16", "max": "999999999999999"})
    question = draft_of(app, draft_id)["sections"][1]["questions"][1]
    assert question["min"] == 16 and question["max"] == 999_999_999_999_999
    huge = post(admin, url, {"text": "How old are you?", "min": "99999999999999999999999"})
    assert huge.status_code == 400
    assert "at most 15 digits" in field_error(huge, "min")
    assert draft_of(app, draft_id)["sections"][1]["questions"][1]["max"] == 999_999_999_999_999


def test_a_support_contact_needs_a_phone_or_a_secure_website(admin: FlaskClient, app: Flask) -> None:
    draft_id = new_draft(admin)
    url = f"/staff/builder/{draft_id}/support"
    bare = post(admin, url, {"name": "Victim Support"})
    assert bare.status_code == 400
    assert "Enter a phone number or a website" in field_error(bare, "phone")
    plain_http = post(admin, url, {"name": "Victim Support", "url": "http://example.org"})
    assert plain_http.status_code == 400 and "https://" in field_error(plain_http, "url")
    assert "support_contacts" not in draft_of(app, draft_id)
    assert post(admin, url, {"name": "Samaritans", "phone": "116 123"}).status_code == 302
    assert post(admin, url, {"name": "Refuge", "url": "https://refuge.org.uk"}).status_code == 302
    assert [c["name"] for c in draft_of(app, draft_id)["support_contacts"]] == ["Samaritans", "Refuge"]


def test_an_unknown_census_category_in_a_workbook_is_located_at_upload(admin: FlaskClient) -> None:
    book = load_workbook(io.BytesIO(to_xlsx(original())))
    sheet = book["demographics"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "map")
    category = next(c for c in range(1, sheet.max_column + 1) if sheet.cell(1, c).value == "category")
    sheet.cell(row, category).value = "Femme"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(admin, buffer.getvalue())
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup(response).select("tbody tr")
    ]
    assert len(rows) == 1, rows
    assert rows[0][0] == "demographics" and rows[0][1] == str(row)
    assert "Femme" in rows[0][3] and rows[0][4] == "UNKNOWN_CATEGORY"
    assert "The spreadsheet has no errors" not in words(response)
