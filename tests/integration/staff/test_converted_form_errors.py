"""The staff forms moved from hand parsing to Flask-WTF (report, export, paper keying start, suggested
themes): a bad or missing value gives the page again with the message next to its field, listed in the
GOV.UK error summary linking to that field, and nothing is started or changed."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.test import TestResponse

from survey.store import repository_jobs, repository_staff
from survey.store import repository_themes as themes_repo
from survey.store.db import get_engine
from tests.helpers import csrf_of
from tests.integration.staff.themes_helpers import BUSES, QID, QUESTION, TAX, store_answers, suggest

REPORTS = f"/staff/reports/{QID}"
PAPER = f"/staff/paper/{QID}"
THEMES = f"/staff/themes/{QID}/{QUESTION}"


def _post(client: FlaskClient, shown_at: str, posted_to: str, data: dict[str, str]) -> TestResponse:
    return client.post(posted_to, data={**data, "csrf_token": csrf_of(client.get(shown_at))})


def _by_id(page: BeautifulSoup, ident: str) -> Tag:
    found = page.find(id=ident)
    assert isinstance(found, Tag), f"#{ident} is not on the page"
    return found


def _shown_by_field(response: TestResponse) -> dict[str, str]:
    """Each message of the error summary, by the id it links to, checked to show in that field's group."""
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert page.title is not None and page.title.get_text().startswith("Error: ")
    shown: dict[str, str] = {}
    for link in page.select(".govuk-error-summary__list a"):
        text, target = link.get_text(" ", strip=True), str(link["href"]).removeprefix("#")
        field = page.find(id=target)
        assert field is not None, f"{text!r} links to #{target}, which is not on the page"
        group = field if "govuk-form-group--error" in field.get_attribute_list("class") else None
        group = group or field.find_parent(class_="govuk-form-group--error")
        assert group is not None and text in group.get_text(" ", strip=True), f"#{target} lacks {text!r}"
        shown[target] = text
    return shown


def _jobs(app: Flask, kind: str) -> int:
    with app.app_context(), Session(get_engine()) as session:
        return len(repository_jobs.jobs_of_kind(session=session, kind=kind, questionnaire_id=QID))


