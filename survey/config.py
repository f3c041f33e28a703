"""Configuration: defaults, then the environment (SURVEY_… and DATABASE_URL), then a test mapping."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# An installed wheel carries the folders beside the package in a checkout here (scripts/build_wheel.py)
BUNDLE_DIR = Path(__file__).resolve().parent / "_bundle"


def resource_dir(name: str) -> Path:
    """A folder of the checkout (templates, migrations, questionnaires), else the wheel's copy of it."""
    checkout = PROJECT_ROOT / name
    return checkout if checkout.is_dir() or not (BUNDLE_DIR / name).is_dir() else BUNDLE_DIR / name


def frontend_dir() -> Path:
    """GOV.UK Frontend's built files: node_modules in a checkout, else the wheel's copy."""
    checkout = PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
    return checkout if checkout.is_dir() or not (BUNDLE_DIR / "govuk").is_dir() else BUNDLE_DIR / "govuk"


SECRET_FILE = "secret_key"
DEV_ENVIRONMENTS = frozenset({"development", "test"})


class ConfigurationError(RuntimeError):
    """The service cannot start with this configuration."""


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def defaults(instance_path: Path) -> dict[str, Any]:
    """The built-in configuration (safe for a developer's machine)."""
    return {
        "SURVEY_ENV": "development",
        "DATABASE_URL": f"sqlite:///{instance_path / 'survey.db'}",
        "SURVEY_QUESTIONNAIRE_DIR": str(resource_dir("questionnaires")),
        "SURVEY_ASSETS_DIR": str(frontend_dir()),
        "SURVEY_ORG_NAME": "",
        "SURVEY_ORG_LOGO": "",
        "SURVEY_ORG_COLOUR": "",
        "SURVEY_TIMEZONE": "Europe/London",
        "SURVEY_FIXED_DATE": "",
        "SURVEY_PROXY_HOPS": 0,
        "SURVEY_SQLITE_BUSY_TIMEOUT_MS": 5000,
        # Per keyed hash of an address, per kind of code: generous, since a library, a school or a mobile
        # network puts many residents behind one address; the per-code and per-response limits are the
        # main defence (docs/security.md).
        "SURVEY_RESUME_LIMIT_PER_CLIENT": 100,
        "SURVEY_RECEIPT_LIMIT_PER_CLIENT": 100,
        "SURVEY_CODE_LIMIT_PER_CODE": 5,
        "SURVEY_CODE_LIMIT_PER_RESPONSE": 10,
        "SURVEY_SHARED_IDLE_MINUTES": 15,
        "SURVEY_RESUME_WINDOW_MINUTES": 15,
        "SURVEY_RESUME_DAYS_WHEN_NO_CLOSE": 90,
        "SESSION_COOKIE_NAME": "survey_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": 4 * 3600,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "MAX_FORM_MEMORY_SIZE": 256 * 1024,
    }


_INT_KEYS = (
    "SURVEY_PROXY_HOPS",
    "SURVEY_SQLITE_BUSY_TIMEOUT_MS",
    "SURVEY_RESUME_LIMIT_PER_CLIENT",
    "SURVEY_RECEIPT_LIMIT_PER_CLIENT",
    "SURVEY_CODE_LIMIT_PER_CODE",
    "SURVEY_CODE_LIMIT_PER_RESPONSE",
    "SURVEY_SHARED_IDLE_MINUTES",
    "SURVEY_RESUME_WINDOW_MINUTES",
    "SURVEY_RESUME_DAYS_WHEN_NO_CLOSE",
    "SURVEY_JOBS_RETRY_SECONDS",
    "SURVEY_JOBS_STALE_MINUTES",
    "SURVEY_JOBS_KEEP_DAYS",
)


def from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Read SURVEY_* settings and DATABASE_URL from the environment, typed."""
    found: dict[str, Any] = {}
    for key, value in environ.items():
        if key.startswith("SURVEY_") and not key.startswith("SURVEY_TEST_"):
            if key in _INT_KEYS:
                try:
                    found[key] = int(value)
                except ValueError:
                    raise ConfigurationError(f"{key} must be a whole number, not {value!r}") from None
            else:
                found[key] = value
    if "DATABASE_URL" in environ:
        found["DATABASE_URL"] = environ["DATABASE_URL"]
    if "SURVEY_COOKIE_SECURE" in found:
        found["SESSION_COOKIE_SECURE"] = _flag(found.pop("SURVEY_COOKIE_SECURE"))
    if "SURVEY_SECRET_KEY" in found:
        found["SECRET_KEY"] = found.pop("SURVEY_SECRET_KEY")
    return found


def _dev_secret(instance_path: Path) -> str:
    """Read the instance's generated key, creating it once (safe when several workers start together)."""
    path = instance_path / SECRET_FILE
    instance_path.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
        raise ConfigurationError(f"{path} is empty: delete it or set SURVEY_SECRET_KEY") from None
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def configure(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill app.config; refuse to run in production without a secret key."""
    instance_path = Path(app.instance_path)
    app.config.from_mapping(defaults(instance_path))
    environment = from_environment(os.environ)
    app.config.from_mapping(environment)
    if test_config:
        app.config.from_mapping(test_config)
    production = app.config["SURVEY_ENV"] not in DEV_ENVIRONMENTS
    if "SESSION_COOKIE_SECURE" not in environment and "SESSION_COOKIE_SECURE" not in (test_config or {}):
        # Secure cookies by default in production (served over https); plain http on a developer's machine.
        app.config["SESSION_COOKIE_SECURE"] = production
    if not app.config.get("SECRET_KEY"):
        if production:
            raise ConfigurationError(
                "SURVEY_SECRET_KEY is not set: a production service needs its own secret key "
                "(for example: python -c 'import secrets; print(secrets.token_hex(32))')"
            )
        app.config["SECRET_KEY"] = _dev_secret(instance_path)
    app.config["DATABASE_URL"] = normalise_database_url(app.config["DATABASE_URL"])


def warn_unset_public_url(app: Flask) -> None:
    """When a production service starts serving without SURVEY_PUBLIC_URL, say so once in its log (the web
    process only: the `survey` commands make no links, and would repeat it on every command)."""
    production = app.config["SURVEY_ENV"] not in DEV_ENVIRONMENTS
    if production and not str(app.config.get("SURVEY_PUBLIC_URL") or "").strip():
        app.logger.warning(
            "SURVEY_PUBLIC_URL is not set: QR codes, posters and links for channels will use whatever "
            "address each request came to (behind a proxy, possibly an internal one). Set it to the "
            "service's public https address, e.g. SURVEY_PUBLIC_URL=https://survey.example.gov.uk"
        )


def normalise_database_url(url: str) -> str:
    """Send postgres:// and postgresql:// URLs to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def today() -> date:
    """Today's date in the service's time zone (SURVEY_FIXED_DATE pins it, for tests and rehearsals)."""
    fixed = current_app.config.get("SURVEY_FIXED_DATE")
    if fixed:
        return date.fromisoformat(str(fixed))
    return datetime.now(ZoneInfo(current_app.config["SURVEY_TIMEZONE"])).date()
