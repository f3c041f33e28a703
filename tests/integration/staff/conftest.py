"""Staff-area fixtures: cheap password hashing, accounts of each role, and browsers signed in as them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session
from werkzeug.test import TestResponse

from survey.services import jobs, passwords
from survey.store import repository_staff as repo
from survey.store.db import get_engine
from survey.store.models_channels import Channel
from survey.store.models_staff import StaffUser
from tests.helpers import csrf_of
from tests.integration.staff.paper_helpers import QID, Keyer

# The tests' password hashing is cheap (the production cost is argon2id with 64 MiB, 3 passes).
FAST_HASHING = {
    "SURVEY_STAFF_ARGON2_TIME_COST": 1,
    "SURVEY_STAFF_ARGON2_MEMORY_KIB": 256,
    "SURVEY_STAFF_ARGON2_PARALLELISM": 1,
    # Admins' required two-factor is tested in test_accounts_web.py; elsewhere admins sign in with a password.
    "SURVEY_STAFF_ADMIN_TWO_FACTOR": 0,
}
PASSWORD = "correct horse battery staple"


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Staff tests hash passwords cheaply."""
    return dict(FAST_HASHING)


def make_staff(
    app: Flask,
    email: str,
    role: str,
    *,
    partner_name: str | None = None,
    password: str = PASSWORD,
    must_change: bool = False,
) -> StaffUser:
    """Store an account with a known password (no forced change unless asked)."""
    with app.app_context(), Session(get_engine(), expire_on_commit=False) as session:
        user = repo.add_staff(
            session=session,
            email=email,
            role=role,
            partner_name=partner_name,
            password_hash=passwords.hash_password(password),
        )
        user.must_change_password = must_change
        repo.save_staff(session=session, user=user)
        return user


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Sign in through the real form (CSRF token and all); returns the response to the POST."""
    token = csrf_of(client.get("/staff/sign-in"))
    return client.post("/staff/sign-in", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def staff_client(app: Flask) -> Callable[..., FlaskClient]:
    """staff_client("analyst") -> a browser signed in as a new account of that role (partner: "Partner A")."""
    made: dict[str, int] = {}

    def make(role: str, *, email: str | None = None, partner_name: str | None = None) -> FlaskClient:
        made[role] = made.get(role, 0) + 1
        address = email or f"{role}{made[role]}@example.gov.uk"
        name = partner_name or ("Partner A" if role == "partner" else None)
        make_staff(app, address, role, partner_name=name)
        client = app.test_client()
        response = sign_in(client, address)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make


@pytest.fixture
def admin(staff_client: Callable[..., FlaskClient]) -> FlaskClient:
    """A browser signed in as a new admin (the builder's and other staff pages' tests)."""
    return staff_client("admin")


@pytest.fixture
def closed_queue(app: Flask) -> Iterator[None]:
    """The job queue's own database connection (huey's, on Postgres) is closed after each test.

    Modules that queue jobs use it for every test: `pytestmark = pytest.mark.usefixtures("closed_queue")`."""
    yield
    jobs.close_queue(app)


@pytest.fixture
def analyst(staff_client: Callable[..., FlaskClient]) -> FlaskClient:
    """A browser signed in as an analyst."""
    return staff_client("analyst")


@pytest.fixture
def keyer(app: Flask, staff_client: Callable[..., FlaskClient]) -> Keyer:
    """An analyst keying responses, with a channel 'trust-a' to choose."""
    with app.app_context(), Session(get_engine()) as session:
        session.add(
            Channel(
                code="trust-a",
                questionnaire_id=QID,
                partner_name="Partner A",
                medium="leaflet",
                label="Paper forms",
                created_by="test",
                created_at=datetime.now(UTC),
            )
        )
        session.commit()
    return Keyer(staff_client("analyst"))


@pytest.fixture
def checker(staff_client: Callable[..., FlaskClient]) -> Keyer:
    """A second analyst, who keys the second entries and resolves differences (not the first keyer)."""
    return Keyer(staff_client("analyst"))
