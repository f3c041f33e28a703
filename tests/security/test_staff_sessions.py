"""Staff sessions live on the server: ending one makes a copied cookie useless (issue 17, finding 3).

The attack review copied a staff cookie before sign-out and opened the dashboard with it for hours; the
CSRF token also survived sign-in. Each test copies the cookie into a second browser, ends the session the
way a person would, and checks the copy opens nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select

from survey.store import repository_staff as repo
from survey.store.db import get_engine
from survey.store.models_staff import AuditEvent, StaffUser
from tests.helpers import csrf_of
from tests.integration.staff.conftest import FAST_HASHING, PASSWORD, make_staff, sign_in

EMAIL = "officer@example.gov.uk"
COOKIE = "survey_session"


@pytest.fixture
def app_config() -> dict[str, Any]:
    return dict(FAST_HASHING)


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s cookie (as a thief or a shared machine would)."""
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie.value)
    return thief


def _signed_in(client: FlaskClient) -> bool:
    response = client.get("/staff/")
    if response.status_code == 302:
        assert response.headers["Location"].startswith("/staff/sign-in")
        return False
    assert response.status_code == 200
    return True


def _signed_in_browser(app: Flask, role: str = "admin") -> FlaskClient:
    make_staff(app, EMAIL, role)
    client = app.test_client()
    assert sign_in(client, EMAIL).status_code == 302
    return client


def _sessions(app: Flask) -> list[Any]:
    from survey.store.models_staff import StaffSession

    with app.app_context(), Session(get_engine()) as session:
        return list(session.exec(select(StaffSession)))


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(app: Flask) -> None:
    client = _signed_in_browser(app)
    thief = _copy(app, client)
    assert _signed_in(thief)  # the copy works while the session lives
    client.post("/staff/sign-out", data={"csrf_token": csrf_of(client.get("/staff/"))})
    assert not _signed_in(client)
    assert not _signed_in(thief)
    assert _sessions(app) == []


