"""Residents' own receipt, and erasure of one response (issue 17, finding 5; UK GDPR Article 17).

Check your answers offers a receipt code; the confirmation page shows it once. With it, on any device, a
resident sees what they sent (to read or print) and can erase it, until the survey closes. Nothing in the
browser's cookie leads to the sent answers afterwards (the second review's F1: the next person at a shared
browser got a code for the previous resident's answers, read them and erased them). Staff (admins) erase a
response by its number after a confirmation step; both are audited, and the unpublished (interim) report
snapshots that counted the response are deleted with it while published (final) ones stay.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from survey.journey import receipt_handover as handover
from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_reports import ReportSnapshot
from survey.store.models_results import PublishedReport
from survey.store.models_staff import AuditEvent
from survey.store.models_themes import ManualCode
from tests.helpers import csrf_of
from tests.integration.staff.conftest import app_config, staff_client  # noqa: F401 (fixtures)
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]
TEXT = "Drug dealing outside the Co-op on Bletcham Way"
ANSWERS = {"respondent_type": "resident", "concerns_text": TEXT, "victim_any": "no"}


def rows(app: Flask, model: Any) -> list[Any]:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return list(session.exec(select(model)))


def send(respondent: MakeRespondent, *, receipt: bool = False, shared: bool = False) -> Respondent:
    resident = respondent()
    resident.start(shared=shared)
    resident.walk(ANSWERS)
    resident.submit(receipt=receipt)
    assert resident.path == "/s/safermk-2016/done"
    return resident


def receipt_code(resident: Respondent) -> str:
    """The receipt code the confirmation page shows (the resident ticked "Get a receipt code")."""
    code = resident.soup.select_one("#receipt-code")
    assert code is not None, resident.soup.get_text()[:400]
    return code.get_text(strip=True)


def press(resident: Respondent, action: str, **extra: str) -> None:
    """Submit the page's form that posts to `action`, with its hidden fields, as a browser would."""
    form = next((f for f in resident.soup.select("form") if f.get("action") == action), None)
    assert form is not None, f"no form posting to {action} on {resident.path}"
    data = {str(i["name"]): str(i.get("value", "")) for i in form.select("input[type=hidden]")}
    resident.post(action, {**data, **extra}, csrf=False)


def open_receipt(resident: Respondent, code: str) -> None:
    resident.get("/s/safermk-2016/receipt")
    resident.post("/s/safermk-2016/receipt", {"code": code})


def add_snapshot(app: Flask, kind: str, as_of: date, *, published: bool = False) -> None:
    with app.app_context(), Session(get_engine()) as session:
        snapshot = ReportSnapshot(
            questionnaire_id="safermk-2016",
            questionnaire_version="1",
            kind=kind,
            as_of=as_of,
            created_at=datetime.now(UTC),
            created_by="test",
            responses=1,
            started=1,
            reference_name="r",
            reference_version="1",
            codebook_id="c",
            codebook_version="1",
            format="html",
            filename="r.html",
            content=TEXT.encode(),
            numbers={},
        )
        session.add(snapshot)
        session.commit()
        if published:
            session.add(
                PublishedReport(
                    snapshot_id=snapshot.id,
                    questionnaire_id="safermk-2016",
                    published_at=datetime.now(UTC),
                    published_by="test",
                )
            )
            session.commit()


def test_a_receipt_code_shows_what_was_sent_on_another_device(app: Flask, respondent: MakeRespondent) -> None:
    resident = send(respondent, receipt=True)
    code = receipt_code(resident)
    [row] = rows(app, Response)
    assert row.receipt_code_hash and code.replace("-", "") not in str(row.model_dump())
    other = respondent()  # another device: only the code
    open_receipt(other, code.lower())
    page = other.soup.get_text()
    assert "The answers you sent" in page and TEXT in page and "print" in page
    assert other.soup.select("a[href*='change=1']") == []  # a receipt changes nothing


def test_the_resident_erases_their_answers_after_confirming(app: Flask, respondent: MakeRespondent) -> None:
    resident = send(respondent, receipt=True)
    code = receipt_code(resident)
    add_snapshot(app, "interim", date(2026, 6, 1))
    add_snapshot(app, "final", date(2026, 6, 1), published=True)
    reader = respondent()
    open_receipt(reader, code)
    press(reader, "/s/safermk-2016/receipt/erase")
    assert reader.heading == "Are you sure you want to erase your answers?"
    assert len(rows(app, Response)) == 1  # nothing yet: the confirmation step comes first
    press(reader, "/s/safermk-2016/receipt/erase")
    assert "Your answers have been erased" in reader.soup.get_text()
    assert rows(app, Response) == []
    assert [s.kind for s in rows(app, ReportSnapshot)] == ["final"]  # published reports are kept
    [event] = [e for e in rows(app, AuditEvent) if e.action == "response.erase.resident"]
    assert event.details["snapshots"] == 1
    again = respondent()
    open_receipt(again, code)
    assert again.error_summary == ["The receipt code was not recognised: check it and try again"]


