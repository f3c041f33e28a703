"""The resident's receipt: a code, asked for when sending, to see, print or erase the answers sent.

The check-answers page offers the code; it is made by the request that sends the answers (stored with them
in one statement, so it is made once and never replaced) and shown once, on the confirmation page. Nothing
in the browser's cookie leads to the sent response afterwards: the next person at a shared browser can
neither get a code for it nor see or erase it. With the code, on any device, the resident sees the answers
they sent and can erase them (with a confirmation step). Each of those pages is the answer to a POST that
carries the code (in the form, never in the cookie or the address), and each checks it again and gives
the browser a new form token, so the tab's history cannot replay it.
After the closing date the answers are part of the analysed data and the code no longer works (the start
page's privacy notice says so). Codes are stored as keyed hashes and limited per code, per response and
per address (code_limits).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app, g, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.journey import runner as journeys
from survey.journey.pages import answer_rows
from survey.journey.runner import Journey
from survey.respond import bp, code_limits, codes
from survey.services import audit, erasure
from survey.store import repository_security as stored
from survey.store.db import get_session
from survey.store.models import Response
from survey.web.i18n import format_date, translate

Page = str | tuple[str, int] | WerkzeugResponse
RESIDENT_ACTOR = "resident (receipt code)"
ASKED = "receipt"  # the check-answers page's checkbox
CSRF_FIELD = "csrf_token"  # Flask-WTF's key in the session (and its cache in `g`)


@dataclass(frozen=True)
class Wanted:
    """A receipt code made for the answers being sent: the code to show, and what is stored."""

    code: str
    code_hash: str
    until: date

    @property
    def stored(self) -> tuple[str, date]:
        """(code hash, last valid day), as `repository.submit_response` stores them."""
        return self.code_hash, self.until


def _expiry(journey: Journey) -> date:
    closes: date | None = journey.closes
    return closes or today() + timedelta(days=int(current_app.config["SURVEY_RESUME_DAYS_WHEN_NO_CLOSE"]))


def asked_for(journey: Journey) -> Wanted | None:
    """The receipt code for this Send when the resident ticked "give me a receipt code" (else None)."""
    if request.form.get(ASKED) != "yes":
        return None
    code = codes.generate()
    return Wanted(code, codes.digest(code, journey.q.id, "receipt"), _expiry(journey))


def _form(journey: Journey, *, error: str | None = None, typed: str = "") -> tuple[str, int]:
    return render_template(
        "respond/receipt_enter.html", j=journey, lang=journey.lang, error=error, typed=typed
    ), 200


def _too_many(journey: Journey) -> tuple[str, int]:
    return render_template("respond/too_many.html", j=journey, lang=journey.lang, codes=True), 429


def _opened(journey: Journey) -> tuple[Response, str] | Page:
    """The sent response whose receipt code this POST carries (and the code), or the page to show instead.

    Every page that shows or erases answers checks the code again and counts the attempt (code_limits).
    """
    typed = request.form.get("code", "")[:64]
    lang = journey.lang
    if not typed.strip():
        return _form(journey, error=translate("receipt_error_blank", lang), typed=typed)
    normal = codes.normalise(typed)
    if normal is None:
        return _form(journey, error=translate("receipt_error_format", lang), typed=typed)
    if not code_limits.allow_code(normal, journey.q.id, "receipt"):
        return _too_many(journey)
    found = stored.response_by_receipt(
        session=get_session(),
        questionnaire_id=journey.q.id,
        code_hash=codes.digest(normal, journey.q.id, "receipt"),
        today=today(),
    )
    if found is None or found.id is None:
        return _form(journey, error=translate("receipt_error_unknown", lang), typed=typed)
    if not code_limits.allow_response(found.id):
        return _too_many(journey)
    _new_form_token()
    return found, f"{normal[: codes.GROUP]}-{normal[codes.GROUP :]}"


def _new_form_token() -> None:
    """Give the browser a new CSRF token: this page's forms get it, and the POST that opened the page,
    which the tab's history keeps (code included), is refused if replayed ("Back", then "Resend") by the
    next person at the computer."""
    session.pop(CSRF_FIELD, None)
    g.pop(CSRF_FIELD, None)


def _rows_without_change_links(journey: Journey) -> list[dict[str, Any]]:
    sections = answer_rows(journey)
    for section in sections:
        for row in section["rows"]:
            row.pop("actions", None)
    return sections


@bp.route("/s/<questionnaire_id>/receipt", methods=["GET", "POST"])
def receipt(questionnaire_id: str) -> Page:
    """Enter a receipt code to see, print or erase the answers sent (shown in the answer to the POST)."""
    current = journeys.load(questionnaire_id, with_response=False)
    current.check_open()
    if request.method == "GET":
        return _form(current)
    opened = _opened(current)
    if not isinstance(opened, tuple) or not isinstance(opened[0], Response):
        return opened
    found, code = opened
    journey = journeys.journey_of(found)
    sent_on = format_date(found.completed_on, journey.lang) if found.completed_on else ""
    return render_template(
        "respond/receipt_answers.html",
        j=journey,
        lang=journey.lang,
        sections=_rows_without_change_links(journey),
        sent_on=sent_on,
        code=code,
    )


@bp.get("/s/<questionnaire_id>/receipt/answers")
@bp.get("/s/<questionnaire_id>/receipt/erase")
def receipt_by_address(questionnaire_id: str) -> WerkzeugResponse:
    """Answers are only shown in answer to the code: an address alone leads to the code form."""
    return redirect(url_for("respond.receipt", questionnaire_id=questionnaire_id))


@bp.post("/s/<questionnaire_id>/receipt/erase")
def receipt_erase(questionnaire_id: str) -> Page:
    """Erase the answers sent: a confirmation step, then the erasure (each with the code)."""
    current = journeys.load(questionnaire_id, with_response=False)
    current.check_open()
    opened = _opened(current)
    if not isinstance(opened, tuple) or not isinstance(opened[0], Response):
        return opened
    found, code = opened
    if request.form.get("confirm") != "yes":
        return render_template("respond/receipt_erase.html", j=current, lang=current.lang, code=code)
    rid = found.id
    erased = erasure.erase(session=get_session(), response=found)
    audit.record(
        "response.erase.resident",
        questionnaire=questionnaire_id,
        actor=RESIDENT_ACTOR,
        session=get_session(),
        response=rid,
        **erasure.audit_counts(erased),
    )
    return render_template("respond/receipt_erased.html", j=current, lang=current.lang)
