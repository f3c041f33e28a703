"""The admins' staff-accounts page: who has access, and disabling an account from the web."""

from __future__ import annotations

from collections.abc import Callable

from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from survey.store import repository_staff as repo
from survey.store.db import get_engine
from survey.store.models_staff import AuditEvent
from tests.helpers import csrf_of
from tests.integration.staff.conftest import make_staff, sign_in


def test_admin_sees_every_account_and_disables_one(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    make_staff(app, "p@trust.org.uk", "partner", partner_name="Housing trust A", must_change=True)
    analyst = make_staff(app, "ana@example.gov.uk", "analyst")
    analyst_browser = app.test_client()
    sign_in(analyst_browser, "ana@example.gov.uk")
    admin = staff_client("admin")
    page = admin.get("/staff/accounts")
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    rows = {
        tr["data-email"]: [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup.select("#accounts tbody tr")
    }
    assert rows["p@trust.org.uk"][1:4] == ["partner Housing trust A", "Not yet signed in", "Never"]
    assert rows["ana@example.gov.uk"][2] == "Active"
    assert rows["admin1@example.gov.uk"][4] == ""  # no button to disable yourself
    response = admin.post(f"/staff/accounts/{analyst.id}/disable", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 302
    assert "Disabled ana@example.gov.uk" in admin.get("/staff/accounts").get_data(as_text=True)
    assert analyst_browser.get("/staff/").status_code == 302  # signed out at once
    with Session(get_engine(app)) as session:
        user = repo.staff_by_email(session=session, email="ana@example.gov.uk")
        assert user is not None and user.disabled
        [event] = [e for e in session.exec(select(AuditEvent)) if e.action == "staff.disable"]
    assert (event.actor, event.details) == ("admin1@example.gov.uk", {"target": "ana@example.gov.uk"})


def test_admin_cannot_disable_themselves_or_a_missing_account(
    app: Flask, staff_client: Callable[..., FlaskClient]
) -> None:
    admin = staff_client("admin")
    token = csrf_of(admin.get("/staff/accounts"))
    with Session(get_engine(app)) as session:
        me = repo.staff_by_email(session=session, email="admin1@example.gov.uk")
        assert me is not None
    own = admin.post(f"/staff/accounts/{me.id}/disable", data={"csrf_token": token})
    assert own.status_code == 200 and "You cannot disable your own account" in own.get_data(as_text=True)
    missing = admin.post("/staff/accounts/9999/disable", data={"csrf_token": token})
    assert missing.status_code == 404 and "That account does not exist" in missing.get_data(as_text=True)
    assert admin.get("/staff/").status_code == 200
