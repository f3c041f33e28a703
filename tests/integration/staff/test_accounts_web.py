"""Accounts on the web: invite links, roles, resets, and two-factor sign-in (required for admins)."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from survey.store.db import get_engine
from survey.store.models_accounts import StaffRecoveryCode
from survey.store.models_staff import AuditEvent
from survey.store.repository_staff import staff_by_email
from tests.helpers import csrf_of
from tests.integration.staff.conftest import FAST_HASHING, PASSWORD, make_staff, sign_in
from tests.integration.staff.test_channels import create

NEW = "a long new staff passphrase"


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Admins must use two-factor here (the production default)."""
    return {**FAST_HASHING, "SURVEY_STAFF_ADMIN_TWO_FACTOR": 1}


def _post(client: FlaskClient, url: str, data: dict[str, str]) -> Any:
    return client.post(url, data={**data, "csrf_token": csrf_of(client.get(url))})


def _secret(page: Any) -> str:
    found = BeautifulSoup(page.get_data(as_text=True), "html.parser").find(id="totp-secret")
    assert found is not None, page.get_data(as_text=True)
    return found.get_text().strip()


def _admin_signed_in(app: Flask) -> tuple[FlaskClient, pyotp.TOTP]:
    make_staff(app, "boss@example.gov.uk", "admin")
    client = app.test_client()
    response = sign_in(client, "boss@example.gov.uk")
    assert response.headers["Location"] == "/staff/sign-in/two-factor/set-up"
    assert client.get("/staff/").status_code == 302  # not signed in before the code
    totp = pyotp.TOTP(_secret(client.get("/staff/sign-in/two-factor/set-up")))
    wrong = _post(client, "/staff/sign-in/two-factor/set-up", {"code": "000000"})
    assert wrong.status_code == 400 and "The code is not right" in wrong.get_data(as_text=True)
    done = _post(client, "/staff/sign-in/two-factor/set-up", {"code": totp.now()})
    assert len(BeautifulSoup(done.get_data(as_text=True), "html.parser").select("#recovery-codes li")) == 10
    assert client.get("/staff/").status_code == 200
    return client, totp


def _actions(app: Flask) -> list[str]:
    with app.app_context(), Session(get_engine()) as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id))]


