"""The resident's receipt: after sending, a code to see, print or erase what was sent until the survey closes.

The confirmation page offers the code (only the browser that sent the answers can ask for it; asking again
gives a new code and the earlier one stops working). With the code, on any device, the resident sees the
answers they sent and can erase them (with a confirmation step). After the closing date the answers are
part of the analysed data and the code no longer works (the start page's privacy notice says so).
Codes are stored as keyed hashes and limited per code, per response and per address (code_limits).
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from flask import current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.journey import runner as journeys
from survey.journey.pages import answer_rows
from survey.journey.runner import Journey
from survey.respond import bp, code_limits, codes
from survey.services import audit
from survey.store import repository_security as stored
from survey.store.db import get_session
from survey.store.models import Response
from survey.web.i18n import format_date, translate

Page = str | tuple[str, int] | WerkzeugResponse
GRANT = "receipt"  # {"q": questionnaire id, "r": response id, "until": epoch seconds}
GRANT_SECONDS = 15 * 60
# Report snapshots of these kinds are working copies, not yet published; they are deleted on erasure.
UNPUBLISHED_KINDS = ("interim",)
RESIDENT_ACTOR = "resident (receipt code)"


def _expiry(journey: Journey) -> Any:
    return journey.closes or today() + timedelta(
        days=int(current_app.config["SURVEY_RESUME_DAYS_WHEN_NO_CLOSE"])
    )


@bp.post("/s/<questionnaire_id>/receipt/new")
def receipt_new(questionnaire_id: str) -> Page:
    """Give the browser that sent the answers a receipt code (a new one each time)."""
    journey = journeys.load(questionnaire_id, with_response=False)
    journey.check_open()
    token = journeys.sent_token(questionnaire_id)
    found = (
        stored.complete_response_by_token(
            session=get_session(), token=token or "", questionnaire_id=questionnaire_id
        )
        if token
        else None
    )
    if found is None or found.id is None:
        return redirect(url_for("respond.start", questionnaire_id=questionnaire_id))
    code = codes.generate()
    expires = _expiry(journey)
    replaced = found.receipt_code_hash is not None
    stored.set_receipt_code(
        session=get_session(),
        response_id=found.id,
        code_hash=codes.digest(code, questionnaire_id, "receipt"),
        expires_on=expires,
    )
    return render_template(
        "respond/receipt_code.html",
        j=journey,
        lang=journey.lang,
        code=code,
        replaced=replaced,
        expires=format_date(expires, journey.lang),
    )


def _form(journey: Journey, *, error: str | None = None, typed: str = "") -> tuple[str, int]:
    return render_template(
        "respond/receipt_enter.html", j=journey, lang=journey.lang, error=error, typed=typed
    ), 200


@bp.route("/s/<questionnaire_id>/receipt", methods=["GET", "POST"])
def receipt(questionnaire_id: str) -> Page:
    """Enter a receipt code to see, print or erase the answers sent."""
    journey = journeys.load(questionnaire_id, with_response=False)
    journey.check_open()
    if request.method == "GET":
        return _form(journey)
    typed = request.form.get("code", "")[:64]
    lang = journey.lang
    if not typed.strip():
        return _form(journey, error=translate("receipt_error_blank", lang), typed=typed)
    normal = codes.normalise(typed)
    if normal is None:
        return _form(journey, error=translate("receipt_error_format", lang), typed=typed)
    if not code_limits.allow_code(normal, journey.q.id, "receipt"):
        return render_template("respond/too_many.html", j=journey, lang=lang, codes=True), 429
    found = stored.response_by_receipt(
        session=get_session(),
        questionnaire_id=journey.q.id,
        code_hash=codes.digest(normal, journey.q.id, "receipt"),
        today=today(),
    )
    if found is None or found.id is None:
        return _form(journey, error=translate("receipt_error_unknown", lang), typed=typed)
    if not code_limits.allow_response(found.id):
        return render_template("respond/too_many.html", j=journey, lang=lang, codes=True), 429
    session[GRANT] = {"q": questionnaire_id, "r": found.id, "until": int(time.time()) + GRANT_SECONDS}
    return redirect(url_for("respond.receipt_answers", questionnaire_id=questionnaire_id))


def _granted(questionnaire_id: str) -> Response | None:
    """The sent response this browser opened with its receipt code in the last few minutes."""
    grant = session.get(GRANT)
    if not isinstance(grant, dict) or grant.get("q") != questionnaire_id:
        return None
    if not isinstance(grant.get("until"), int) or grant["until"] < time.time():
        session.pop(GRANT, None)
        return None
    found = stored.response_by_id(session=get_session(), response_id=int(grant.get("r") or 0))
    if found is None or found.status != "complete" or found.questionnaire_id != questionnaire_id:
        return None
    if found.receipt_expires_on is None or found.receipt_expires_on < today():
        return None
    return found


def _rows_without_change_links(journey: Journey) -> list[dict[str, Any]]:
    sections = answer_rows(journey)
    for section in sections:
        for row in section["rows"]:
            row.pop("actions", None)
    return sections


@bp.get("/s/<questionnaire_id>/receipt/answers")
def receipt_answers(questionnaire_id: str) -> Page:
    """The answers sent, to read or print, with the way to erase them."""
    current = journeys.load(questionnaire_id, with_response=False)
    current.check_open()
    found = _granted(questionnaire_id)
    if found is None:
        return redirect(url_for("respond.receipt", questionnaire_id=questionnaire_id))
    journey = journeys.journey_of(found)
    sent_on = format_date(found.completed_on, journey.lang) if found.completed_on else ""
    return render_template(
        "respond/receipt_answers.html",
        j=journey,
        lang=journey.lang,
        sections=_rows_without_change_links(journey),
        sent_on=sent_on,
    )


@bp.route("/s/<questionnaire_id>/receipt/erase", methods=["GET", "POST"])
def receipt_erase(questionnaire_id: str) -> Page:
    """Erase the answers sent, after a confirmation step."""
    current = journeys.load(questionnaire_id, with_response=False)
    current.check_open()
    found = _granted(questionnaire_id)
    if found is None:
        return redirect(url_for("respond.receipt", questionnaire_id=questionnaire_id))
    if request.method == "GET":
        return render_template("respond/receipt_erase.html", j=current, lang=current.lang)
    rid = found.id
    counts = stored.erase_response(session=get_session(), response=found, unpublished_kinds=UNPUBLISHED_KINDS)
    audit.record(
        "response.erase.resident",
        questionnaire=questionnaire_id,
        actor=RESIDENT_ACTOR,
        session=get_session(),
        response=rid,
        snapshots=counts["snapshots"],
        hand_codes=counts["hand_codes"],
    )
    session.pop(GRANT, None)
    return render_template("respond/receipt_erased.html", j=current, lang=current.lang)
