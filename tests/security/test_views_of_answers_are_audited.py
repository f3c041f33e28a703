"""Every staff page that shows individual residents' answers leaves an audit event (issue 17, finding 4).

Who (the signed-in member of staff), which page, which response ids, when: hand-coding pages, the coding
suggestions, the theme page's quotes and suggested themes, a keyed response's check page, moderation's page
of one response and the differences between a paper form's two entries (the second review's F3).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient

from survey.services import audit
from survey.store.models import Response
from survey.store.models_staff import AuditEvent
from tests.helpers import table_rows
from tests.integration.staff.conftest import (  # noqa: F401 (fixtures)
    app_config,
    keyer,  # noqa: F401 (the fixture)
    staff_client,
)
from tests.integration.staff.paper_helpers import ANSWERS, Keyer
from tests.integration.staff.test_audit_actions import actions_in_the_code
from tests.integration.staff.test_paper_double_entry import key_form
from tests.integration.staff.test_themes_coding import save
from tests.integration.staff.themes_helpers import (
    BURGLARY,
    BUSES,
    QID,
    QUESTION,
    SPEEDING,
    TAX,
    audit_actions,
    store_answers,
)

NEW_ACTIONS = {"responses.view", "response.erase", "response.erase.resident", "sign_out.everywhere"}


def _views(app: Flask, page: str) -> list[AuditEvent]:
    return [e for e in audit_actions(app, "responses.view") if e.details.get("page") == page]


def test_the_new_actions_are_listed_and_recorded_in_the_code() -> None:
    assert NEW_ACTIONS <= set(audit.ACTIONS)
    assert NEW_ACTIONS <= actions_in_the_code()


def test_hand_coding_pages_record_which_answers_were_shown(
    app: Flask,
    staff_client: Callable[..., FlaskClient],
) -> None:
    ids = store_answers(app, BUSES + TAX)
    analyst = staff_client("analyst", email="reader@example.gov.uk")
    assert analyst.get(f"/staff/themes/{QID}/{QUESTION}/coding").status_code == 200
    [event] = _views(app, "themes.coding")
    assert event.actor == "reader@example.gov.uk" and event.questionnaire_id == QID
    assert event.details["question"] == QUESTION and event.details["responses"] == sorted(ids)
    assert event.at is not None


def test_coding_suggestions_record_the_answers_they_show(
    app: Flask,
    staff_client: Callable[..., FlaskClient],
) -> None:
    ids = store_answers(app, BURGLARY + SPEEDING + ["quiet area no problems", "all fine here"])
    analyst = staff_client("analyst")
    codes = {i: ["burglary"] for i in ids[:3]} | {i: ["road_safety"] for i in ids[4:7]}
    save(analyst, codes, none=(ids[8],))
    assert analyst.get(f"/staff/themes/{QID}/{QUESTION}/coding/suggestions").status_code == 200
    [event] = _views(app, "themes.coding.suggestions")
    assert event.details["responses"] == sorted((ids[3], ids[7], ids[9]))  # the ones not coded by hand


def test_the_themes_page_records_the_responses_it_quotes(
    app: Flask,
    staff_client: Callable[..., FlaskClient],
) -> None:
    ids = store_answers(app, BURGLARY + BUSES + TAX)
    analyst = staff_client("analyst")
    page = analyst.get(f"/staff/themes/{QID}/{QUESTION}")
    assert page.status_code == 200
    [event] = _views(app, "themes")
    quoted = event.details["responses"]
    assert quoted and set(quoted) <= set(ids)
    html = page.get_data(as_text=True)
    by_id = dict(zip(ids, BURGLARY + BUSES + TAX, strict=True))
    assert all(by_id[rid] in html for rid in quoted)  # each listed response is indeed quoted on the page


def test_checking_a_keyed_response_is_recorded(app: Flask, keyer: Keyer) -> None:
    keyer.start(mode="phone")  # paper forms also need their batch and date received
    keyer.walk(ANSWERS)
    assert keyer.path == f"/staff/paper/{QID}/check"
    [event] = _views(app, "paper.check")
    assert len(event.details["responses"]) == 1


def test_moderations_page_of_one_response_is_recorded(
    app: Flask,
    staff_client: Callable[..., FlaskClient],
) -> None:
    """Second review, F3: the page shows every answer (sensitive ones too) and left no trace."""
    [rid] = store_answers(app, BURGLARY[:1])
    analyst = staff_client("analyst", email="moderator@example.gov.uk")
    page = analyst.get(f"/staff/moderation/{QID}?response={rid}", follow_redirects=True)
    assert page.status_code == 200 and BURGLARY[0] in page.get_data(as_text=True)
    [event] = _views(app, "moderation.response")
    assert event.actor == "moderator@example.gov.uk" and event.details["responses"] == [rid]
    assert event.questionnaire_id == QID


def test_the_differences_of_a_paper_forms_two_entries_are_recorded(
    app: Flask,
    keyer: Keyer,
    staff_client: Callable[..., FlaskClient],
) -> None:
    """Second review, F3: the page shows both entries of a form, free text included, and left no trace."""
    key_form(keyer, "first", ANSWERS, {})
    keyer.post(f"/staff/paper/{QID}/check", {})
    checker = Keyer(staff_client("analyst"))  # double entry: a second person keys the form again
    key_form(checker, "second", {**ANSWERS, "age": 76}, {})
    checker.post(f"/staff/paper/{QID}/check", {})
    assert checker.path.startswith(f"/staff/paper/{QID}/differences/")
    [event] = _views(app, "paper.differences")
    [response] = table_rows(app, Response)  # the first entry's (the second entry is not a response)
    assert event.details["responses"] == [response.id]
    checker.get(checker.path)  # every showing is recorded
    assert len(_views(app, "paper.differences")) == 2
    checker.get(checker.path + "/enter/age")  # so is entering what the form says, which shows the first entry
    [entering] = [e for e in _views(app, "paper.differences") if e.details["question"] == "age"]
    assert entering.details["responses"] == [response.id]
