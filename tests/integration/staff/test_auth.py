"""Staff sign-in and out: generic errors, lock-out, expiring sessions, password change, forced change."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select
from werkzeug.test import TestResponse

from survey.staff import auth
from survey.store import repository_staff as repo
from survey.store.db import get_engine
from survey.store.models_staff import AuditEvent, StaffUser, utcnow
from tests.helpers import csrf_of, error_summary_items, soup
from tests.integration.staff.conftest import FAST_HASHING, PASSWORD, make_staff, sign_in

EMAIL = "officer@example.gov.uk"


def events(app: Flask, action: str | None = None) -> list[AuditEvent]:
    with Session(get_engine(app)) as session:
        statement = select(AuditEvent).order_by(AuditEvent.id)  # type: ignore[arg-type]
        return [e for e in session.exec(statement) if action is None or e.action == action]


def account(app: Flask, email: str = EMAIL) -> StaffUser:
    with Session(get_engine(app)) as session:
        user = repo.staff_by_email(session=session, email=email)
        assert user is not None
        return user


class Clock:
    """Moves the staff side's notion of now (sessions, lock-outs) forward."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.offset = timedelta()
        monkeypatch.setattr(auth, "utcnow", lambda: utcnow() + self.offset)

    def advance(self, **delta: Any) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def test_sign_in_page_is_a_gov_uk_form_with_csrf_and_not_cached(client: FlaskClient) -> None:
    page = client.get("/staff/sign-in")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    form = soup(page).find("form", action="/staff/sign-in")
    assert form is not None and form.find("input", attrs={"name": "csrf_token"})
    assert form.find("input", attrs={"name": "password", "type": "password"})


def test_correct_password_signs_in_and_is_audited(app: Flask, client: FlaskClient) -> None:
    make_staff(app, EMAIL, "analyst")
    response = sign_in(client, "  Officer@Example.gov.uk ")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    home = client.get("/staff/")
    assert home.status_code == 200
    assert EMAIL in home.get_data(as_text=True)
    assert home.headers["Cache-Control"] == "no-store"
    [event] = events(app, "sign_in")
    assert event.actor == EMAIL and event.actor_id == account(app).id


