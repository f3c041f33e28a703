"""Preview a questionnaire as a resident: the real pages and checks, any path and language, nothing stored."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from survey.services.xlsform import to_xlsx
from tests.conftest import PROJECT_ROOT
from tests.helpers import csrf_of, soup, stored_counts

QID = "safermk-2016"


def step(client: FlaskClient, page: TestResponse, action: str, **answer: Any) -> TestResponse:
    form = soup(page).find("form", action="/staff/questionnaires/preview")
    assert form is not None, page.get_data(as_text=True)
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input", type="hidden")}
    return client.post("/staff/questionnaires/preview", data={**fields, "action": action, **answer})


def heading(page: TestResponse) -> str:
    found = soup(page).find(["h1", "legend"])
    return " ".join(found.get_text(" ").split()) if found else ""


def test_preview_walks_the_routes_checks_answers_and_stores_nothing(app: Flask, analyst: FlaskClient) -> None:
    before = stored_counts(app)
    page = analyst.get(f"/staff/questionnaires/{QID}/preview")
    assert page.status_code == 200
    assert "nothing you enter here is stored" in page.get_data(as_text=True)
    assert "Which of these best describes you?" in heading(page)
    refused = step(analyst, page, "continue")
    assert refused.status_code == 400 and "There is a problem" in refused.get_data(as_text=True)
    visitor = step(analyst, refused, "continue", answer="visitor")
    assert "What is your sex?" in heading(visitor)  # visitors skip ward and tenure
    back = step(analyst, visitor, "back")
    resident = step(analyst, back, "continue", answer="resident")
    assert "Which ward do you live in?" in heading(resident)
    jumps = [b.get_text(" ", strip=True) for b in soup(resident).select("#jump + p + ul button")]
    assert any("Which ward" in j for j in jumps) and len(jumps) > 15
    polish = step(analyst, resident, "language", lang="pl")
    assert "W którym okręgu wyborczym" in heading(polish)
    end = step(analyst, polish, "random")
    assert "End of the preview" in heading(end)
    assert soup(end).select(".govuk-summary-list__row")
    again = step(analyst, end, "restart", lang="pl")
    assert "Które z poniższych" in heading(again)
    assert stored_counts(app) == before


def test_an_uploaded_draft_is_previewed_before_it_is_published(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    admin = staff_client("admin")
    draft: dict[str, Any] = json.loads((PROJECT_ROOT / "questionnaires" / f"{QID}.json").read_text("utf-8"))
    draft = copy.deepcopy(draft)
    draft["sections"][0]["questions"][0]["text"]["en"] = "Draft wording: which describes you?"
    token = csrf_of(admin.get("/staff/questionnaires/publish-spreadsheet"))
    check = admin.post(
        "/staff/questionnaires/publish-spreadsheet",
        data={"csrf_token": token, "workbook": (io.BytesIO(to_xlsx(draft)), "draft.xlsx")},
        content_type="multipart/form-data",
    )
    before = stored_counts(app)
    page = step(admin, check, "restart")
    assert "Draft wording: which describes you?" in heading(page)
    assert "(not published)" in page.get_data(as_text=True)
    form = soup(page).find("form", action="/staff/questionnaires/publish-spreadsheet/check")
    assert form is not None
    fields = {i["name"]: i.get("value", "") for i in form.find_all("input")}
    review = admin.post("/staff/questionnaires/publish-spreadsheet/check", data=fields)
    assert "Check and publish safermk-2016" in review.get_data(as_text=True)
    assert stored_counts(app) == before
    resident = app.test_client().get(f"/s/{QID}").get_data(as_text=True)
    assert "Draft wording" not in resident


def test_a_tampered_preview_is_refused(analyst: FlaskClient) -> None:
    page = analyst.get(f"/staff/questionnaires/{QID}/preview")
    token = soup(page).find("input", attrs={"name": "csrf_token"})["value"]
    response = analyst.post(
        "/staff/questionnaires/preview", data={"csrf_token": token, "definition": "{", "answers": "{}"}
    )
    assert response.status_code == 400
