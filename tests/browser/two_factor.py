"""Two-factor codes for browser tests: an authenticator app's six-digit codes, each time step used once."""

from __future__ import annotations

from datetime import UTC, datetime

import pyotp


class Codes:
    """Six-digit codes of one authenticator, each time step used once (as the service insists)."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret)
        self.used = -1

    def next(self) -> str:
        step = max(self.totp.timecode(datetime.now(UTC)) - 1, self.used + 1)
        self.used = step
        return self.totp.generate_otp(step)
