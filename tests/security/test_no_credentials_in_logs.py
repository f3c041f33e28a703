"""No credential carried in a path reaches a log line (second review, F5).

The review made the database unreachable and found `Unhandled error on GET /staff/invite/<token>` in the
error log: the token of an invitation or password reset link sets an account's password, for 7 days.
Here the page fails on purpose (an unexpected error, then a database fault) and every captured log line is
searched for the token.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from survey.services import invites
from survey.store.db import get_engine
from tests.integration.staff.conftest import app_config, make_staff  # noqa: F401 (fixtures)


def reset_link_token(app: Flask) -> str:
    """An admin's password reset link for an account: its one-time token."""
    user = make_staff(app, "officer@example.gov.uk", "admin")
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        link = invites.reset(session, user=user, actor="admin@example.gov.uk")
    assert len(link.token) >= 20
    return link.token


def logged(caplog: pytest.LogCaptureFixture) -> str:
    return caplog.text + "\n".join(str(r.exc_text or "") + r.getMessage() for r in caplog.records)


def _unexpected(*_: Any, **__: Any) -> Any:
    raise RuntimeError("the invitation page broke")


def _database_down(*_: Any, **__: Any) -> Any:
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))


@pytest.mark.parametrize(("failure", "status"), [(_unexpected, 500), (_database_down, 503)])
def test_a_failing_invitation_page_logs_no_token(
    app: Flask,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    failure: Callable[..., Any],
    status: int,
) -> None:
    token = reset_link_token(app)
    monkeypatch.setattr(invites, "find", failure)
    caplog.set_level(logging.DEBUG)
    response = app.test_client().get(f"/staff/invite/{token}")
    assert response.status_code == status
    text = logged(caplog)
    assert "Unhandled error on GET /staff/invite/[hidden]" in text  # still logged, for whoever debugs
    assert token not in text and token[:16] not in text


def test_any_log_line_with_an_invitation_path_hides_the_token(
    app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    token = "eP-TEXyluD1vOBpvKhqmahrG6wu3PAHfRQJwhiQcqlg"
    logging.getLogger("werkzeug").info('127.0.0.1 - - "GET /staff/invite/%s HTTP/1.1" 500 -', token)
    logging.getLogger("gunicorn.access").info("POST /staff/invite/%s?next=/staff", token)
    assert token not in caplog.text and caplog.text.count("/staff/invite/[hidden]") == 2