def test_the_code_is_shown_once_on_the_confirmation_page(app: Flask, respondent: MakeRespondent) -> None:
    resident = send(respondent, receipt=True)
    code = receipt_code(resident)
    assert "shown only once" in resident.soup.get_text()
    resident.get("/s/safermk-2016/done")  # a reload, or the next person at the browser
    assert resident.soup.select_one("#receipt-code") is None and code not in resident.soup.get_text()
    assert "Thank you" in resident.soup.get_text() or resident.soup.select_one(".govuk-panel")


def test_no_receipt_unless_asked_for(app: Flask, respondent: MakeRespondent) -> None:
    resident = send(respondent)
    assert resident.soup.select_one("#receipt-code") is None
    assert [r.receipt_code_hash for r in rows(app, Response)] == [None]


@pytest.mark.parametrize("shared", [True, False])
def test_the_next_person_at_the_browser_cannot_reach_the_sent_answers(
    app: Flask, respondent: MakeRespondent, shared: bool
) -> None:
    """Review F1: the previous resident's sent answers were readable and erasable from the same browser."""
    resident = send(respondent, shared=shared)  # sent without asking for a receipt, then walked away
    browser = resident  # the next person: same cookie jar
    browser.get("/s/safermk-2016/done")
    assert browser.soup.select("form[action$='/receipt/new']") == []
    assert browser.soup.select_one("#receipt-code") is None
    browser.get("/s/safermk-2016/receipt")
    token = browser.csrf_token()
    asked = browser.client.post("/s/safermk-2016/receipt/new", data={"csrf_token": token})
    assert asked.status_code in {404, 405}
    for path in ("/s/safermk-2016/receipt/answers", "/s/safermk-2016/receipt/erase"):
        browser.get(path)
        assert browser.path == "/s/safermk-2016/receipt" and TEXT not in browser.soup.get_text()
    browser.post("/s/safermk-2016/receipt/erase", {"confirm": "yes"})
    assert browser.error_summary == ["Enter your receipt code"]
    [row] = rows(app, Response)
    assert row.status == "complete" and row.receipt_code_hash is None


def test_opening_a_receipt_leaves_nothing_in_the_browser(app: Flask, respondent: MakeRespondent) -> None:
    """Review F1: for 15 minutes after a receipt was opened, its grant showed the answers with no code."""
    code = receipt_code(send(respondent, receipt=True))
    library_pc = respondent()
    open_receipt(library_pc, code)
    assert TEXT in library_pc.soup.get_text()
    library_pc.get("/s/safermk-2016/receipt/answers")  # the next person at that computer
    assert TEXT not in library_pc.soup.get_text()
    press(library_pc, "/s/safermk-2016/receipt")  # the code form again: no code, nothing shown
    assert library_pc.error_summary == ["Enter your receipt code"]
    assert len(rows(app, Response)) == 1


def test_the_browsers_history_cannot_replay_an_opened_receipt(app: Flask, respondent: MakeRespondent) -> None:
    """Third review: the page of answers is the reply to a POST carrying the code, and a browser keeps that
    POST in the tab's history: the next person at the computer pressed Back, then "Resend", and saw the
    answers (up to the per-code limit each window, until the survey closed) and could go on to erase them.
    Each page opened with the code gives the browser a new form token, so a POST replayed from history is
    refused."""
    code = receipt_code(send(respondent, receipt=True))
    library_pc = respondent()
    library_pc.get("/s/safermk-2016/receipt")
    opened = {"code": code, "csrf_token": library_pc.csrf_token()}  # what the tab's history keeps
    library_pc.post("/s/safermk-2016/receipt", opened, csrf=False)
    assert TEXT in library_pc.soup.get_text()
    erase = {
        str(i["name"]): str(i.get("value", ""))
        for i in library_pc.soup.select("form[action$='/receipt/erase'] input[type=hidden]")
    }
    library_pc.post("/s/safermk-2016/receipt/erase", erase, csrf=False)
    assert library_pc.heading == "Are you sure you want to erase your answers?"
    library_pc.get("/s/safermk-2016")  # the resident changes their mind, moves on and leaves
    for path, replayed in (("/s/safermk-2016/receipt/erase", erase), ("/s/safermk-2016/receipt", opened)):
        again = library_pc.client.post(path, data=replayed)  # the next person: Back, then "Resend"
        page = again.get_data(as_text=True)
        assert TEXT not in page and "Are you sure" not in page, path
    assert len(rows(app, Response)) == 1
    open_receipt(library_pc, code)  # typing the code again still works
    assert TEXT in library_pc.soup.get_text()


