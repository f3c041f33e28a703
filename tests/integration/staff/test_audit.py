"""The audit trail: record(), what each audited action writes, and the admins' page with filters and pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from survey.staff import audit
from survey.store import repository_staff as repo
from survey.store.db import get_engine
from survey.store.models_staff import AuditEvent
from tests.integration.staff.conftest import FAST_HASHING, make_staff, sign_in


def rows(page: TestResponse) -> list[list[str]]:
    table = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(id="audit-events")
    if table is None:
        return []
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in table.select("tbody tr")]


def count_line(page: TestResponse) -> str:
    found = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(id="audit-count")
    assert found is not None
    return found.get_text(" ", strip=True)


def add(
    app: Flask, action: str, actor: str, at: datetime, questionnaire: str | None = None, **details: object
) -> None:
    with Session(get_engine(app)) as session:
        repo.add_audit_event(
            session=session,
            actor_id=None,
            actor=actor,
            action=action,
            questionnaire_id=questionnaire,
            details=details,
            at=at,
        )


def test_record_in_a_request_names_the_signed_in_person(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    analyst = staff_client("analyst")
    assert analyst.get("/staff/").status_code == 200
    with app.test_request_context():
        from flask import session as cookie

        # Carry the analyst's signed-in cookie into this request context.
        with analyst.session_transaction() as stored:
            cookie.update(stored)
        event = audit.record(
            "report.download", questionnaire="safermk-2016", format="pdf", as_of=date(2026, 6, 1)
        )
    assert (event.actor, event.action, event.questionnaire_id) == (
        "analyst1@example.gov.uk",
        "report.download",
        "safermk-2016",
    )
    assert event.details == {"format": "pdf", "as_of": "2026-06-01"}
    assert event.actor_id is not None


def test_record_outside_a_request_is_the_command_line(app: Flask) -> None:
    with app.app_context(), Session(get_engine(app), expire_on_commit=False) as session:
        event = audit.record("export.download", session=session, questionnaire="safermk-2016", format="csv")
    assert event.actor == "command line" and event.actor_id is None


def test_admin_filters_by_action_person_and_date(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    add(
        app,
        "report.download",
        "ana@example.gov.uk",
        datetime(2026, 5, 2, 9, 30, tzinfo=UTC),
        "safermk-2016",
        format="pdf",
    )
    add(
        app,
        "export.download",
        "ana@example.gov.uk",
        datetime(2026, 5, 20, 14, 0, tzinfo=UTC),
        "safermk-2016",
        format="xlsx",
    )
    add(
        app,
        "questionnaire.dates",
        "boss@example.gov.uk",
        datetime(2026, 5, 21, 8, 0, tzinfo=UTC),
        "tenant-satisfaction",
        closes={"old": "2026-07-01", "new": "2026-08-01"},
    )
    admin = staff_client("admin")
    everything = admin.get("/staff/audit")
    assert everything.status_code == 200 and everything.headers["Cache-Control"] == "no-store"
    actions = [row[2] for row in rows(everything)]
    assert actions[:2] == ["sign_in", "questionnaire.dates"]  # newest first: the admin's own sign-in on top
    by_action = rows(admin.get("/staff/audit?action=report.download"))
    assert [(r[1], r[3], r[4]) for r in by_action] == [("ana@example.gov.uk", "safermk-2016", "format: pdf")]
    by_person = rows(admin.get("/staff/audit?actor=ana@example.gov.uk"))
    assert [r[2] for r in by_person] == ["export.download", "report.download"]
    by_dates = rows(admin.get("/staff/audit?since=2026-05-15&until=2026-05-20"))
    assert [r[2] for r in by_dates] == ["export.download"]
    assert by_dates[0][0] == "20 May 2026 15:00"  # shown in the service's time zone (BST)
    change = rows(admin.get("/staff/audit?questionnaire=tenant-satisfaction"))
    assert change[0][4] == "closes: 2026-07-01 → 2026-08-01"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "Enter a date in the format 2026-05-31"),
        ("since=2026-05-20&until=2026-05-01", "The end date must be the same as or after the start date"),
    ],
)
def test_bad_filter_dates_are_explained(
    staff_client: Callable[..., FlaskClient], query: str, message: str
) -> None:
    page = staff_client("admin").get(f"/staff/audit?{query}")
    assert page.status_code == 200
    assert message in page.get_data(as_text=True)


@pytest.mark.parametrize("app_config", [{**FAST_HASHING, "SURVEY_STAFF_AUDIT_PAGE_SIZE": 10}])
def test_pages_of_events(app: Flask, staff_client: Callable[..., FlaskClient]) -> None:
    for n in range(24):
        add(app, "export.download", "ana@example.gov.uk", datetime(2026, 5, 1, 9, n, tzinfo=UTC), n=n)
    admin = staff_client("admin")
    first = admin.get("/staff/audit?action=export.download")
    assert count_line(first) == "24 events, page 1 of 3"
    assert [r[4] for r in rows(first)][:2] == ["n: 23", "n: 22"]
    last = admin.get("/staff/audit?action=export.download&page=3")
    assert [r[4] for r in rows(last)] == ["n: 3", "n: 2", "n: 1", "n: 0"]
    soup = BeautifulSoup(first.get_data(as_text=True), "html.parser")
    next_link = soup.select_one(".govuk-pagination__next a")
    assert next_link is not None and next_link["href"] == "/staff/audit?action=export.download&page=2"
    assert rows(admin.get("/staff/audit?page=abc"))  # a bad page number shows page 1


def test_each_audited_action_writes_an_event(app: Flask, staff_client: Callable[..., FlaskClient]) -> None:
    """Sign-in, failure, sign-out, password change and setting changes all land in the trail."""
    from tests.helpers import csrf_of

    make_staff(app, "someone@example.gov.uk", "analyst")
    browser = app.test_client()
    sign_in(browser, "someone@example.gov.uk", "wrong password!")
    sign_in(browser, "someone@example.gov.uk")
    token = csrf_of(browser.get("/staff/password"))
    browser.post(
        "/staff/password",
        data={
            "current_password": "correct horse battery staple",
            "new_password": "another fine passphrase",
            "confirm_password": "another fine passphrase",
            "csrf_token": token,
        },
    )
    browser.post("/staff/sign-out", data={"csrf_token": csrf_of(browser.get("/staff/"))})
    admin = staff_client("admin")
    page = "/staff/questionnaires/safermk-2016"
    admin.post(f"{page}/close", data={"confirm": "yes", "csrf_token": csrf_of(admin.get(page))})
    with Session(get_engine(app)) as session:
        trail = [(e.actor, e.action) for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]  # type: ignore[arg-type]
    assert trail == [
        ("someone@example.gov.uk", "sign_in.failed"),
        ("someone@example.gov.uk", "sign_in"),
        ("someone@example.gov.uk", "password.change"),
        ("someone@example.gov.uk", "sign_out"),
        ("admin1@example.gov.uk", "sign_in"),
        ("admin1@example.gov.uk", "questionnaire.close"),
    ]


def test_admin_downloads_the_filtered_trail_as_csv(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    add(
        app,
        "report.download",
        "=cmd@example.gov.uk",
        datetime(2026, 5, 2, 9, 30, tzinfo=UTC),
        "safermk-2016",
        format="pdf",
    )
    add(app, "export.download", "ana@example.gov.uk", datetime(2026, 5, 20, 14, 0, tzinfo=UTC), format="csv")
    admin = staff_client("admin")
    page = admin.get("/staff/audit?action=report.download")
    link = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(id="audit-csv")
    assert link is not None and link["href"] == "/staff/audit.csv?action=report.download"
    download = admin.get("/staff/audit.csv?action=report.download")
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert download.headers["Cache-Control"] == "no-store"
    lines = download.get_data(as_text=True).splitlines()
    assert lines == [
        "time_utc,person,action,questionnaire,details",
        "2026-05-02T09:30:00+00:00,'=cmd@example.gov.uk,report.download,safermk-2016,format: pdf",
    ]
    with Session(get_engine(app)) as session:
        [event] = [e for e in session.exec(select(AuditEvent)) if e.action == "audit.download"]
    assert event.details == {"format": "csv", "rows": 1, "filters": {"action": "report.download"}}
    assert admin.get("/staff/audit.csv?since=nonsense").status_code == 400
