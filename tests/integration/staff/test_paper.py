"""Paper, phone and assisted responses keyed in by staff through the same questions and checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from survey.engine import first_page, next_page, prune_answers, visible_questions
from survey.store.models import Response
from survey.store.models_staff import AuditEvent
from tests.helpers import error_summary_links, soup, table_rows
from tests.integration.staff.conftest import sign_in
from tests.integration.staff.paper_helpers import ANSWERS, QID, Keyer, Q
from tests.respondent import Respondent, default_answer


def test_a_paper_form_is_keyed_through_the_same_branches_and_stored_with_its_mode_and_channel(
    app: Flask, keyer: Keyer
) -> None:
    keyer.start(
        mode="paper",
        channel="trust-a",
        batch="B1",
        form_number="1",
        **{"received-day": "1", "received-month": "3", "received-year": "2026"},
    )
    assert keyer.path == f"/staff/paper/{QID}/p/1"
    keyer.walk(ANSWERS)
    assert keyer.path == f"/staff/paper/{QID}/check"
    expected: dict[str, Any] = {}
    current = first_page(Q, expected)
    while current is not None:  # the engine's own walk with the same answers
        question = Q.question(current)
        if question.asks:
            expected[current] = ANSWERS.get(current, default_answer(question))
        current = next_page(Q, expected, current)
    expected = prune_answers(Q, expected)
    assert keyer.seen == [q.id for q in visible_questions(Q, expected)]
    assert "victim_types" not in keyer.seen  # 'no' skips the crime questions, as online
    assert keyer.page is not None
    check = keyer.page.get_data(as_text=True)
    assert "Speeding on the high street" in check
    keyer.post(f"/staff/paper/{QID}/check", {})
    assert keyer.path == f"/staff/paper/{QID}"
    [stored] = table_rows(app, Response)
    assert (stored.status, stored.mode, stored.channel, stored.duration_seconds) == (
        "complete",
        "paper",
        "trust-a",
        None,
    )
    assert stored.answers == expected
    assert f"Response {stored.id} saved" in soup(keyer.page).get_text()
    [event] = [e for e in table_rows(app, AuditEvent) if e.action == "response.keyed"]
    assert event.actor == "analyst1@example.gov.uk" and event.questionnaire_id == QID
    assert event.details == {
        "response_id": stored.id,
        "mode": "paper",
        "channel": "trust-a",
        "version": Q.version,
        "batch": "B1",
        "form": "1",
    }


def test_keyed_answers_get_the_public_journeys_error_messages(
    app: Flask, keyer: Keyer, respondent: Callable[..., Respondent]
) -> None:
    resident = respondent(QID)
    resident.start()
    resident.answer(None)
    keyer.start(mode="phone")
    sent = keyer.answer(None)
    assert sent.status_code == 400
    assert error_summary_links(sent) == resident.error_summary == ["Select which of these best describes you"]
    keyer.answer("resident")
    keyer.answer("olney")
    keyer.answer("rent_council")
    keyer.answer("female")
    out_of_range = keyer.answer(250)
    assert keyer.question is not None and keyer.question.id == "age"
    resident.walk({"respondent_type": "resident"}, stop_at="age")
    resident.answer(250)
    assert error_summary_links(out_of_range) == resident.error_summary and error_summary_links(out_of_range)


def test_changing_an_answer_opens_the_new_branch_then_returns_to_check(app: Flask, keyer: Keyer) -> None:
    keyer.start(mode="assisted")
    keyer.walk(ANSWERS)
    assert keyer.page is not None
    change = next(
        a["href"]
        for a in soup(keyer.page).select(".govuk-summary-list__actions a")
        if "victim of crime" in a.get_text()
    )
    assert change.startswith(f"/staff/paper/{QID}/p/") and change.endswith("?change=1")
    keyer.get(change)
    keyer.answer("yes")
    assert keyer.question is not None and keyer.question.id == "victim_types"  # the branch that opened
    keyer.walk({})
    assert keyer.path == f"/staff/paper/{QID}/check"
    keyer.post(f"/staff/paper/{QID}/check", {})
    [stored] = table_rows(app, Response)
    assert stored.mode == "assisted" and stored.answers["victim_any"] == "yes"
    assert "victim_types" in stored.answers


def test_the_start_form_says_what_is_missing(app: Flask, keyer: Keyer) -> None:
    keyer.get(f"/staff/paper/{QID}")
    sent = keyer.post(f"/staff/paper/{QID}", {"mode": "", "channel": "nope", "language": "xx"})
    assert sent.status_code == 400
    assert error_summary_links(sent) == [
        "Select how the answers were given",
        "Select a channel from the list, or no channel",
        "Select the language the answers were given in",
    ]
    assert table_rows(app, Response) == []


def test_an_unfinished_keyed_response_can_be_resumed_or_thrown_away(app: Flask, keyer: Keyer) -> None:
    keyer.start(mode="phone")
    keyer.answer("resident")
    start = keyer.get(f"/staff/paper/{QID}")
    assert soup(start).find(id="running") is not None
    resumed = keyer.get(f"/staff/paper/{QID}/check")  # carries on at the first page still to answer
    assert resumed.request.path == f"/staff/paper/{QID}/p/2"
    keyer.get(f"/staff/paper/{QID}")
    keyer.post(f"/staff/paper/{QID}/discard", {})
    assert table_rows(app, Response) == []
    assert [e.details for e in table_rows(app, AuditEvent) if e.action == "response.keying_discarded"] == [
        {"mode": "phone"}
    ]
    assert keyer.get(f"/staff/paper/{QID}/p/1").request.path == f"/staff/paper/{QID}"


def test_an_online_journey_cannot_be_thrown_away_from_the_staff_pages(
    app: Flask, keyer: Keyer, respondent: Callable[..., Respondent]
) -> None:
    resident = respondent(QID)
    resident.start()
    resident.answer("resident")
    [online] = table_rows(app, Response)
    with keyer.client.session_transaction() as browser:
        browser["staff_keying"] = {QID: online.token}  # a forged cookie pointing at a resident's journey
    keyer.get(f"/staff/paper/{QID}")
    keyer.post(f"/staff/paper/{QID}/discard", {})
    assert [r.id for r in table_rows(app, Response)] == [online.id]


def test_keyed_responses_appear_in_the_dashboard_mode_mix(app: Flask, keyer: Keyer) -> None:
    keyer.start(mode="phone")
    keyer.walk(ANSWERS)
    keyer.post(f"/staff/paper/{QID}/check", {})
    page = soup(keyer.client.get(f"/staff/dashboard/{QID}"))
    modes = {tr["data-mode"]: tr.find("td").get_text(strip=True) for tr in page.select("#modes tbody tr")}
    assert modes == {"online": "0", "paper": "0", "phone": "1", "assisted": "0"}


def test_partners_cannot_key_responses(staff_client: Callable[..., FlaskClient]) -> None:
    partner = staff_client("partner")
    for path in (
        "/staff/paper",
        f"/staff/paper/{QID}",
        f"/staff/paper/{QID}/p/1",
        f"/staff/paper/{QID}/check",
    ):
        assert partner.get(path).status_code == 403, path


def test_signing_out_forgets_the_keying_draft_in_this_browser(app: Flask, keyer: Keyer) -> None:
    keyer.start(mode="phone")
    keyer.answer("resident")
    with keyer.client.session_transaction() as browser:
        assert QID in browser["staff_keying"]
    keyer.post("/staff/sign-out", {})
    with keyer.client.session_transaction() as browser:
        assert "staff_keying" not in browser and "staff" not in browser
    assert sign_in(keyer.client, "analyst1@example.gov.uk").status_code == 302  # whoever signs in next
    start = keyer.get(f"/staff/paper/{QID}")
    assert start.request.path == f"/staff/paper/{QID}" and soup(start).find(id="running") is None
    assert keyer.get(f"/staff/paper/{QID}/check").request.path == f"/staff/paper/{QID}"  # nothing to resume