def test_wrong_password_and_unknown_account_get_one_generic_error(app: Flask, client: FlaskClient) -> None:
    make_staff(app, EMAIL, "analyst")
    wrong = sign_in(client, EMAIL, "not the password at all")
    unknown = sign_in(client, "nobody@example.gov.uk", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    assert (
        error_summary_items(wrong)
        == error_summary_items(unknown)
        == ["Enter a correct email address and password"]
    )
    assert client.get("/staff/").status_code == 302
    failed = events(app, "sign_in.failed")
    assert [(e.actor, e.details["reason"]) for e in failed] == [
        (EMAIL, "wrong_password"),
        ("anonymous", "unknown_account"),  # a mistyped address is not stored
    ]


def test_empty_fields_say_what_to_enter(client: FlaskClient) -> None:
    token = csrf_of(client.get("/staff/sign-in"))
    response = client.post("/staff/sign-in", data={"email": "", "password": "", "csrf_token": token})
    assert error_summary_items(response) == ["Enter your email address", "Enter your password"]
    title = soup(response).title
    assert title is not None and title.get_text().startswith("Error:")


def test_sign_in_without_csrf_token_does_not_sign_in(app: Flask, client: FlaskClient) -> None:
    make_staff(app, EMAIL, "analyst")
    response = client.post("/staff/sign-in", data={"email": EMAIL, "password": PASSWORD})
    assert response.status_code != 302
    assert client.get("/staff/").status_code == 302
    assert events(app, "sign_in") == []


def test_five_failures_lock_the_account_for_15_minutes(app: Flask, client: FlaskClient, clock: Clock) -> None:
    make_staff(app, EMAIL, "analyst")
    for _ in range(5):
        sign_in(client, EMAIL, "wrong password guess")
    locked = sign_in(client, EMAIL)  # even the right password is refused while locked
    assert locked.status_code == 200
    assert "tried to sign in too many times" in error_summary_items(locked)[0]
    assert events(app, "sign_in.failed")[-1].details["reason"] == "locked"
    other_browser = app.test_client()  # the lock is kept in the database, not the browser
    assert "too many times" in error_summary_items(sign_in(other_browser, EMAIL))[0]
    clock.advance(minutes=16)
    assert sign_in(client, EMAIL).status_code == 302


def test_unknown_accounts_are_locked_the_same_way(app: Flask, client: FlaskClient) -> None:
    for _ in range(5):
        sign_in(client, "ghost@example.gov.uk", "guess")
    assert "too many times" in error_summary_items(sign_in(client, "ghost@example.gov.uk", "guess"))[0]


@pytest.mark.parametrize("app_config", [{**FAST_HASHING, "SURVEY_STAFF_CLIENT_ATTEMPTS": 3}])
def test_one_client_guessing_many_accounts_is_throttled(app: Flask, client: FlaskClient) -> None:
    make_staff(app, EMAIL, "analyst")
    for n in range(3):
        sign_in(client, f"guess{n}@example.gov.uk", "guess")
    assert "too many times" in error_summary_items(sign_in(client, EMAIL))[0]


def test_success_clears_the_account_failures(app: Flask, client: FlaskClient) -> None:
    make_staff(app, EMAIL, "analyst")
    for _ in range(4):
        sign_in(client, EMAIL, "wrong")
    assert sign_in(client, EMAIL).status_code == 302
    client.post("/staff/sign-out", data={"csrf_token": csrf_of(client.get("/staff/"))})
    for _ in range(4):
        sign_in(client, EMAIL, "wrong")
    assert sign_in(client, EMAIL).status_code == 302


def test_sign_out_ends_the_session_and_is_audited(app: Flask, client: FlaskClient) -> None:
    make_staff(app, EMAIL, "admin")
    sign_in(client, EMAIL)
    response = client.post("/staff/sign-out", data={"csrf_token": csrf_of(client.get("/staff/"))})
    assert response.status_code == 302
    assert "You have signed out." in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    assert [e.actor for e in events(app, "sign_out")] == [EMAIL]


def test_idle_session_expires_after_thirty_minutes(app: Flask, client: FlaskClient, clock: Clock) -> None:
    make_staff(app, EMAIL, "analyst")
    sign_in(client, EMAIL)
    clock.advance(minutes=29)
    assert client.get("/staff/").status_code == 200
    clock.advance(minutes=29)  # 58 minutes after signing in, but used 29 minutes ago
    assert client.get("/staff/").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")
    page = client.get(response.headers["Location"])
    assert "session ended" in page.get_data(as_text=True)


def test_session_ends_after_eight_hours_however_busy(app: Flask, client: FlaskClient, clock: Clock) -> None:
    make_staff(app, EMAIL, "analyst")
    sign_in(client, EMAIL)
    for _ in range(16):  # busy until 7 h 44 min after signing in
        clock.advance(minutes=29)
        assert client.get("/staff/").status_code == 200
    clock.advance(minutes=20)  # 8 h 4 min after signing in
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize("app_config", [{**FAST_HASHING, "SURVEY_STAFF_IDLE_MINUTES": 5}])
def test_expiry_is_configurable(app: Flask, client: FlaskClient, clock: Clock) -> None:
    make_staff(app, EMAIL, "analyst")
    sign_in(client, EMAIL)
    clock.advance(minutes=6)
    assert client.get("/staff/").status_code == 302


def change_password(client: FlaskClient, current: str, new: str, confirm: str | None = None) -> TestResponse:
    token = csrf_of(client.get("/staff/password"))
    return client.post(
        "/staff/password",
        data={
            "current_password": current,
            "new_password": new,
            "confirm_password": new if confirm is None else confirm,
            "csrf_token": token,
        },
    )


def test_password_change_signs_out_other_sessions(app: Flask) -> None:
    make_staff(app, EMAIL, "analyst")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, EMAIL)
    sign_in(phone, EMAIL)
    new = "a different long passphrase"
    response = change_password(laptop, PASSWORD, new)
    assert response.status_code == 302
    assert laptop.get("/staff/").status_code == 200  # this session carries on
    assert phone.get("/staff/").status_code == 302  # the other is signed out
    assert sign_in(app.test_client(), EMAIL).status_code == 200  # the old password no longer works
    assert sign_in(app.test_client(), EMAIL, new).status_code == 302
    [event] = events(app, "password.change")
    assert event.actor == EMAIL


