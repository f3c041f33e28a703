"""The session cookie and the forms' CSRF token, signed exactly as Flask and Flask-WTF sign them, with the
signing set up once instead of per request.

Flask builds a new serializer for every request that opens or saves the session (Flask-WTF one per token
it makes), and the signer derives the signing key (an HMAC of the secret key and the salt) again for every
value it signs or checks. Both depend only on the secret keys, so they are kept here: per set of keys (a
changed secret key or fallback list gets its own) and per derived key. The bytes, checks and expiry are
Flask's and Flask-WTF's.

A resident's browser sends the same cookie for most of a journey (it changes only when the session does),
and opening it (checking the signature, then Flask's tagged JSON, which is walked in Python) was most of
what a request's session cost. So a cookie value whose signature was checked is kept with when it was
signed and its contents: the same bytes under the same keys open to a copy of the same contents, with
the age checked again on every request, as Flask checks it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from typing import Any

from flask import Flask, Request, current_app, g, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes

from survey.web.lru import LRU

OPENED_LIMIT = 4096  # cookie values (a few hundred bytes each) checked recently: one per active browser

_DERIVED: dict[tuple[bytes, bytes, str, object], bytes] = {}


class KeptKeySigner(TimestampSigner):
    """itsdangerous' timestamp signer, deriving each signing key once per process."""

    def derive_key(self, secret_key: str | bytes | None = None) -> bytes:
        """The key `TimestampSigner.derive_key` derives (a pure function of key, salt and method), kept."""
        key = self.secret_keys[-1] if secret_key is None else want_bytes(secret_key)
        kept = (key, self.salt, self.key_derivation, self.digest_method)
        derived = _DERIVED.get(kept)
        if derived is None:
            derived = _DERIVED[kept] = super().derive_key(key)
        return derived


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with one serializer per set of secret keys."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[str | bytes, ...], URLSafeTimedSerializer] = {}
        # (serializer, cookie value) -> (signed at, in whole seconds; the contents, pickled)
        self._opened: LRU[tuple[URLSafeTimedSerializer, str], tuple[int, bytes]] = LRU(OPENED_LIMIT)

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Flask's `open_session`, taking a cookie checked before from what was kept (see the module)."""
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (serializer, value)
        kept: tuple[int, bytes] | None = self._opened.get(key)
        if kept is not None and 0 <= int(time.time()) - kept[0] <= max_age:  # itsdangerous' age check
            return self.session_class(pickle.loads(kept[1]))  # noqa: S301 (pickled here, from checked data)
        try:
            data: Any
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:  # expired too (SignatureExpired is one)
            return self.session_class()
        self._opened.put(key, (int(signed_at.timestamp()), pickle.dumps(data)))
        return self.session_class(data)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """The serializer Flask would build for the app's current keys (built once per set of keys)."""
        if not app.secret_key:
            return None
        keys = (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)
        serializer = self._serializers.get(keys)
        if serializer is None:
            serializer = URLSafeTimedSerializer(
                list(keys),
                salt=self.salt,
                serializer=self.serializer,
                signer=KeptKeySigner,
                signer_kwargs={"key_derivation": self.key_derivation, "digest_method": self.digest_method},
            )
            self._serializers[keys] = serializer
        return serializer


_CSRF_SERIALIZERS: dict[str | bytes, URLSafeTimedSerializer] = {}


def csrf_token() -> str:
    """The request's CSRF token for a form: what `flask_wtf.csrf.generate_csrf()` returns.

    The same raw token in the session (made when there is none), the same signed token kept on `g` for the
    rest of the request (so Flask-WTF's `csrf_token()` in a template returns this one), the same salt and
    signing, so Flask-WTF's check accepts it; only the serializer is kept per secret key.
    """
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    if field not in g:
        secret = current_app.config.get("WTF_CSRF_SECRET_KEY", current_app.secret_key)
        if secret is None:
            raise RuntimeError("A secret key is required to use CSRF.")
        serializer = _CSRF_SERIALIZERS.get(secret)
        if serializer is None:
            serializer = URLSafeTimedSerializer(secret, salt="wtf-csrf-token", signer=KeptKeySigner)
            _CSRF_SERIALIZERS[secret] = serializer
        if field not in session:
            session[field] = hashlib.sha1(os.urandom(64)).hexdigest()
        try:
            token = serializer.dumps(session[field])
        except TypeError:  # a raw token that is not text (as Flask-WTF does: make a new one)
            session[field] = hashlib.sha1(os.urandom(64)).hexdigest()
            token = serializer.dumps(session[field])
        setattr(g, field, token)
    found: str = g.get(field)
    return found
