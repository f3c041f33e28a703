"""Questionnaires as spreadsheets on the staff site: download, upload with located errors, publish."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from survey.services.xlsform import read_xlsx, to_xlsx
from survey.store.db import get_engine
from survey.store.models import QuestionnaireVersion
from survey.store.models_staff import AuditEvent
from tests.conftest import PROJECT_ROOT
from tests.helpers import csrf_of, soup

QID = "safermk-2016"
UPLOAD = "/staff/questionnaires/publish-spreadsheet"


def original() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((PROJECT_ROOT / "questionnaires" / f"{QID}.json").read_text("utf-8"))
    return data


def upload(admin: FlaskClient, content: bytes, name: str = "safermk.xlsx") -> TestResponse:
    token = csrf_of(admin.get(UPLOAD))
    return admin.post(
        UPLOAD,
        data={"csrf_token": token, "workbook": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def confirm(admin: FlaskClient, check_page: TestResponse, version: str | None = None) -> TestResponse:
    form = soup(check_page).find("form", action="/staff/questionnaires/publish-spreadsheet/confirm")
    assert form is not None, check_page.get_data(as_text=True)
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    if version is not None:
        fields["version"] = version
    return admin.post("/staff/questionnaires/publish-spreadsheet/confirm", data=fields)


def versions(app: Flask) -> dict[str, bool]:
    with Session(get_engine(app)) as session:
        return {
            r.version: r.is_current
            for r in session.exec(select(QuestionnaireVersion))
            if r.questionnaire_id == QID
        }


def test_download_gives_the_current_version_as_a_workbook_that_reads_back_unchanged(
    staff_client: Callable[..., FlaskClient],
) -> None:
    analyst = staff_client("analyst")
    page = analyst.get(f"/staff/questionnaires/{QID}").get_data(as_text=True)
    assert f"/staff/questionnaires/{QID}/spreadsheet" in page
    response = analyst.get(f"/staff/questionnaires/{QID}/spreadsheet")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename={QID}-1.0.0.xlsx"
    assert read_xlsx(response.data).definition == original()
    assert analyst.get("/staff/questionnaires/nope/spreadsheet").status_code == 404
    assert analyst.get(UPLOAD).status_code == 403  # only admins publish


def test_a_broken_workbook_lists_each_problem_with_sheet_row_and_column(
    app: Flask, admin: FlaskClient
) -> None:
    book = load_workbook(io.BytesIO(to_xlsx(original())))
    book["survey"]["A3"] = "singel respondent_type"
    book["survey"]["H4"] = "respondent_type = resident"
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(admin, buffer.getvalue())
    assert response.status_code == 200
    rows = [
        [" ".join(td.get_text(" ").split()) for td in tr.find_all("td")]
        for tr in soup(response).select("tbody tr")
    ]
    assert rows == [
        [
            "survey",
            "4",
            "H (relevant)",
            "the condition cannot be read: put text values in quotes: 'resident' (at character 19) "
            "respondent_type = resident ^ Write conditions like: victim_any = 'yes' and not (age < 18); "
            "text values go in quotes.",
            "XLSX_BAD_CONDITION",
        ],
        # the engine's problem on another row is listed with the workbook's own (not after it is fixed)
        ["survey", "3", "A (type)", rows[1][3], "BAD_VALUE"],
    ]
    assert rows[1][3].startswith('"singel" is not allowed here: use one of: single, multiple')
    assert "There is a problem" in response.get_data(as_text=True)
    book["survey"]["H4"] = "respondent_type = 'resident'"
    buffer = io.BytesIO()
    book.save(buffer)
    rows = [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup(upload(admin, buffer.getvalue())).select("tbody tr")
    ]
    assert [r[:3] + [r[4]] for r in rows] == [["survey", "3", "A (type)", "BAD_VALUE"]]
    assert versions(app) == {"1.0.0": True}


def test_a_changed_workbook_shows_the_changes_in_words_and_publishes_with_a_new_version(
    app: Flask, admin: FlaskClient
) -> None:
    changed = copy.deepcopy(original())
    questions = changed["sections"][0]["questions"]
    questions[3]["text"]["en"] = "What is your sex, as on your birth certificate?"
    del questions[4]  # age, and its demographic mapping
    changed["demographics"] = [m for m in changed["demographics"] if m["question"] != "age"]
    changed["sections"][2]["questions"][1]["show_if"] = {
        "q": "victim_any",
        "op": "in",
        "value": ["yes", "dont_know"],
    }
    check = upload(admin, to_xlsx(changed))
    text = check.get_data(as_text=True)
    changes = [li.get_text(" ", strip=True) for li in soup(check).select("#changes + ul li")]
    assert "question age removed Not comparable" in changes, text
    assert "demographic mappings changed" in changes
    assert (
        "sex reworded: ‘What is your sex?’ → ‘What is your sex, as on your birth certificate?’ Not comparable"
        in changes
    )
    assert any(
        c.startswith(
            "routing of victim_types changed: shown when victim_any = 'yes' → shown when "
            "victim_any in ('yes', 'dont_know')"
        )
        for c in changes
    ), changes
    assert 'value="1.1.0"' in text  # 1.0.0 is taken by other content: the next version is suggested
    published = confirm(admin, check)
    assert published.status_code == 302
    assert versions(app) == {"1.0.0": False, "1.1.0": True}
    with Session(get_engine(app)) as session:
        events = [e for e in session.exec(select(AuditEvent)) if e.action == "questionnaire.publish"]
    assert [e.details["version"] for e in events] == [{"old": "1.0.0", "new": "1.1.0"}]


def test_publishing_under_a_taken_version_is_refused_on_the_check_page(
    app: Flask, admin: FlaskClient
) -> None:
    changed = copy.deepcopy(original())
    changed["title"]["en"] = "Renamed"
    refused = confirm(admin, upload(admin, to_xlsx(changed)), version="1.0.0")
    assert refused.status_code == 200
    assert "already published with different content" in refused.get_data(as_text=True)
    assert versions(app) == {"1.0.0": True}


def test_not_a_workbook(admin: FlaskClient) -> None:
    response = upload(admin, b"not a spreadsheet", "notes.xlsx")
    assert "the file cannot be read: it is not an .xlsx workbook" in response.get_data(as_text=True)


def test_a_nul_written_as_x0000_and_a_missing_english_text_are_listed_not_published(
    app: Flask, admin: FlaskClient
) -> None:
    """Review of issue 15: a workbook cell '_x0000_' reads back as NUL (PostgreSQL's JSONB refuses it), and an
    empty label::en left a question English readers saw in Welsh; both are listed on their cells."""
    book = load_workbook(io.BytesIO(to_xlsx(original())))
    survey = book["survey"]
    headings = [c.value for c in survey[1]]
    english = headings.index("label::en") + 1
    welsh = next(h for h in headings if str(h).startswith("label::") and h != "label::en")
    survey.cell(3, english).value = "Are you_x0000_ a resident?"
    survey.cell(4, english).value = None
    assert survey.cell(4, headings.index(welsh) + 1).value  # the translation stays
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(admin, buffer.getvalue())
    assert response.status_code == 200
    found = {
        (cells[1], cells[-1])
        for cells in (
            [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in soup(response).select("tbody tr")
        )
    }
    assert ("3", "CONTROL_CHARACTER") in found and ("4", "MISSING_MAIN_TEXT") in found, found
    assert versions(app) == {"1.0.0": True}