def test_a_refused_report_form_shows_each_message_by_its_field_and_starts_no_job(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    client = staff_client("analyst")
    sent = {"kind": "weekly", "audience": "everyone", "format": "pdf", "as_of": "2999-01-01"}
    response = _post(client, REPORTS, f"{REPORTS}/generate", sent)
    assert response.status_code == 400
    assert _shown_by_field(response) == {
        "kind": "Select an interim or a final report",
        "audience": "Select who the report is for: internal, partner organisations or the public",
        "as_of": "The date must be today or in the past",
    }
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert _by_id(page, "as_of")["value"] == "2999-01-01"  # what was typed is shown again
    assert page.select("input[name=format][value=pdf][checked]")
    missing = _post(client, REPORTS, f"{REPORTS}/generate", {"audience": "internal"})
    assert _shown_by_field(missing) == {
        "kind": "Select an interim or a final report",
        "format": "Select the format of the report",
    }
    assert _jobs(app, "report") == 0


def test_a_refused_export_form_shows_its_message_by_the_format_and_starts_no_job(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    client = staff_client("analyst")
    response = _post(client, REPORTS, f"{REPORTS}/export", {"export_format": "xls", "labels": "yes"})
    assert response.status_code == 400
    assert _shown_by_field(response) == {"export_format": "Select the format of the export"}
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert _by_id(page, "labels").has_attr("checked")  # the ticked option stays ticked
    assert _jobs(app, "export") == 0


def test_the_reports_page_starts_with_an_interim_pdf_for_internal_use_kept(
    staff_client: Callable[..., FlaskClient],
) -> None:
    page = BeautifulSoup(staff_client("analyst").get(REPORTS).get_data(as_text=True), "html.parser")
    checked = {str(i["name"]): str(i["value"]) for i in page.select("input[type=radio][checked]")}
    assert checked == {"kind": "interim", "audience": "internal", "format": "pdf", "export_format": "zip"}
    assert _by_id(page, "keep").has_attr("checked") and not _by_id(page, "labels").has_attr("checked")
    legends = [legend.get_text(" ", strip=True) for legend in page.select("legend")]
    assert legends == ["Kind of report", "Who the report is for", "Format", "Format", "Options"]


def test_a_refused_paper_start_shows_each_message_by_its_field_and_starts_no_response(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    client = staff_client("analyst")
    shown = BeautifulSoup(client.get(PAPER).get_data(as_text=True), "html.parser")
    legends = [legend.get_text(" ", strip=True) for legend in shown.select("form legend")]
    assert legends[:3] == [
        "How were the answers given?",
        "Date received (paper forms)",
        "Entry (paper forms)",
    ]
    assert "Typed in from a completed paper questionnaire" in shown.get_text()  # each mode's hint
    assert _by_id(shown, "received-year")["value"] and shown.select("input[name=entry][value=first][checked]")
    sent = {
        "mode": "paper",
        "batch": " B7 ",
        "form_number": "",
        "received-day": "3",
        "received-month": "",
        "received-year": "2026",
        "entry": "third",
        "channel": "no-such-channel",
        "language": "en",
    }
    response = _post(client, PAPER, PAPER, sent)
    assert response.status_code == 400
    assert _shown_by_field(response) == {
        "form_number": "Enter the form number written on the form or its envelope",
        "received-day": "Date received must include a month",
        "entry": "Select whether this is the first or the second entry of the form",
        "channel": "Select a channel from the list, or no channel",
    }
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert _by_id(page, "batch")["value"] == "B7" and _by_id(page, "received-day")["value"] == "3"
    none = _post(client, PAPER, PAPER, {"language": "en"})
    assert _shown_by_field(none) == {"mode": "Select how the answers were given"}
    # A phone response needs no batch, form number or date: what is typed there is not checked.
    phone = _post(client, PAPER, PAPER, {"mode": "phone", "received-day": "40", "language": "en"})
    assert phone.status_code == 302
    with app.app_context(), Session(get_engine()) as session:
        modes = [r.mode for r in repository_staff.responses_of(session=session, questionnaire_id=QID)]
    assert modes == ["phone"]  # the refused posts started nothing


def test_a_refused_decision_on_a_suggestion_shows_its_message_by_that_suggestions_field(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    store_answers(app, BUSES + TAX)
    client = staff_client("analyst")
    suggest(client)
    rename = _post(client, THEMES, f"{THEMES}/suggestions", {"action": "rename", "key": "buses / late"})
    assert rename.status_code == 400
    assert _shown_by_field(rename) == {"rename-buses-late": "Enter a new name for the suggestion"}
    sent = {"action": "merge", "key": "buses / late", "merge_with": "buses / late"}
    merge = _post(client, THEMES, f"{THEMES}/suggestions", sent)
    assert _shown_by_field(merge) == {"merge-buses-late": "Choose another suggestion to merge this one into"}
    sent = {"action": "accept", "key": "buses / late", "base_version": "1.0.0", "into": "no-such-theme"}
    into = _post(client, THEMES, f"{THEMES}/suggestions", sent)
    assert _shown_by_field(into) == {
        "into-buses-late": "Choose a theme of the codebook, or make it a new theme"
    }
    unknown = _post(client, THEMES, f"{THEMES}/suggestions", {"action": "delete", "key": "buses / late"})
    assert unknown.status_code == 400
    assert "Choose what to do with the suggestion" in unknown.get_data(as_text=True)
    with app.app_context(), Session(get_engine()) as session:
        decided = themes_repo.suggestion_decisions(
            session=session, questionnaire_id=QID, question_id=QUESTION
        )
    assert decided == {}
