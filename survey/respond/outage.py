"""When the database fails during a resident's request: a calm 503 page that keeps what they typed.

The pool is emptied first (survey.store.db.recover_from_fault), so the service recovers by itself once
the database is back. A question page whose answer could not be stored is shown again under "Sorry,
there is a problem with the service", with the resident's answer in the form and a "Send again" button;
when the page could not even be read, the posted fields go back as hidden inputs so "Send again" resends
them unchanged.
"""

from __future__ import annotations

from flask import current_app, g, render_template, request
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.journey.fragments import fields_html
from survey.respond import bp
from survey.respond.views import _caption
from survey.store.db import DATABASE_FAULTS, close_session, recover_from_fault
from survey.web.logs import request_path
from survey.web.session_cookie import csrf_token

RETRY_AFTER_SECONDS = 30


def _typed_fields() -> list[tuple[str, str]]:
    """The posted form fields to send again (never the CSRF token: the page gets a fresh one)."""
    return [
        (key, value) for key in request.form if key != "csrf_token" for value in request.form.getlist(key)
    ]


def database_fault(error: Exception) -> tuple[str, int, dict[str, str]] | WerkzeugResponse:
    """503 with the answer kept; the pool is emptied so the next request connects afresh."""
    try:
        close_session()
    except DATABASE_FAULTS:  # the rollback itself may fail on a broken connection
        pass
    recover_from_fault()
    current_app.logger.error(
        "Database fault on %s %s: %s", request.method, request_path(), type(error).__name__, exc_info=error
    )
    kept = g.get("outage_page")
    lang = str(g.get("lang") or "en")
    context: dict[str, object] = {
        "lang": lang,
        "csrf": csrf_token(),
        "action": request.full_path.rstrip("?"),
        "fields": None,
        "typed": [],
        "j": None,
    }
    if kept is not None and request.method == "POST":
        journey, question, data, _change = kept
        context.update(
            j=journey,
            lang=journey.lang,
            page_number=journey.page_number(question.id),
            fields=fields_html(journey, question, data, [], _caption(journey, question)),
        )
    elif request.method == "POST":
        context["typed"] = _typed_fields()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return render_template("respond/outage.html", **context), 503, headers


for _fault in DATABASE_FAULTS:
    bp.register_error_handler(_fault, database_fault)