def test_changing_the_password_ends_a_copied_session(app: Flask) -> None:
    client = _signed_in_browser(app)
    thief = _copy(app, client)
    token = csrf_of(client.get("/staff/password"))
    new = "a different long passphrase"
    response = client.post(
        "/staff/password",
        data={
            "current_password": PASSWORD,
            "new_password": new,
            "confirm_password": new,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert _signed_in(client)  # the person who changed it carries on, in a new session
    assert not _signed_in(thief)
    assert len(_sessions(app)) == 1


def test_disabling_an_account_ends_its_sessions_at_once(app: Flask) -> None:
    client = _signed_in_browser(app, "analyst")
    thief = _copy(app, client)
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        user = repo.staff_by_email(session=session, email=EMAIL)
        assert user is not None
        user.disabled = True
        repo.save_staff(session=session, user=user)  # what the accounts page and `survey staff disable` do
    assert not _signed_in(client) and not _signed_in(thief)
    assert _sessions(app) == []


def test_sign_out_everywhere_ends_every_session_and_is_audited(app: Flask) -> None:
    laptop = _signed_in_browser(app)
    phone = app.test_client()
    assert sign_in(phone, EMAIL).status_code == 302
    thief = _copy(app, phone)
    assert len(_sessions(app)) == 2
    page = laptop.get("/staff/password")
    assert "Sign out everywhere" in page.get_data(as_text=True)
    response = laptop.post("/staff/sign-out-everywhere", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 302
    assert not any(_signed_in(c) for c in (laptop, phone, thief))
    with app.app_context(), Session(get_engine()) as session:
        [event] = session.exec(select(AuditEvent).where(AuditEvent.action == "sign_out.everywhere")).all()
    assert event.actor == EMAIL and event.details["sessions"] == 2


def test_signing_in_gives_a_new_session_id_and_a_new_csrf_token(app: Flask) -> None:
    make_staff(app, EMAIL, "admin")
    client = app.test_client()
    before = csrf_of(client.get("/staff/sign-in"))
    with client.session_transaction() as cookie:
        planted = dict(cookie)  # what an attacker could have fixed in this browser before sign-in
    assert sign_in(client, EMAIL).status_code == 302
    after = csrf_of(client.get("/staff/"))
    assert after != before
    with client.session_transaction() as cookie:
        assert cookie["csrf_token"] != planted.get("csrf_token")
        first_sid = cookie["staff"]["sid"]
    client.post("/staff/sign-out", data={"csrf_token": after})
    assert sign_in(client, EMAIL).status_code == 302
    with client.session_transaction() as cookie:
        assert cookie["staff"]["sid"] != first_sid
    [stored] = _sessions(app)
    assert first_sid not in stored.id_hash  # only a hash of the id is stored


def test_a_forged_session_id_opens_nothing(app: Flask) -> None:
    client = _signed_in_browser(app)
    with client.session_transaction() as cookie:
        staff = dict(cookie["staff"])
        staff["sid"] = "forged-" + staff["sid"][7:]
        cookie["staff"] = staff
    assert not _signed_in(client)


def test_a_session_of_one_account_does_not_open_another(app: Flask) -> None:
    client = _signed_in_browser(app)
    other: StaffUser = make_staff(app, "second@example.gov.uk", "admin")
    with client.session_transaction() as cookie:
        staff = dict(cookie["staff"])
        staff["id"] = other.id  # a signed cookie cannot be edited by a visitor; this is defence in depth
        cookie["staff"] = staff
    assert not _signed_in(client)


def _change_password(client: FlaskClient, current: str) -> str:
    new = "a different long passphrase"
    response = client.post(
        "/staff/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new,
            "csrf_token": csrf_of(client.get("/staff/password")),
        },
    )
    if response.status_code != 200:
        return f"redirect {response.status_code}"
    return response.get_data(as_text=True)


def test_the_password_page_is_no_way_round_the_lock_out(app: Flask) -> None:
    """Someone holding a signed-in cookie (an unlocked desk, a copied cookie) cannot guess the current
    password on the password page without limit: wrong guesses count towards the account's lock-out, as
    at sign-in, and are audited; the right password is refused too once the account is locked.
    (Third review: 12 wrong guesses then the right one were all checked, none counted or recorded.)"""
    thief = _signed_in_browser(app, "analyst")
    limit = app.config["SURVEY_STAFF_LOCKOUT_ATTEMPTS"]
    for guess in range(limit):
        assert "Your current password is not correct" in _change_password(thief, f"guess number {guess}")
    assert "too many times" in _change_password(thief, PASSWORD)
    assert repo_password_unchanged(app)
    other_browser = app.test_client()
    assert "too many times" in sign_in(other_browser, EMAIL).get_data(as_text=True)
    with app.app_context(), Session(get_engine()) as session:
        reasons = [
            event.details.get("reason")
            for event in session.exec(select(AuditEvent).where(AuditEvent.action == "password.change.failed"))
        ]
    assert reasons.count("wrong_password") == limit and "locked" in reasons


def test_a_right_current_password_forgives_earlier_mistakes(app: Flask) -> None:
    client = _signed_in_browser(app, "analyst")
    assert "Your current password is not correct" in _change_password(client, "a typo in it")
    assert _change_password(client, PASSWORD) == "redirect 302"
    from survey.services.accounts import account_key
    from survey.store.models_staff import LoginAttempt

    with app.app_context(), Session(get_engine()) as session:
        assert session.get(LoginAttempt, account_key(EMAIL)) is None  # the account's count is cleared


def repo_password_unchanged(app: Flask) -> bool:
    from survey.services import passwords

    with app.app_context(), Session(get_engine()) as session:
        user = repo.staff_by_email(session=session, email=EMAIL)
        assert user is not None
        return passwords.verify_password(user.password_hash, PASSWORD)
