"""Optional email: sent only when an SMTP server is configured (SURVEY_SMTP_HOST, _PORT, _FROM)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


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
        return f"The email could not be sent ({type(error).__name__}): pass the link on yourself."
    return None
