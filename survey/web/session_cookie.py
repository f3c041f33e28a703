"""The session cookie, signed exactly as Flask signs it, with the signing set up once instead of per request.

Flask builds a new serializer for every request that opens or saves the session, and its signer derives
the signing key (an HMAC of the secret key and the salt) again for every cookie it reads or writes. Both
depend only on the secret keys, so they are kept here: per set of keys (a changed secret key or fallback
list gets its own) and per derived key. The cookie's bytes, its checks and its expiry are Flask's.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from itsdangerous.encoding import want_bytes

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
