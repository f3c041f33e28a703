"""Residents' own receipt, and erasure of one response (issue 17, finding 5; UK GDPR Article 17).

The confirmation page offers a receipt code; with it, on any device, a resident sees what they sent (to
read or print) and can erase it, until the survey closes. Staff (admins) erase a response by its number
after a confirmation step; both are audited, and the unpublished (interim) report snapshots that counted
the response are deleted with it while published (final) ones stay.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from survey.store.db import get_engine
from survey.store.models import Response
from survey.store.models_reports import ReportSnapshot
from survey.store.models_staff import AuditEvent
from survey.store.models_themes import ManualCode
from tests.integration.staff.conftest import app_config, csrf_of, staff_client  # noqa: F401 (fixtures)
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]
TEXT = "Drug dealing outside the Co-op on Bletcham Way"
ANSWERS = {"respondent_type": "resident", "concerns_text": TEXT, "victim_any": "no"}


def rows(app: Flask, model: Any) -> list[Any]:
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        return list(session.exec(select(model)))


def send(respondent: MakeRespondent) -> Respondent:
    resident = respondent()
    resident.start()
    resident.walk(ANSWERS)
    resident.submit()
    assert resident.path == "/s/safermk-2016/done"
    return resident


def receipt_code(resident: Respondent) -> str:
    assert "Get a receipt code" in resident.soup.get_text()
    resident.post("/s/safermk-2016/receipt/new", {})
    code = resident.soup.select_one("#receipt-code")
    assert code is not None, resident.soup.get_text()[:400]
    return code.get_text(strip=True)


def open_receipt(resident: Respondent, code: str) -> None:
    resident.get("/s/safermk-2016/receipt")
    resident.post("/s/safermk-2016/receipt", {"code": code})


def add_snapshot(app: Flask, kind: str, as_of: date) -> None:
    with app.app_context(), Session(get_engine()) as session:
        session.add(
            ReportSnapshot(
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
        )
        session.commit()


def test_a_receipt_code_shows_what_was_sent_on_another_device(app: Flask, respondent: MakeRespondent) -> None:
    resident = send(respondent)
    code = receipt_code(resident)
    [row] = rows(app, Response)
    assert row.receipt_code_hash and code.replace("-", "") not in str(row.model_dump())
    other = respondent()  # another device: only the code
    open_receipt(other, code.lower())
    assert other.path == "/s/safermk-2016/receipt/answers"
    page = other.soup.get_text()
    assert "The answers you sent" in page and TEXT in page and "print" in page
    assert other.soup.select("a[href*='change=1']") == []  # a receipt changes nothing


def test_the_resident_erases_their_answers_after_confirming(app: Flask, respondent: MakeRespondent) -> None:
    resident = send(respondent)
    code = receipt_code(resident)
    add_snapshot(app, "interim", date(2026, 6, 1))
    add_snapshot(app, "final", date(2026, 6, 1))
    reader = respondent()
    open_receipt(reader, code)
    reader.get("/s/safermk-2016/receipt/erase")
    assert reader.heading == "Are you sure you want to erase your answers?"
    assert len(rows(app, Response)) == 1  # nothing yet: the confirmation step comes first
    reader.post("/s/safermk-2016/receipt/erase", {})
    assert "Your answers have been erased" in reader.soup.get_text()
    assert rows(app, Response) == []
    assert [s.kind for s in rows(app, ReportSnapshot)] == ["final"]  # published reports are kept
    [event] = [e for e in rows(app, AuditEvent) if e.action == "response.erase.resident"]
    assert event.details["snapshots"] == 1
    again = respondent()
    open_receipt(again, code)
    assert again.error_summary == ["The receipt code was not recognised: check it and try again"]


def test_receipts_stop_when_the_survey_closes(app: Flask, respondent: MakeRespondent) -> None:
    from survey.store import repository

    with app.app_context(), Session(get_engine()) as session:
        repository.set_questionnaire_dates(
            session=session, questionnaire_id="safermk-2016", opens=None, closes=date(2026, 6, 30)
        )
    resident = send(respondent)
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


def test_only_the_browser_that_sent_gets_a_receipt(app: Flask, respondent: MakeRespondent) -> None:
    send(respondent)
    stranger = respondent()
    stranger.get("/s/safermk-2016")
    stranger.post("/s/safermk-2016/receipt/new", {})
    assert stranger.soup.select_one("#receipt-code") is None
    assert all(r.receipt_code_hash is None for r in rows(app, Response))


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
def admin(app: Flask, staff_client: Callable[..., FlaskClient]) -> FlaskClient:  # noqa: F811
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


def test_analysts_cannot_erase(staff_client: Callable[..., FlaskClient]) -> None:  # noqa: F811
    assert staff_client("analyst").get("/staff/responses/erase").status_code == 403
