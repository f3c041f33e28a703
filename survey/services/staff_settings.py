"""Staff settings (sessions, lock-out, passwords, audit paging), each overridable as SURVEY_STAFF_…"""

from __future__ import annotations

from flask import current_app

# Defaults of the staff settings; each may be set in the environment (SURVEY_STAFF_...).
DEFAULTS: dict[str, int] = {
    "SURVEY_STAFF_SESSION_HOURS": 8,
    "SURVEY_STAFF_IDLE_MINUTES": 30,
    "SURVEY_STAFF_LOCKOUT_ATTEMPTS": 5,
    "SURVEY_STAFF_LOCKOUT_MINUTES": 15,
    "SURVEY_STAFF_CLIENT_ATTEMPTS": 20,
    "SURVEY_STAFF_PASSWORD_MIN_LENGTH": 12,
    "SURVEY_STAFF_ARGON2_TIME_COST": 3,
    "SURVEY_STAFF_ARGON2_MEMORY_KIB": 65536,
    "SURVEY_STAFF_ARGON2_PARALLELISM": 4,
    "SURVEY_STAFF_DEFAULT_WEEKS_OPEN": 12,
    "SURVEY_STAFF_AUDIT_PAGE_SIZE": 50,
    "SURVEY_STAFF_ADMIN_TWO_FACTOR": 1,  # admins must sign in with a TOTP code (0: optional for all)
    "SURVEY_STAFF_INVITE_DAYS": 7,  # how long a one-time invitation or reset link works
}


def setting(name: str) -> int:
    """A staff setting as a whole number (environment values arrive as strings)."""
    return int(current_app.config.get(name, DEFAULTS[name]))
