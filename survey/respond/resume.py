"""Save and return without a name or email: a short resume code, rate-limited guessing."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.journey import runner as journeys
from survey.journey.answering import Elsewhere, answer_page
from survey.journey.runner import Journey
from survey.respond import bp, code_limits, codes
from survey.respond.views import no_longer_running, running
from survey.services.inputs import whole_number
from survey.store import repository
from survey.store.db import get_session
from survey.web.i18n import format_date, translate

Page = str | tuple[str, int] | WerkzeugResponse


def _keep_current_answer(journey: Journey) -> bool:
    """'Save and come back later' on a question page also keeps that page's answer when it is valid.

    False when the response was sent meanwhile (another tab): nothing was stored, no code can resume it.
    """
    n = whole_number(request.form.get("page", ""), low=1, high=len(journey.q.questions))
    if n is None:
        return True
    question = journey.q.questions[n - 1]
    if question not in journey.visible() or not question.asks:
        return True
    if question.id not in journey.visited and question != journey.frontier():
        return True
    outcome = answer_page(journey, question, request.form, today=today(), keep_blank=False)
    return not isinstance(outcome, Elsewhere)  # an invalid or empty page keeps the answer stored before


@bp.post("/s/<questionnaire_id>/save")
def save(questionnaire_id: str) -> Page:
    """Give the resident a resume code for the journey so far (valid until the survey closes)."""
    journey, elsewhere = running(questionnaire_id)
    if elsewhere is not None:
        return elsewhere
    journey.check_open(not_sent=True)
    if not _keep_current_answer(journey):  # sent meanwhile: a code would resume nothing
        return no_longer_running(questionnaire_id)
    code = codes.generate()
    expires = journey.closes or today() + timedelta(
        days=int(current_app.config["SURVEY_RESUME_DAYS_WHEN_NO_CLOSE"])
    )
    assert journey.response is not None
    replaced = journey.response.resume_code_hash is not None  # one code per response: the new one wins
    stored = repository.set_resume_code(
        session=get_session(),
        response=journey.response,
        code_hash=codes.digest(code, journey.q.id),
        expires_on=expires,
        duration_seconds=journeys.elapsed_seconds(questionnaire_id),
    )
    if not stored:  # sent from another tab meanwhile: a code would resume nothing
        return no_longer_running(questionnaire_id)
    continue_url = journey.next_url()
    if journeys.is_shared(questionnaire_id):  # a shared device keeps nothing: the code is the way back
        journeys.forget(questionnaire_id)
        continue_url = url_for("respond.resume", questionnaire_id=questionnaire_id)
    return render_template(
        "respond/saved.html",
        j=journey,
        lang=journey.lang,
        code=code,
        replaced=replaced,
        expires=format_date(expires, journey.lang),
        continue_url=continue_url,
    )


def _resume_form(
    journey: Journey, *, error: str | None = None, typed: str = "", status: int = 200
) -> tuple[str, int]:
    ticked = request.form.get("shared") == "1" if request.method == "POST" else journeys.said_shared()
    return render_template(
        "respond/resume.html", j=journey, lang=journey.lang, error=error, typed=typed, shared_ticked=ticked
    ), status


@bp.route("/s/<questionnaire_id>/resume", methods=["GET", "POST"])
def resume(questionnaire_id: str) -> Page:
    """Enter a resume code on any device to carry on where the journey stopped."""
    journey = journeys.load(questionnaire_id, with_response=False)
    journey.check_open()
    if request.method == "GET":
        return _resume_form(journey)
    typed = request.form.get("code", "")[:64]
    lang = journey.lang
    if not typed.strip():
        return _resume_form(journey, error=translate("resume_error_blank", lang), typed=typed)
    normal = codes.normalise(typed)
    if normal is None:
        return _resume_form(journey, error=translate("resume_error_format", lang), typed=typed)
    if not code_limits.allow_code(normal, journey.q.id, "resume"):
        return render_template("respond/too_many.html", j=journey, lang=lang), 429
    found = repository.resumable_response(
        session=get_session(),
        questionnaire_id=journey.q.id,
        code_hash=codes.digest(normal, journey.q.id),
        today=today(),
    )
    if found is None:
        return _resume_form(journey, error=translate("resume_error_unknown", lang), typed=typed)
    assert found.id is not None
    if not code_limits.allow_response(found.id):
        return render_template("respond/too_many.html", j=journey, lang=lang), 429
    session["lang"] = found.language
    resumed = journeys.load(questionnaire_id, with_response=False)
    # the device may be shared (a library computer): then the browser forgets the journey again
    shared = request.form.get("shared") == "1"
    journeys.begin(resumed, found, elapsed=found.duration_seconds or 0, shared=shared)
    resumed = journeys.load(questionnaire_id, with_response=True)
    return redirect(resumed.next_url())
