"""`survey staff add|list|reset-password|disable`: one-time passwords, checks, sign-out everywhere, audit."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlmodel import Session, select

from survey.store import repository_staff as repo
from survey.store.db import get_engine
from survey.store.models_staff import AuditEvent
from tests.integration.staff.conftest import sign_in

ONE_TIME = re.compile(r"One-time password for \S+: (\S+)")


def one_time_password(output: str) -> str:
    found = ONE_TIME.search(output)
    assert found, output
    return found.group(1)


def test_admin_adds_an_analyst_and_a_partner_who_sign_in_and_must_change_password(
    app: Flask, runner: FlaskCliRunner
) -> None:
    analyst = runner.invoke(args=["staff", "add", "Ana@Example.gov.uk", "--role", "analyst"])
    assert analyst.exit_code == 0, analyst.output
    assert "Added ana@example.gov.uk as analyst" in analyst.output
    partner = runner.invoke(
        args=["staff", "add", "p@trust.org.uk", "--role", "partner", "--partner-name", "Housing trust A"]
    )
    assert "Added p@trust.org.uk as partner for Housing trust A" in partner.output
    for email, output in (("ana@example.gov.uk", analyst.output), ("p@trust.org.uk", partner.output)):
        browser = app.test_client()
        response = sign_in(browser, email, one_time_password(output))
        assert response.headers["Location"] == "/staff/password", email
    with Session(get_engine(app)) as session:
        user = repo.staff_by_email(session=session, email="p@trust.org.uk")
        assert user is not None and (user.role, user.partner_name) == ("partner", "Housing trust A")
        assert user.password_hash.startswith("$argon2id$")
        added = [e for e in session.exec(select(AuditEvent)) if e.action == "staff.add"]
    assert [(e.actor, e.details["target"]) for e in added] == [
        ("command line", "ana@example.gov.uk"),
        ("command line", "p@trust.org.uk"),
    ]
    listing = runner.invoke(args=["staff", "list"])
    assert re.search(r"p@trust\.org\.uk\s+partner \(Housing trust A\)\s+must change password", listing.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-email", "--role", "admin"], "is not an email address"),
        (["x@example.gov.uk", "--role", "partner"], "a partner account needs --partner-name"),
        (
            ["x@example.gov.uk", "--role", "admin", "--partner-name", "Trust"],
            "--partner-name is only for partner",
        ),
        (["x@example.gov.uk", "--role", "owner"], "Invalid value for '--role'"),
    ],
)
def test_add_refuses_bad_input(runner: FlaskCliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(args=["staff", "add", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert "One-time password" not in result.output


def test_add_twice_is_refused(runner: FlaskCliRunner) -> None:
    runner.invoke(args=["staff", "add", "a@example.gov.uk", "--role", "admin"])
    again = runner.invoke(args=["staff", "add", "A@example.gov.uk", "--role", "analyst"])
    assert again.exit_code == 1
    assert "an account for a@example.gov.uk already exists" in again.output


def test_reset_password_signs_out_and_lifts_the_lock(app: Flask, runner: FlaskCliRunner) -> None:
    added = runner.invoke(args=["staff", "add", "a@example.gov.uk", "--role", "admin"])
    first = one_time_password(added.output)
    browser = app.test_client()
    sign_in(browser, "a@example.gov.uk", first)
    for _ in range(5):
        sign_in(app.test_client(), "a@example.gov.uk", "wrong guess")
    reset = runner.invoke(args=["staff", "reset-password", "a@example.gov.uk"])
    assert reset.exit_code == 0 and "their other sessions are signed out" in reset.output
    assert browser.get("/staff/password").status_code == 302  # signed out
    assert sign_in(app.test_client(), "a@example.gov.uk", first).status_code == 200  # old one-time password
    response = sign_in(app.test_client(), "a@example.gov.uk", one_time_password(reset.output))
    assert response.headers["Location"] == "/staff/password"
    missing = runner.invoke(args=["staff", "reset-password", "nobody@example.gov.uk"])
    assert missing.exit_code == 1 and "there is no account for nobody@example.gov.uk" in missing.output


def test_disable_signs_out_and_stops_sign_in(app: Flask, runner: FlaskCliRunner) -> None:
    password = one_time_password(
        runner.invoke(args=["staff", "add", "a@example.gov.uk", "--role", "analyst"]).output
    )
    browser = app.test_client()
    sign_in(browser, "a@example.gov.uk", password)
    result = runner.invoke(args=["staff", "disable", "a@example.gov.uk"])
    assert "Disabled a@example.gov.uk" in result.output
    assert browser.get("/staff/password").status_code == 302
    refused = sign_in(app.test_client(), "a@example.gov.uk", password)
    assert refused.status_code == 200 and "Enter a correct email address and password" in refused.get_data(
        as_text=True
    )
    assert "already disabled" in runner.invoke(args=["staff", "disable", "a@example.gov.uk"]).output
    assert re.search(r"a@example\.gov\.uk\s+analyst\s+disabled", runner.invoke(args=["staff", "list"]).output)


def test_list_when_empty(runner: FlaskCliRunner) -> None:
    assert "No staff accounts yet" in runner.invoke(args=["staff", "list"]).output
