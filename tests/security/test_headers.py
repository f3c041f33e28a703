"""Security headers on every response of a whole journey (pages, redirects, errors); production cookies."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from werkzeug.test import TestResponse

from tests.conftest import make_app
from tests.respondent import Respondent

MakeRespondent = Callable[..., Respondent]


def csp_directives(response: TestResponse) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    policy = response.headers.get("Content-Security-Policy", "")
    parts = [p.strip().split(None, 1) for p in policy.split(";") if p.strip()]
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


def header_problems(response: TestResponse) -> list[str]:
    """What is missing or weak in one response's security headers."""
    path = response.request.path
    csp = csp_directives(response)
    problems = []
    script = csp.get("script-src", csp.get("default-src", ""))
    if not script or "'unsafe-inline'" in script or "'unsafe-eval'" in script or "*" in script:
        problems.append(f"{path}: script-src {script!r}")
    if csp.get("frame-ancestors") != "'none'":
        problems.append(f"{path}: frame-ancestors {csp.get('frame-ancestors')!r}")
    if "'unsafe-inline'" in csp.get("style-src", ""):
        problems.append(f"{path}: inline style allowed")
    if not path.startswith("/assets/") and response.headers.get("Cache-Control") != "no-store":
        problems.append(f"{path}: Cache-Control {response.headers.get('Cache-Control')!r}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{path}: no nosniff")
    if response.headers.get("Referrer-Policy") != "no-referrer":
        problems.append(f"{path}: Referrer-Policy {response.headers.get('Referrer-Policy')!r}")
    return problems


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_response_of_a_journey_has_the_security_headers(respondent: MakeRespondent) -> None:
    """Start, every answer page and redirect, an error, save, resume, check, send, done, 404, 413, exit."""
    resident = respondent()
    seen: list[TestResponse] = []
    client = resident.client
    original = client.open

    def recording(*args: Any, **kwargs: Any) -> TestResponse:
        response: TestResponse = original(*args, **kwargs)
        seen.extend([*response.history, response])
        return response

    client.open = recording  # type: ignore[method-assign]
    resident.start()
    resident.answer_raw({"answer": "not an option"})
    resident.walk(stop_at="concern")
    resident.post(f"/s/{resident.q.id}/save", {"page": "8"})
    resident.get(f"/s/{resident.q.id}/resume")
    resident.post(f"/s/{resident.q.id}/resume", {"code": "nope"})
    resident.get(f"/s/{resident.q.id}/check")
    resident.walk()
    resident.submit()
    resident.get("/s/no-such-survey")
    client.post(f"/s/{resident.q.id}/p/1", data={"answer": "x" * 400_000})
    client.get(f"/s/{resident.q.id}/exit")
    client.get("/assets/css/survey.css")
    statuses = {r.status_code for r in seen}
    assert {200, 302, 303, 404, 413} <= statuses, statuses
    problems = [p for r in seen for p in header_problems(r)]
    for response in seen:
        response.close()
    assert problems == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_production_cookies_are_secure_httponly_and_samesite(database_url: str, tmp_path: Path) -> None:
    """SURVEY_ENV=production without any cookie setting: Secure, HttpOnly, SameSite=Lax, and HSTS."""
    app = make_app(database_url, tmp_path, SURVEY_ENV="production", SECRET_KEY="a-production-secret")
    client = app.test_client()
    reply = client.get("/s/safermk-2016")
    cookie = reply.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    assert reply.headers.get("Strict-Transport-Security", "").startswith("max-age=")
    assert header_problems(reply) == []
