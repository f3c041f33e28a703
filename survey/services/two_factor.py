"""Two-factor sign-in rules: TOTP codes (pyotp, RFC 6238) and single-use recovery codes (argon2-hashed).

Admins must use two-factor (SURVEY_STAFF_ADMIN_TWO_FACTOR=1, the default); analysts and partners may turn
it on from their account page. A code is accepted for the current 30-second step or one either side, and
each step only once (a code seen over a shoulder cannot be replayed).
"""

from __future__ import annotations

import secrets
from datetime import datetime

import pyotp

from survey.services import passwords
from survey.services.inputs import ascii_digits
from survey.services.staff_settings import setting
from survey.store import repository_accounts as repo
from survey.store.db import Session
from survey.store.models_accounts import StaffTwoFactor
from survey.store.models_staff import StaffUser, utcnow

ISSUER = "Survey staff"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required_for(user: StaffUser) -> bool:
    """True when this account may not sign in without two-factor (admins, unless switched off)."""
    return user.role == "admin" and bool(setting("SURVEY_STAFF_ADMIN_TWO_FACTOR"))


def is_enabled(session: Session, user: StaffUser) -> bool:
    """True when the account has a confirmed TOTP secret."""
    row = repo.two_factor_of(session=session, staff_id=int(user.id or 0))
    return row is not None and row.confirmed_at is not None


def start_setup(session: Session, user: StaffUser) -> StaffTwoFactor:
    """The unconfirmed secret to show (a new one unless set-up is already under way)."""
    row = repo.two_factor_of(session=session, staff_id=int(user.id or 0))
    if row is None or row.confirmed_at is not None:
        row = row or StaffTwoFactor(staff_id=int(user.id or 0), secret="")
        row.secret = pyotp.random_base32()
        row.confirmed_at = None
        row.last_step = 0
        repo.save_two_factor(session=session, row=row)
    return row


def provisioning_uri(user: StaffUser, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def clean_code(code: str) -> str:
    """A typed code without spaces or dashes, lower case."""
    return "".join(ch for ch in code.strip().lower() if ch not in " -")


def check_totp(session: Session, row: StaffTwoFactor, code: str, now: datetime | None = None) -> bool:
    """True when `code` is right for now (one step either side) and its step was not used before."""
    digits = ascii_digits(clean_code(code), 6)  # '²²²²²²' and fullwidth digits are not a code
    if digits is None:
        return False
    code = digits
    moment = now or utcnow()
    totp = pyotp.TOTP(row.secret)
    for offset in (0, -1, 1):
        step = totp.timecode(moment) + offset
        if secrets.compare_digest(totp.generate_otp(step), code):
            return repo.use_time_step(session=session, staff_id=row.staff_id, step=step)
    return False


def confirm(session: Session, row: StaffTwoFactor, code: str) -> list[str] | None:
    """Confirm set-up with a first code; returns the new recovery codes to show once (None: wrong code)."""
    if not check_totp(session, row, code):
        return None
    row.confirmed_at = utcnow()
    repo.save_two_factor(session=session, row=row)
    return new_recovery_codes(session, row.staff_id)


def new_recovery_codes(session: Session, staff_id: int) -> list[str]:
    """Make a fresh set of recovery codes; only their hashes are stored."""
    codes = [
        "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODES)
    ]
    repo.replace_recovery_codes(
        session=session,
        staff_id=staff_id,
        code_hashes=[passwords.hash_password(clean_code(c)) for c in codes],
    )
    return codes


def use_recovery_code(session: Session, staff_id: int, code: str) -> bool:
    """True (and the code is spent) when `code` is one of the account's unused recovery codes."""
    typed = clean_code(code)
    if len(typed) != 10:
        return False
    for row in repo.unused_recovery_codes(session=session, staff_id=staff_id):
        if passwords.verify_password(row.code_hash, typed):
            return repo.use_recovery_code(session=session, code_id=int(row.id or 0), now=utcnow())
    return False


def remaining_recovery_codes(session: Session, staff_id: int) -> int:
    """How many recovery codes the account has left."""
    return len(repo.unused_recovery_codes(session=session, staff_id=staff_id))
