"""Nothing a resident typed reaches a log: every log record is scrubbed of database statement parameters.

The engine already hides parameters from its errors (`hide_parameters=True` in survey.store.db), but a
database's own message can still quote the row it refused (Postgres: "DETAIL: Failing row contains (...)",
"Key (token)=(...) already exists"). A log record factory, installed once per process, rewrites every
record as it is made (message, arguments and exception text), so it holds for every logger and handler,
including gunicorn's and those added later.

Paths that carry a credential are hidden too: the token of a staff invitation or password reset link
(`/staff/invite/<token>`) sets an account's password, so a log line with it would let anyone who reads the
log take the account. Error handlers log `request_path()`, and the scrubber hides the token in any other
line (a development server's or proxy's access log line, a traceback). Resume and receipt codes are only
ever posted in forms, never in an address.

The service logs no request addresses: gunicorn's access log is off, and the address gunicorn puts in its
warning about a malformed request ("Invalid request from ip=...") is hidden here too.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

from flask import has_request_context, request

HIDDEN = "[hidden]"
# Route arguments that are credentials: their values never go into a log line.
SECRET_VIEW_ARGS = frozenset({"token"})
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # SQLAlchemy's "[parameters: (...)]" (when an engine does not hide them), possibly across lines.
    (re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(Background|$))", re.DOTALL), f"[parameters: {HIDDEN}]"),
    # Postgres: the refused row, the conflicting key, and any DETAIL line (values of the statement).
    (re.compile(r"Failing row contains \(.*\)"), f"Failing row contains {HIDDEN}"),
    (re.compile(r"Key \((.*?)\)=\(.*?\)"), rf"Key (\1)={HIDDEN}"),
    (re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE), rf"\1 {HIDDEN}"),
    # Credentials carried in a path: a staff invitation or password reset link.
    (re.compile(r"(/staff/invite/)[^\s/?#\"'<>]+"), rf"\1{HIDDEN}"),
    # Request addresses in gunicorn's lines about malformed requests: "Invalid request from ip=::1: ...",
    # "Proxy request from '10.1.2.3' not allowed", "Invalid PROXY line: 'PROXY TCP4 <client> <proxy> ...'".
    (re.compile(r"(\bip=)\[?[0-9A-Fa-f:.]*[0-9A-Fa-f.](?:%[\w.-]+)?\]?"), rf"\1{HIDDEN}"),
    (re.compile(r"(Proxy request from )(['\"]).*?\2"), rf"\1{HIDDEN}"),
    (re.compile(r"(Invalid PROXY line: ).*"), rf"\1{HIDDEN}"),
)
_INSTALLED = "_survey_scrubbing_factory"


def scrub(text: str) -> str:
    """`text` with anything that looks like a statement's parameters or a refused row replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def request_path() -> str:
    """The current request's path for a log line, with any credential it carries hidden."""
    if not has_request_context():
        return ""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if name in SECRET_VIEW_ARGS and isinstance(value, str) and value:
            path = path.replace(value, HIDDEN)
    return scrub(path)


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite a record in place: its final message and its exception text, scrubbed."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError):  # a badly formatted call: keep the template only
        message = str(record.msg)
    record.msg, record.args = scrub(message), None
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = scrub("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    elif record.exc_text:
        record.exc_text = scrub(record.exc_text)
    return record


def install() -> None:
    """Make every log record of this process scrubbed (idempotent)."""
    factory = logging.getLogRecordFactory()
    if getattr(factory, _INSTALLED, False):
        return

    def scrubbing_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(factory(*args, **kwargs))

    setattr(scrubbing_factory, _INSTALLED, True)
    logging.setLogRecordFactory(scrubbing_factory)