SAME = "a fine new passphrase 2026"  # a strong password, kept as it is


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        (
            "wrong current password",
            "a different long passphrase",
            None,
            "Your current password is not correct",
        ),
        (PASSWORD, "short", None, "Password must be 12 characters or more"),
        (PASSWORD, "password1234", None, "Choose a password that is harder to guess"),
        (PASSWORD, "officer-passphrase", None, "Password must not contain your email address"),
        (PASSWORD, "a different long passphrase", "a typo in the confirmation", "Passwords do not match"),
        (SAME, SAME, None, "Your new password must be different from your current password"),
    ],
)
def test_password_rules_are_explained(
    app: Flask, client: FlaskClient, current: str, new: str, confirm: str | None, message: str
) -> None:
    start = SAME if current == SAME else PASSWORD  # the fixtures' password is now a known-breached one
    make_staff(app, EMAIL, "analyst", password=start)
    sign_in(client, EMAIL, start)
    response = change_password(client, current, new, confirm)
    assert response.status_code == 200
    shown = error_summary_items(response)
    assert any(line.startswith(message) for line in shown), shown
    assert account(app).password_changed_at is None


def test_one_time_password_must_be_changed_before_anything_else(app: Flask, client: FlaskClient) -> None:
    make_staff(app, EMAIL, "admin", must_change=True)
    response = sign_in(client, EMAIL)
    assert response.headers["Location"] == "/staff/password"
    assert "Choose a new password" in client.get("/staff/password").get_data(as_text=True)
    for path in ("/staff/", "/staff/audit", "/staff/questionnaires"):
        blocked = client.get(path)
        assert blocked.status_code == 302 and blocked.headers["Location"] == "/staff/password", path
    assert change_password(client, PASSWORD, "my own long passphrase").status_code == 302
    assert client.get("/staff/audit").status_code == 200
    assert account(app).must_change_password is False


def test_hash_is_upgraded_when_the_cost_changes(app: Flask, client: FlaskClient) -> None:
    make_staff(app, EMAIL, "analyst")
    before = account(app).password_hash
    assert "m=256," in before
    app.config["SURVEY_STAFF_ARGON2_MEMORY_KIB"] = 512
    assert sign_in(client, EMAIL).status_code == 302
    after = account(app).password_hash
    assert after.startswith("$argon2id$") and "m=512," in after
    assert sign_in(app.test_client(), EMAIL).status_code == 302  # still the same password


@pytest.mark.parametrize("target", ["//evil.example/staff", "https://evil.example/", "/s/safermk-2016"])
def test_sign_in_never_sends_you_off_the_staff_pages(app: Flask, client: FlaskClient, target: str) -> None:
    make_staff(app, EMAIL, "analyst")
    token = csrf_of(client.get("/staff/sign-in"))
    response = client.post(
        "/staff/sign-in",
        data={
            "email": EMAIL,
            "password": PASSWORD,
            "csrf_token": token,
            "next": target,
        },
    )
    assert response.headers["Location"] == "/staff/"


def test_sign_in_returns_you_to_the_page_you_asked_for(app: Flask, client: FlaskClient) -> None:
    make_staff(app, EMAIL, "admin")
    asked = client.get("/staff/audit?action=sign_in")
    assert asked.headers["Location"] == "/staff/sign-in?next=/staff/audit?action%3Dsign_in"
    page = client.get(asked.headers["Location"])
    token = csrf_of(page)
    field = soup(page).find("input", attrs={"name": "next"})
    assert field is not None
    next_value = field["value"]
    response = client.post(
        "/staff/sign-in",
        data={
            "email": EMAIL,
            "password": PASSWORD,
            "csrf_token": token,
            "next": next_value,
        },
    )
    assert response.headers["Location"] == "/staff/audit?action=sign_in"
