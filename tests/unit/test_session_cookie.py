"""The session cookie and CSRF token: Flask's and Flask-WTF's bytes and checks, signed with kept keys."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import generate_csrf, validate_csrf
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
