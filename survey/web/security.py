"""Security headers (a strict Content-Security-Policy), CSRF protection and proxy handling."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from survey.services.inputs import MAX_DATABASE_INT
from survey.web.session_cookie import SessionInterface

# Every id in a URL is a database integer: anything past a 32-bit signed integer cannot exist, and
# passing it on would make SQLite (past 2^63) or Postgres (past 2^31) fail with a 500. It is a 404.
MAX_URL_INT = MAX_DATABASE_INT


class BoundedInt(IntegerConverter):
    """`<int:...>` in every route: 0 to 2^31 - 1, else the route does not match (404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 (werkzeug's name)
        kwargs.setdefault("max", MAX_URL_INT)
        super().__init__(map, *args, **kwargs)


csrf = CSRFProtect()

# Everything from this host; no inline script or style, no third-party host, never framed.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # No referrer: the neutral site behind "Exit this page" must not learn where the resident was.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


_HEADER_ITEMS = tuple((name, name.lower(), value) for name, value in HEADERS.items())
_HSTS = ("Strict-Transport-Security", "strict-transport-security", "max-age=31536000")
_NOT_CACHED = (("Cache-Control", "cache-control", "no-store"), ("Pragma", "pragma", "no-cache"))


def set_security_headers(response: Response) -> Response:
    """Add the security headers to every response; pages (not assets) are never cached.

    A header the view set itself is kept (as `setdefault` would); the names present are read once, not
    searched for header by header (this runs on every request).
    """
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    wanted = _HEADER_ITEMS + (_HSTS,) if current_app.config.get("SESSION_COOKIE_SECURE") else _HEADER_ITEMS
    headers.extend([(name, value) for name, lower, value in wanted if lower not in present])
    if not request.path.startswith("/assets/"):
        for name, lower, value in _NOT_CACHED:
            if lower in present:
                headers[name] = value  # replaces the view's value where it stood
            else:
                headers.add(name, value)
    return response


def from_this_site() -> bool:
    """Whether the request came from this service's own pages, or from the person (address bar, bookmark).

    Browsers say so in `Sec-Fetch-Site`. Without it (older browsers), an `Origin` or `Referer` naming another
    host means another site; when neither is sent (this service's pages send no referrer) it counts as ours,
    so a state-changing GET such as quick exit keeps working on every browser.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "none")
    for header in ("Origin", "Referer"):
        value = request.headers.get(header)
        if value and value != "null":
            return urlsplit(value).netloc.lower() == request.host.lower()
    return True


def client_key() -> str:
    """A keyed hash of the client's address: enough to rate-limit, never stored with answers."""
    address = (request.remote_addr or "unknown").encode()
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"client:" + address, hashlib.sha256).hexdigest()


def init_app(app: Flask) -> None:
    """Turn on CSRF protection, the security headers and (when configured) trusted proxy headers."""
    csrf.init_app(app)
    app.session_interface = SessionInterface()
    app.url_map.converters["int"] = BoundedInt  # before any blueprint adds its routes
    app.after_request(set_security_headers)
    hops = int(app.config.get("SURVEY_PROXY_HOPS", 0))
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
