"""Two-factor codes for browser tests: an authenticator app's six-digit codes, each time step used once."""

from __future__ import annotations

import time

import pyotp

from harness.live_server import LiveServer

STEP_SECONDS = 30


class Codes:
    """Six-digit codes of one authenticator, each time step used once (as the service insists).

    A code is for the current step (the service also takes one step either side, so a step boundary passed
    on the way is harmless); when that step was used already, the next one, waiting for it to come within
    the service's window if need be.
    """

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.used = -1

    def next(self) -> str:
        now = int(time.time()) // STEP_SECONDS
        step = max(now, self.used + 1)
        if step > now + 1:  # two codes in one step already: wait until this one is accepted
            time.sleep((step - 1) * STEP_SECONDS - time.time() + 1)
        self.used = step
        return self.totp.generate_otp(step)


def signed_up_admin(server: LiveServer, email: str, password: str) -> Codes:
    """An admin account as its first sign-in leaves it (its own password chosen, two-factor set up), made
    straight in the server's database; returns its authenticator.

    One account's codes allow one sign-in each 30-second step: tests that each sign in (as the service
    asks, with a code) use an account of their own instead of waiting for the next step. The first
    sign-in's pages (setting up two-factor, the recovery codes, choosing a password) are shown to the
    account made with `survey staff add`.
    """
    from argon2 import PasswordHasher
    from sqlmodel import Session

    from survey.store.db import make_engine
    from survey.store.models_accounts import StaffTwoFactor
    from survey.store.models_staff import StaffUser, utcnow

    env = server.extra_env
    hasher = PasswordHasher(
        time_cost=int(env.get("SURVEY_STAFF_ARGON2_TIME_COST", 3)),
        memory_cost=int(env.get("SURVEY_STAFF_ARGON2_MEMORY_KIB", 65536)),
        parallelism=int(env.get("SURVEY_STAFF_ARGON2_PARALLELISM", 4)),
    )
    secret = pyotp.random_base32()
    engine = make_engine(server.database_url)
    try:
        with Session(engine) as session:
            user = StaffUser(
                email=email,
                role="admin",
                password_hash=hasher.hash(password),
                must_change_password=False,
                created_at=utcnow(),
                password_changed_at=utcnow(),
            )
            session.add(user)
            session.commit()
            session.refresh(user)
            session.add(StaffTwoFactor(staff_id=int(user.id or 0), secret=secret, confirmed_at=utcnow()))
            session.commit()
    finally:
        engine.dispose()
    return Codes(secret)
