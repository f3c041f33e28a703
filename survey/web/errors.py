"""Error pages in the GOV.UK style, and the domain exceptions the views raise."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask, g, render_template, request, url_for
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import BadHost, HTTPException

from survey.config import today
from survey.engine.catalogue import N_, gettext
from survey.web.i18n import format_date, translate

PageResult = tuple[str, int]
PLAIN_BAD_HOST = Markup(
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Bad request</title></head>'
    "<body><h1>Bad request</h1><p>The address (the Host header) is not a valid host name.</p></body></html>"
)
_SURVEY_PATH = re.compile(r"^/s/(?P<qid>[a-z0-9-]+)(?P<rest>/.*)?$")
_REVISITABLE = {"/check", "/resume"}
# Staff pages are in English only; residents' words ("your answers so far") do not fit staff.
# Marked for gettext (survey/translations), shown in English until a staff translation exists.
STAFF_LANGUAGE = "en"
STAFF_TIMED_OUT_TEXT = N_(
    "Nothing on the form you sent was saved. Go back, sign in again if you are asked to, and send it again."
)
STAFF_TIMED_OUT_LINK = N_("Go back to the staff area and try again")
STAFF_ERROR_TEXT = N_("Try again later. Nothing you saved before this has been lost.")
STAFF_ERROR_LINK = N_("Go to the staff area")


class SurveyUnavailable(Exception):
    """The questionnaire is not taking answers today (not open yet, or closed)."""

    def __init__(
        self, *, title: str, opens: date | None = None, closes: date | None = None, not_sent: bool = False
    ) -> None:
        super().__init__(title)
        self.title = title
        self.opens = opens
        self.closes = closes
        self.not_sent = not_sent


def _lang() -> str:
    return str(g.get("lang") or "en")


def _on_staff_pages() -> bool:
    return request.path == "/staff" or request.path.startswith("/staff/")


def _page(
    title_key: str, text_key: str, status: int, *, text: str | None = None, **extra: object
) -> PageResult:
    lang = _lang()
    return render_template(
        "errors/page.html",
        lang=lang,
        title=translate(title_key, lang),
        text=text or translate(text_key, lang),
        **extra,
    ), status


def handle_not_found(_error: HTTPException) -> PageResult:
    """404: the page does not exist (also unknown questionnaires and page numbers)."""
    return _page("not_found_title", "not_found_text", 404)


def handle_method_not_allowed(_error: HTTPException) -> PageResult:
    """405: treated like a missing page for residents."""
    return _page("not_found_title", "not_found_text", 405)


def handle_too_large(_error: HTTPException) -> PageResult:
    """413: a form far bigger than any answer allows."""
    return _page("too_large_title", "too_large_text", 413)


def handle_bad_request(error: HTTPException) -> PageResult:
    """400: a malformed request (never a bare error page).

    A Host header that is not a host name (a label of 64 characters or more, which the IDNA codec refuses)
    fails before routing: no page can be built with links, so a plain one says what was wrong.
    """
    if isinstance(error, BadHost) or request_ctx.url_adapter is None:
        return PLAIN_BAD_HOST, 400
    return _page("not_found_title", "not_found_text", 400)


def handle_csrf(_error: CSRFError) -> PageResult:
    """A missing or expired CSRF token: a kind 'session timed out' page with a way back (400).

    The request was refused, so it is a 400, as Flask-WTF's own error is; the page says so in words and
    links back. Staff get the same kind of page (with their own words and a link to the staff area).
    """
    if _on_staff_pages():
        staff_text = gettext(STAFF_TIMED_OUT_TEXT, STAFF_LANGUAGE)
        return _page(
            "timed_out_title",
            "timed_out_text",
            400,
            text=staff_text,
            back_url=url_for("staff.home"),
            back_text=gettext(STAFF_TIMED_OUT_LINK, STAFF_LANGUAGE),
        )
    back = url_for("respond.index")
    match = _SURVEY_PATH.match(request.path)
    if match:  # back to the same page when it can be shown again, else to the survey's start page
        rest = match["rest"] or ""
        back = request.path if rest in _REVISITABLE or rest.startswith("/p/") else f"/s/{match['qid']}"
    return _page(
        "timed_out_title",
        "timed_out_text",
        400,
        back_url=back,
        back_text=translate("timed_out_link", _lang()),
    )


def handle_unavailable(error: SurveyUnavailable) -> PageResult:
    """The survey is closed or not open yet: say when, and that nothing half-finished was sent."""
    lang = _lang()
    if error.closes is not None:
        title = translate("closed_title", lang)
        lines = [translate("closed_on", lang, date=format_date(error.closes, lang))]
        if error.not_sent:
            lines.append(translate("closed_not_sent", lang))
    else:
        title = translate("not_open_title", lang)
        opens = error.opens or today()
        lines = [translate("opens_on", lang, date=format_date(opens, lang))]
    return render_template(
        "errors/unavailable.html", lang=lang, title=title, lines=lines, survey_title=error.title
    ), 200


def handle_server_error(error: Exception) -> PageResult | HTTPException:
    """500: roll back the request's database work, log the exception, show a calm page.

    A database fault (down, read-only, connection lost) is a 503 instead, and the connection pool is
    emptied so that the service serves again as soon as the database is back (no restart needed).
    """
    if isinstance(error, HTTPException):
        return error
    from survey.store.db import DATABASE_FAULTS, close_session, is_database_fault, recover_from_fault

    try:
        close_session()
    except DATABASE_FAULTS:  # rolling back on a broken connection fails too
        pass
    from flask import current_app

    from survey.web.logs import request_path

    current_app.logger.exception("Unhandled error on %s %s", request.method, request_path())
    if is_database_fault(error):
        recover_from_fault()
        if _on_staff_pages():
            return _page(
                "error_title",
                "error_text",
                503,
                text=STAFF_ERROR_TEXT,
                back_url=url_for("staff.home"),
                back_text=STAFF_ERROR_LINK,
            )
        return _page("error_title", "error_text", 503)
    if _on_staff_pages():
        return _page(
            "error_title",
            "error_text",
            500,
            text=gettext(STAFF_ERROR_TEXT, STAFF_LANGUAGE),
            back_url=url_for("staff.home"),
            back_text=gettext(STAFF_ERROR_LINK, STAFF_LANGUAGE),
        )
    return _page("error_title", "error_text", 500)


def register_error_handlers(app: Flask) -> None:
    """Map HTTP errors and domain exceptions to pages."""
    app.register_error_handler(404, handle_not_found)
    app.register_error_handler(405, handle_method_not_allowed)
    app.register_error_handler(413, handle_too_large)
    app.register_error_handler(400, handle_bad_request)
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(SurveyUnavailable, handle_unavailable)
    app.register_error_handler(Exception, handle_server_error)
