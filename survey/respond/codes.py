"""Resume and receipt codes: 10 characters of Crockford's base 32 (50 bits), shown in two groups.

Stored only as a keyed hash (HMAC-SHA-256 with the server's SECRET_KEY): a copy of the database alone
does not let anyone try codes offline. Changing the secret key makes every code stop working.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app

# Crockford's alphabet: no I, L, O or U, so nothing is easily misread; on input O→0, I/L→1.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
GROUP = 5
ENTROPY_BITS = 50  # LENGTH * log2(len(ALPHABET))
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def generate() -> str:
    """A new random code as the resident sees it, e.g. 'KQ7X4-M2RTD'."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return f"{raw[:GROUP]}-{raw[GROUP:]}"


def normalise(typed: str) -> str | None:
    """The code's 10 characters from what the resident typed (any case, spaces, dashes); None if malformed."""
    cleaned = "".join(ch for ch in typed.upper() if ch not in " -\t").translate(_READ_AS)
    if len(cleaned) != LENGTH or any(ch not in ALPHABET for ch in cleaned):
        return None
    return cleaned


def digest(code: str, questionnaire_id: str, purpose: str = "resume") -> str:
    """The stored form of a code: an HMAC of its purpose, the questionnaire id and the normalised code."""
    normal = normalise(code) or code
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"{purpose}:{questionnaire_id}:{normal}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
