"""Handing a receipt code made at Send to the confirmation page, which shows it once.

The code travels in the session cookie between the two requests (Send, then the redirect to /done), and
the cookie is signed, not encrypted: anyone who copies or inspects it can decode it. So the cookie holds
the code only *sealed*: XORed with a one-time pad that is an HMAC-SHA-256, under a key derived from the
SECRET_KEY, of a random 16-byte nonce kept beside it (a pseudo-random function in counter mode; the
cookie's own signature stops tampering). Only this server can open it, and only for
`RECEIPT_ONCE_SECONDS` (2 minutes: the redirect follows at once); then it is dropped unread.

Why not keep the code on the server, keyed by a nonce in the cookie? The server stores codes only as
keyed hashes (`survey.respond.codes`); a table of plain codes, even for minutes, would be a copy of
every new code in the database and its backups. Sealing in the cookie stores nothing anywhere.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from datetime import date

from flask import current_app, session

RECEIPT_ONCE = "receipt_once"  # {"q", "n", "c", "valid", "until"}: a sealed receipt code, shown once on /done
RECEIPT_ONCE_SECONDS = 2 * 60
_PAD_BYTES = hashlib.sha256().digest_size  # a code is 11 characters ('KQ7X4-M2RTD'): one block is plenty


def _pad(nonce: bytes) -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    key = hmac.new(secret, b"survey receipt hand-over", hashlib.sha256).digest()
    return hmac.new(key, nonce, hashlib.sha256).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def seal(code: str) -> tuple[str, str]:
    """(nonce, sealed code), both base 64, for the cookie."""
    plain = code.encode("ascii")
    if len(plain) > _PAD_BYTES:
        raise ValueError("a receipt code is longer than one pad")
    nonce = secrets.token_bytes(16)
    return _b64(nonce), _b64(bytes(a ^ b for a, b in zip(plain, _pad(nonce), strict=False)))


def unseal(nonce: str, sealed: str) -> str | None:
    """The code a `seal` gave, or None when either part is not what `seal` makes."""
    try:
        raw_nonce = base64.urlsafe_b64decode(nonce.encode("ascii"))
        raw_sealed = base64.urlsafe_b64decode(sealed.encode("ascii"))
        if len(raw_nonce) != 16 or len(raw_sealed) > _PAD_BYTES:
            return None
        return bytes(a ^ b for a, b in zip(raw_sealed, _pad(raw_nonce), strict=False)).decode("ascii")
    except (ValueError, UnicodeError):
        return None


def hand_over_receipt(questionnaire_id: str, code: str, until: date) -> None:
    """Keep a receipt code made at Send, sealed, until the confirmation page shows it (within 2 minutes)."""
    nonce, sealed = seal(code)
    session[RECEIPT_ONCE] = {
        "q": questionnaire_id,
        "n": nonce,
        "c": sealed,
        "valid": until.isoformat(),
        "until": int(time.time()) + RECEIPT_ONCE_SECONDS,
    }


def take_receipt(questionnaire_id: str) -> tuple[str, date] | None:
    """The receipt code made at Send and its last day, for the confirmation page; then gone."""
    held = session.get(RECEIPT_ONCE)
    if held is None:
        return None
    fresh = isinstance(held, dict) and isinstance(held.get("until"), int) and held["until"] >= time.time()
    if fresh and held.get("q") != questionnaire_id:
        return None  # another survey's code, not shown yet: kept for its own confirmation page
    session.pop(RECEIPT_ONCE, None)
    if not fresh:
        return None
    nonce, sealed, valid = held.get("n"), held.get("c"), held.get("valid")
    if not isinstance(nonce, str) or not isinstance(sealed, str) or not isinstance(valid, str):
        return None  # an older cookie's plain code is dropped, not shown
    code = unseal(nonce, sealed)
    try:
        return (code, date.fromisoformat(valid)) if code else None
    except ValueError:
        return None
