"""Optional email: sent only when an SMTP server is configured (SURVEY_SMTP_HOST, _PORT, _FROM).

Its words (the callers' subjects and bodies, and the problem sentence here) go through gettext in the
request's language (docs/translating.md)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app

from survey.services.words import gettext


def configured() -> bool:
    """True when an SMTP server is set up for this service."""
    return bool(current_app.config.get("SURVEY_SMTP_HOST"))


def send(to: str, subject: str, body: str) -> str | None:
    """Send a plain-text email; returns what went wrong as a sentence (None when it was handed over)."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = str(config.get("SURVEY_SMTP_FROM") or "survey@localhost")
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(
            str(config["SURVEY_SMTP_HOST"]), int(config.get("SURVEY_SMTP_PORT") or 25), timeout=10
        ) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        problem: str = gettext(
            "The email could not be sent (%(error)s): pass the link on yourself.", error=type(error).__name__
        )
        return problem
    return None
