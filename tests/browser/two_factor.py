"""Two-factor codes for browser tests: an authenticator app's six-digit codes, each time step used once."""

from __future__ import annotations

import time

import pyotp

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
