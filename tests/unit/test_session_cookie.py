"""The session cookie and CSRF token: Flask's and Flask-WTF's bytes and checks, signed with kept keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf, validate_csrf
from itsdangerous import TimestampSigner
from wtforms import ValidationError

from survey.web.session_cookie import SessionInterface, csrf_token

PAYLOAD = {"csrf_token": "d4eb1748eac1c3d99c0511a55864cfb19282c570", "journeys": {"q": {"s": 1, "t": "tok"}}}


def app_with(secret: str, fallbacks: list[str] | None = None) -> Flask:
    app = Flask(__name__)
    app.secret_key = secret
    app.config["SECRET_KEY_FALLBACKS"] = fallbacks
    app.session_interface = SessionInterface()

    @app.get("/")
    def show() -> dict[str, object]:
        return dict(session)

    return app


def read(app: Flask, cookie: str) -> dict[str, object]:
    client = app.test_client()
    client.set_cookie("session", cookie)
    found: dict[str, object] = client.get("/").get_json()
    return found


def test_the_cookie_is_the_one_flask_signs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: 1_800_000_000)
    app = app_with("first key")
    kept = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    flasks = SecureCookieSessionInterface().get_signing_serializer(app)
    assert kept is not None and flasks is not None
    assert kept.dumps(PAYLOAD) == flasks.dumps(PAYLOAD)
    assert kept.dumps(PAYLOAD) == kept.dumps(PAYLOAD)  # the second time from what was kept
    assert app.session_interface.get_signing_serializer(app) is kept  # type: ignore[attr-defined]


def test_a_new_secret_key_signs_and_checks_with_the_new_key() -> None:
    app = app_with("first key")
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert serializer is not None
    old = serializer.dumps(PAYLOAD)
    assert read(app, old) == PAYLOAD
    app.secret_key = "second key"
    assert read(app, old) == {}  # signed with a key no longer trusted: no session
    fresh = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert fresh is not None
    new = fresh.dumps(PAYLOAD)
    assert new.rsplit(".", 1)[1] != old.rsplit(".", 1)[1]
    assert read(app, new) == PAYLOAD
    expected = SecureCookieSessionInterface().get_signing_serializer(app)
    assert expected is not None and expected.loads(new) == PAYLOAD
    app.config["SECRET_KEY_FALLBACKS"] = ["first key"]  # a rotation: the old key is still accepted
    assert read(app, old) == PAYLOAD


def test_the_csrf_token_is_flask_wtfs_and_follows_the_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: 1_800_000_000)
    app = app_with("first key")

    def made(make: Callable[[], str]) -> str:
        with app.test_request_context("/"):
            session["csrf_token"] = "raw token of this browser"
            token = make()
            assert generate_csrf() == csrf_token() == token  # one token per request, kept on g
            validate_csrf(token)
            return token

    first = made(csrf_token)
    assert made(generate_csrf) == first  # the token Flask-WTF makes at the same moment
    app.secret_key = "second key"
    second = made(csrf_token)
    assert second != first and made(generate_csrf) == second
    with app.test_request_context("/"):
        session["csrf_token"] = "raw token of this browser"
        with pytest.raises(ValidationError, match="invalid"):
            validate_csrf(first)  # signed with the key no longer in use


def test_a_cookie_checked_once_opens_again_without_a_second_check_and_to_its_own_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = app_with("first key")
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert serializer is not None
    cookie = serializer.dumps(PAYLOAD)
    checks = []
    unsign = TimestampSigner.unsign

    def counted(self: TimestampSigner, *args: object, **kwargs: object) -> object:
        checks.append(1)
        return unsign(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(TimestampSigner, "unsign", counted)
    with app.test_request_context("/", headers={"Cookie": f"session={cookie}"}):
        first = app.session_interface.open_session(app, request)
        assert first is not None and dict(first) == PAYLOAD
        first["journeys"]["q"]["t"] = "changed in this request only"
        second = app.session_interface.open_session(app, request)
    assert second is not None and dict(second) == PAYLOAD  # not the first request's changed dict
    assert len(checks) == 1  # the second opening took what was kept
    tampered = cookie[:-1] + ("A" if cookie[-1] != "A" else "B")
    assert read(app, tampered) == {}  # other bytes: checked, and refused


def test_a_kept_cookie_still_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1_800_000_000]
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: now[0])
    app = app_with("first key")
    app.permanent_session_lifetime = timedelta(hours=1)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert serializer is not None
    cookie = serializer.dumps(PAYLOAD)
    assert read(app, cookie) == PAYLOAD  # checked and kept
    now[0] += 3600
    assert read(app, cookie) == PAYLOAD  # an hour old: still good (Flask's limit is inclusive)
    now[0] += 1
    assert read(app, cookie) == {}  # older than the session lifetime: no session, kept or not
    now[0] -= 7200
    assert read(app, cookie) == {}  # signed "in the future" (a clock set back): refused, as Flask does