def test_admin_invites_an_analyst_who_turns_on_two_factor_and_signs_in_with_it(app: Flask) -> None:
    admin, admin_totp = _admin_signed_in(app)
    bad = _post(admin, "/staff/accounts/invite", {"email": "not an email", "role": "partner"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400
    assert "Enter an email address in the correct format" in text
    assert "Enter the partner name" in text
    made = _post(admin, "/staff/accounts/invite", {"email": "ana@example.gov.uk", "role": "analyst"})
    link = BeautifulSoup(made.get_data(as_text=True), "html.parser").find(id="one-time-link").get_text()
    path = re.sub(r"^https?://[^/]+", "", link.strip())
    again = _post(admin, "/staff/accounts/invite", {"email": "ANA@example.gov.uk", "role": "analyst"})
    assert "There is already an account" in again.get_data(as_text=True)

    analyst = app.test_client()
    weak = _post(analyst, path, {"new_password": "short", "confirm_password": "short"})
    assert weak.status_code == 400 and "characters or more" in weak.get_data(as_text=True)
    chosen = _post(analyst, path, {"new_password": NEW, "confirm_password": NEW})
    assert chosen.headers["Location"] == "/staff/sign-in"
    assert analyst.get(path).status_code == 404  # the link works once
    assert "already been used" in analyst.get(path).get_data(as_text=True)

    assert sign_in(analyst, "ana@example.gov.uk", NEW).headers["Location"] == "/staff/"  # 2FA optional
    totp = pyotp.TOTP(_secret(analyst.get("/staff/account/two-factor")))
    first_code = totp.now()
    on = _post(analyst, "/staff/account/two-factor", {"code": first_code})
    codes = [
        li.get_text().strip()
        for li in BeautifulSoup(on.get_data(as_text=True), "html.parser").select("#recovery-codes li")
    ]
    assert len(codes) == 10
    with app.app_context(), Session(get_engine()) as session:
        stored = [row.code_hash for row in session.exec(select(StaffRecoveryCode))]
    assert all(code not in h for code in codes for h in stored)  # hashed, never in clear

    fresh = app.test_client()
    assert sign_in(fresh, "ana@example.gov.uk", NEW).headers["Location"] == "/staff/sign-in/two-factor"
    assert fresh.get("/staff/").status_code == 302
    assert _post(fresh, "/staff/sign-in/two-factor", {"code": "123456"}).status_code == 400
    # The set-up's code again: refused whenever it is sent (its time step was used, or it has expired).
    replay = _post(fresh, "/staff/sign-in/two-factor", {"code": first_code})
    assert replay.status_code == 400
    recovered = _post(fresh, "/staff/sign-in/two-factor", {"code": codes[0]})
    assert recovered.status_code == 302 and fresh.get("/staff/").status_code == 200

    other = app.test_client()
    sign_in(other, "ana@example.gov.uk", NEW)
    assert _post(other, "/staff/sign-in/two-factor", {"code": codes[0]}).status_code == 400  # spent

    # The admin changes the analyst into a partner, then resets them.
    accounts = BeautifulSoup(admin.get("/staff/accounts").get_data(as_text=True), "html.parser")
    edit = accounts.find("a", string="ana@example.gov.uk")["href"]
    needs_name = _post(admin, edit, {"role": "partner"})
    assert "Enter the partner name" in needs_name.get_data(as_text=True)
    assert (
        _post(admin, edit, {"role": "partner", "partner_name": "MK Youth", "new_partner": "yes"}).status_code
        == 302
    )
    assert fresh.get("/staff/").status_code == 302  # a role change signs them out
    reset = admin.post(edit + "/reset", data={"csrf_token": csrf_of(admin.get(edit))})
    assert "one-time-link" in reset.get_data(as_text=True)
    assert sign_in(app.test_client(), "ana@example.gov.uk", NEW).status_code == 200  # old password gone

    actions = _actions(app)
    for action in (
        "staff.invite",
        "staff.invite_accepted",
        "staff.two_factor_on",
        "staff.role",
        "password.reset",
        "sign_in.failed",
    ):
        assert action in actions, action
    assert admin_totp.now().isdigit()


def test_admins_cannot_turn_two_factor_off_and_the_sign_in_page_says_how_to_make_the_first(
    app: Flask,
) -> None:
    page = app.test_client().get("/staff/sign-in").get_data(as_text=True)
    assert "survey staff add you@example.gov.uk --role admin" in page
    admin, _ = _admin_signed_in(app)
    assert "survey staff add" not in app.test_client().get("/staff/sign-in").get_data(as_text=True)
    off = admin.post(
        "/staff/account/two-factor/off", data={"csrf_token": csrf_of(admin.get("/staff/account/two-factor"))}
    )
    assert off.status_code == 302
    assert "Two-factor sign-in is on" in admin.get("/staff/account/two-factor").get_data(as_text=True)


def test_a_pending_sign_in_is_not_a_session(app: Flask) -> None:
    make_staff(app, "boss@example.gov.uk", "admin")
    client = app.test_client()
    sign_in(client, "boss@example.gov.uk", PASSWORD)
    for url in ("/staff/accounts", "/staff/audit", "/staff/account/two-factor"):
        assert client.get(url).headers["Location"].startswith("/staff/sign-in"), url


def test_partner_names_match_whatever_their_capitals_and_spaces_and_new_ones_are_questioned(
    app: Flask,
) -> None:
    admin, _totp = _admin_signed_in(app)
    analyst = app.test_client()
    make_staff(app, "cara@example.gov.uk", "analyst")
    sign_in(analyst, "cara@example.gov.uk")
    assert create(analyst, code="hta-posters", partner_name="Housing trust A").status_code == 302
    # Another link typed with other capitals and spaces carries the name already in use.
    assert create(analyst, code="hta-leaflets", partner_name=" housing  TRUST a ").status_code == 302
    make_staff(app, "pat@example.gov.uk", "analyst")
    accounts = BeautifulSoup(admin.get("/staff/accounts").get_data(as_text=True), "html.parser")
    edit = accounts.find("a", string="pat@example.gov.uk")["href"]
    form = BeautifulSoup(admin.get(edit).get_data(as_text=True), "html.parser")
    offered = [o["value"] for o in form.select("datalist#partner-names option")]
    assert offered == ["Housing trust A"]  # the names in use, offered as a list
    # A name no link carries is questioned, and nothing is saved until staff say it is new.
    typo = _post(admin, edit, {"role": "partner", "partner_name": "Housing trust B"})
    assert typo.status_code == 400
    assert "No link carries the partner name “Housing trust B” yet" in typo.get_data(as_text=True)
    # Another spelling of a name in use is saved as the name in use.
    assert _post(admin, edit, {"role": "partner", "partner_name": "Housing Trust  A"}).status_code == 302
    with app.app_context(), Session(get_engine()) as session:
        user = staff_by_email(session=session, email="pat@example.gov.uk")
        assert user is not None and user.partner_name == "Housing trust A"
        user.partner_name = "HOUSING TRUST A"  # an older account saved before names were matched
        session.add(user)
        session.commit()
    partner = app.test_client()
    sign_in(partner, "pat@example.gov.uk")
    listing = partner.get("/staff/channels").get_data(as_text=True)
    assert "hta-posters" in listing and "hta-leaflets" in listing
    assert partner.get("/staff/channels/hta-posters").status_code == 200
    assert "hta-posters" in partner.get("/staff/partner").get_data(as_text=True)
    confirmed = _post(
        admin, edit, {"role": "partner", "partner_name": "Brand new partner", "new_partner": "yes"}
    )
    assert confirmed.status_code == 302