def _cookie_contents(app: Flask, resident: Respondent) -> tuple[str, str]:
    """The session cookie as sent, and decoded (it is signed, not encrypted: anyone can read it)."""
    cookie = resident.client.get_cookie("survey_session")
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return cookie.value, json.dumps(serializer.loads(cookie.value))


def test_the_cookie_never_holds_the_receipt_code(app: Flask, respondent: MakeRespondent) -> None:
    """Third review: the code sat in the signed (readable) cookie for 10 minutes until /done showed it."""
    resident = respondent()
    resident.start()
    resident.walk(ANSWERS)
    sent = resident.client.post(
        "/s/safermk-2016/check", data={"receipt": "yes", "csrf_token": resident.csrf_token()}
    )
    assert sent.status_code == 302  # the cookie now carries the code to the confirmation page
    raw, decoded = _cookie_contents(app, resident)
    assert handover.RECEIPT_ONCE in decoded
    resident.get("/s/safermk-2016/done")
    code = receipt_code(resident)
    for form in (code, code.replace("-", ""), code.lower()):
        assert form not in raw and form not in decoded
    assert handover.RECEIPT_ONCE not in _cookie_contents(app, resident)[1]  # shown, then gone


def test_a_receipt_code_not_shown_within_two_minutes_is_dropped(
    app: Flask, respondent: MakeRespondent, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the confirmation page never loaded, the next person opening /done later sees no code."""
    resident = respondent()
    resident.start()
    resident.walk(ANSWERS)
    sent = resident.client.post(
        "/s/safermk-2016/check", data={"receipt": "yes", "csrf_token": resident.csrf_token()}
    )
    assert sent.status_code == 302
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + handover.RECEIPT_ONCE_SECONDS + 1)  # 2 minutes on
    resident.get("/s/safermk-2016/done")
    assert resident.path == "/s/safermk-2016/done" and resident.soup.select_one("#receipt-code") is None
    assert handover.RECEIPT_ONCE not in _cookie_contents(app, resident)[1]
    [row] = rows(app, Response)
    assert row.status == "complete" and row.receipt_code_hash  # stored; the resident simply never saw it


@pytest.mark.parametrize("nonce, sealed", [("", ""), ("!!", "x"), ("A" * 24, "B" * 60), ("AAAA", "AAAA")])
def test_a_tampered_sealed_code_opens_to_nothing(app: Flask, nonce: str, sealed: str) -> None:
    with app.app_context():
        assert handover.unseal(nonce, sealed) is None
        assert handover.unseal(*handover.seal("KQ7X4-M2RTD")) == "KQ7X4-M2RTD"


def test_a_resent_send_never_replaces_the_receipt_code(app: Flask, respondent: MakeRespondent) -> None:
    """A Send resent after its reply was lost (the old cookie) makes no second code."""
    resident = respondent()
    resident.start()
    resident.walk(ANSWERS)
    before_send = resident.client.get_cookie("survey_session")
    assert before_send is not None
    token = resident.csrf_token()
    resident.submit(receipt=True)
    code = receipt_code(resident)
    [first] = rows(app, Response)
    resident.client.set_cookie("survey_session", before_send.value)  # the reply to Send never arrived
    resident.post("/s/safermk-2016/check", {"receipt": "yes", "csrf_token": token}, csrf=False)
    assert resident.path == "/s/safermk-2016/done" and resident.soup.select_one("#receipt-code") is None
    [again] = rows(app, Response)
    assert again.receipt_code_hash == first.receipt_code_hash
    reader = respondent()
    open_receipt(reader, code)
    assert TEXT in reader.soup.get_text()


def test_receipts_stop_when_the_survey_closes(app: Flask, respondent: MakeRespondent) -> None:
    from survey.store import repository

    with app.app_context(), Session(get_engine()) as session:
        repository.set_questionnaire_dates(
            session=session, questionnaire_id="safermk-2016", opens=None, closes=date(2026, 6, 30)
        )
    resident = send(respondent, receipt=True)
    code = receipt_code(resident)
    assert "30 June 2026" in resident.soup.get_text()  # the code works until the survey closes
    app.config["SURVEY_FIXED_DATE"] = "2026-07-01"  # the day after the closing date
    later = respondent()
    later.get("/s/safermk-2016/receipt")
    assert "closed" in later.soup.get_text()
    assert later.client.post("/s/safermk-2016/receipt", data={"code": code}).status_code in {200, 400}
    assert len(rows(app, Response)) == 1


def test_the_privacy_notice_tells_residents_about_receipts(respondent: MakeRespondent) -> None:
    resident = respondent()
    resident.get("/s/safermk-2016")
    notice = resident.soup.select_one("#receipt-notice")
    assert notice is not None and "until the survey closes" in notice.get_text()
    assert "part of the analysed results" in notice.get_text()
    resident.get("/s/safermk-2016?lang=pl")
    notice = resident.soup.select_one("#receipt-notice")
    assert notice is not None and "kod potwierdzenia" in notice.get_text()


def test_wrong_receipt_codes_get_clear_messages_and_are_limited_per_code(
    app: Flask, respondent: MakeRespondent
) -> None:
    app.config["SURVEY_CODE_LIMIT_PER_CODE"] = 2
    resident = respondent()
    resident.get("/s/safermk-2016/receipt")
    resident.post("/s/safermk-2016/receipt", {"code": ""})
    assert resident.error_summary == ["Enter your receipt code"]
    resident.post("/s/safermk-2016/receipt", {"code": "abc"})
    assert resident.error_summary == ["Enter the receipt code in the right format, like KQ7X4-M2RTD"]
    token = resident.csrf_token()
    statuses = [
        resident.post(
            "/s/safermk-2016/receipt", {"code": "CCCCC-CCCCC", "csrf_token": token}, csrf=False
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]


@pytest.fixture
def admin(app: Flask, staff_client: Callable[..., FlaskClient]) -> FlaskClient:
    return staff_client("admin")


def test_an_admin_erases_a_response_by_number_after_confirming(
    app: Flask, respondent: MakeRespondent, admin: FlaskClient
) -> None:
    send(respondent)
    [row] = rows(app, Response)
    with app.app_context(), Session(get_engine()) as session:
        session.add(
            ManualCode(
                questionnaire_id="safermk-2016",
                question_id="concerns_text",
                response_id=row.id,
                theme_ids=["drugs"],
                coded_by="a",
                coded_at=datetime.now(UTC),
            )
        )
        session.commit()
    add_snapshot(app, "interim", date(2026, 6, 1))
    add_snapshot(app, "interim", date(2026, 5, 1))  # made before the response began: it never counted it
    page = admin.get("/staff/responses/erase")
    assert page.status_code == 200
    confirm = admin.post(
        "/staff/responses/erase", data={"response_id": str(row.id), "csrf_token": csrf_of(page)}
    )
    assert f"Are you sure you want to erase response {row.id}?" in confirm.get_data(as_text=True)
    assert TEXT not in confirm.get_data(as_text=True)  # the confirmation shows no answers
    assert len(rows(app, Response)) == 1
    done = admin.post(
        "/staff/responses/erase",
        data={"response_id": str(row.id), "confirm": "yes", "csrf_token": csrf_of(confirm)},
        follow_redirects=True,
    )
    assert f"Erased response {row.id}" in done.get_data(as_text=True)
    assert rows(app, Response) == [] and rows(app, ManualCode) == []
    assert [s.as_of for s in rows(app, ReportSnapshot)] == [date(2026, 5, 1)]
    [event] = [e for e in rows(app, AuditEvent) if e.action == "response.erase"]
    assert event.details["response"] == row.id and event.actor.startswith("admin")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the response number"),
        ("12a", "Enter the response number as a whole number, like 1234"),
        ("99999999999999999999999", "Enter the response number as a whole number, like 1234"),
        ("4242", "There is no response number 4242: it may have been erased already"),
    ],
)
def test_erasing_a_wrong_number_says_what_is_wrong(admin: FlaskClient, typed: str, message: str) -> None:
    page = admin.get("/staff/responses/erase")
    response = admin.post("/staff/responses/erase", data={"response_id": typed, "csrf_token": csrf_of(page)})
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_analysts_cannot_erase(staff_client: Callable[..., FlaskClient]) -> None:
    assert staff_client("analyst").get("/staff/responses/erase").status_code == 403
