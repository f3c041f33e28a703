"""Staff accounts: the rules shared by the staff pages and the command line."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from survey.store import repository_staff as repo


def account_key(email: str) -> str:
    """The throttling key of an account: a keyed hash of its email (no address is stored in clear)."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, b"staff:" + repo.normalise_email(email).encode(), hashlib.sha256).hexdigest()
    return f"account:{digest}"
