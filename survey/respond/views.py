"""Routes of the resident's journey: start, question pages, check answers, send, confirmation, exit."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from flask import abort, g, redirect, render_template, request, session, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.engine import (
    AnswerError,
    Question,
    check_stored,
    form_data_for,
    prune_answers,
    screened_out,
)
from survey.engine.answers_more import cross_checks
from survey.journey import receipt_handover as handover
from survey.journey import runner as journeys
from survey.journey.answering import FormData, Invalid, Saved, answer_page
from survey.journey.forms import error_list, piped
from survey.journey.fragments import fields_html, kept_page, page_html, pipes_answers
from survey.journey.pages import answer_rows, start_page_facts
from survey.journey.runner import Journey
from survey.respond import bp
from survey.respond import receipt as receipts
from survey.store import repository
from survey.store.db import get_session
from survey.web.i18n import format_date, supported, translate
from survey.web.security import from_this_site
from survey.web.session_cookie import csrf_token

Page = str | tuple[str, int] | WerkzeugResponse
LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"


@bp.before_request
def switch_language() -> WerkzeugResponse | None:
    """?lang=xx on any page chooses the language, then reloads the page without it (clean URLs)."""
    lang = request.args.get("lang")
    if request.method != "GET" or lang is None:
        return None
    if LANG_CODE.match(lang):
        session["lang"] = lang
    args = request.args.to_dict(flat=False)
    args.pop("lang", None)
    return redirect(request.path + (f"?{urlencode(args, doseq=True)}" if args else ""))


@bp.app_template_global()
def language_url(questionnaire_id: str, lang: str) -> str:
    """A link choosing `lang` that comes back to this page (or the start page when this was a POST)."""
    rule = request.url_rule
    if rule is None or "GET" not in (rule.methods or set()):
        return url_for("respond.start", questionnaire_id=questionnaire_id, lang=lang)
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return f"{request.path}?{urlencode(args, doseq=True)}"


def running(questionnaire_id: str) -> tuple[Journey, WerkzeugResponse | None]:
    """The journey with its in-progress response, or where to send a browser that has none."""
    journey = journeys.load(questionnaire_id, with_response=True)
    response = journey.response
    if response is None or response.status != "in_progress":
        if (response is not None and response.status == "complete") or journeys.was_sent(questionnaire_id):
            return journey, redirect(url_for("respond.done", questionnaire_id=questionnaire_id))
        return journey, redirect(url_for("respond.start", questionnaire_id=questionnaire_id))
    return journey, None


@bp.get("/")
def index() -> Page:
    """The questionnaires this service runs."""
    from survey.respond.results import home_list

    rows = repository.current_questionnaires(session=get_session())
    lang = supported(session.get("lang") if isinstance(session.get("lang"), str) else None)
    consultations = home_list(rows)
    titles = {row.questionnaire_id: row.definition for row in rows}
    for consultation in consultations:  # each title in the page's language where the survey has it
        definition = titles.get(consultation["id"]) or {}
        own = definition.get("title")
        written = str(definition.get("language") or "en")
        if isinstance(own, dict) and isinstance(own.get(lang), str) and own[lang].strip():
            consultation.update(title=own[lang], title_lang=lang)
        else:
            consultation["title_lang"] = written
    return render_template("respond/index.html", lang=lang, questionnaires=rows, consultations=consultations)


@bp.get("/s/<questionnaire_id>")
def start(questionnaire_id: str) -> Page:
    """The start page: who runs the survey, why, how long it takes, privacy, closing date."""
    journey = journeys.load(questionnaire_id, with_response=True)
    journey.check_open()
    in_progress = journey.response is not None and journey.response.status == "in_progress"
    return render_template(
        "respond/start.html",
        j=journey,
        lang=journey.lang,
        facts=start_page_facts(journey),
        channel=journeys.channel_code(request.args.get("c"), journey.q.id),
        in_progress=in_progress,
        continue_url=journey.next_url() if in_progress else None,
    )


@bp.post("/s/<questionnaire_id>/start")
def begin(questionnaire_id: str) -> Page:
    """Start a new response (or carry on with the one this browser already has)."""
    journey = journeys.load(questionnaire_id, with_response=True)
    journey.check_open()
    if journey.response is not None and journey.response.status == "in_progress":
        return redirect(journey.next_url())
    response = repository.start_response(
        session=get_session(),
        questionnaire_id=journey.q.id,
        questionnaire_version=journey.q.version,
        started_on=today(),
        language=journey.lang,
        channel=journeys.channel_code(request.form.get("c"), journey.q.id),
    )
    journeys.begin(journey, response, shared=request.form.get("shared") == "1")
    return redirect(journey.next_url())


def _allowed(journey: Journey, question: Question) -> bool:
    """A page may be shown when it is visible and already seen, or the next one to answer."""
    if all(shown is not question for shown in journey.visible()):
        return False
    return question.id in journey.visited or question == journey.frontier()


def _caption(journey: Journey, question: Question) -> str:
    """'Section 2 of 4', counting only the sections on this resident's path (skipped ones are not counted);
    none on a screen-out ending (the journey stops there: it is no section of anything)."""
    if question.screens_out:
        return ""
    n, total = journey.section_position(question)
    return translate("section_of", journey.lang, n=n, total=total)


def _back_url(journey: Journey, question: Question, change: bool) -> str:
    if change:
        return journeys.journey_url("respond.check", questionnaire_id=journey.q.id)
    previous = journey.previous_page(question.id)
    if previous is None:
        return journeys.journey_url("respond.start", questionnaire_id=journey.q.id)
    return journey.page_url(previous)


def page_title(journey: Journey, question: Question, *, error: bool = False) -> str:
    """The page title: the question, or a generic 'Question 14' on sensitive pages."""
    if journey.is_sensitive(question):
        head = translate("question_n", journey.lang, n=journey.path_position(question))
    else:
        head = piped(journey, question.text)
    title = f"{head} – {journey.title()}"
    return f"{translate('error_prefix', journey.lang)}: {title}" if error else title


def render_page(
    journey: Journey, question: Question, data: dict[str, list[str]], errors: list[AnswerError], change: bool
) -> str:
    """Render one question (or information) page; without errors its shell is kept (see fragments)."""
    back_url = _back_url(journey, question, change)
    fields = fields_html(journey, question, data, errors, _caption(journey, question))
    shell_key = (
        None
        if errors or pipes_answers(question)
        else (
            journey.q.id,
            journey.q.version,
            question.id,
            journey.lang,
            back_url,
            request.full_path,
            journey.path_position(question),
        )
    )

    def render(csrf: str, fields: Markup) -> str:
        return render_template(
            "respond/page.html",
            j=journey,
            lang=journey.lang,
            question=question,
            csrf=csrf,
            fields=fields,
            errors=error_list(errors),
            title=page_title(journey, question, error=bool(errors)),
            back_url=back_url,
            action=journey.page_url(question.id, **({"change": 1} if change else {})),
            sensitive=journey.is_sensitive(question),
            page_number=journey.page_number(question.id),
        )

    return page_html(shell_key, csrf_token(), fields, render)


def no_longer_running(questionnaire_id: str) -> WerkzeugResponse:
    """Where to go when the response stopped being in progress during this request (sent elsewhere)."""
    _journey, elsewhere = running(questionnaire_id)
    return elsewhere or redirect(url_for("respond.done", questionnaire_id=questionnaire_id))


@bp.route("/s/<questionnaire_id>/p/<int:n>", methods=["GET", "POST"])
def page(questionnaire_id: str, n: int) -> Page:
    """One question per page: show it, or check and store the answer and move on."""
    journey, elsewhere = running(questionnaire_id)
    if elsewhere is not None:
        return elsewhere
    journey.check_open(not_sent=True)
    if not 1 <= n <= len(journey.q.questions):
        abort(404)
    question = journey.q.questions[n - 1]
    if not _allowed(journey, question):
        return redirect(journey.next_url())
    change = request.args.get("change") == "1"
    if request.method == "GET":
        data = form_data_for(question, journey.answers.get(question.id), journey.answers)
        return render_page(journey, question, data, [], change)

    def keep_for_outage(data: FormData) -> None:  # if the database fails now: the answer is kept
        g.outage_page = (journey, question, data, change)

    outcome = answer_page(
        journey, question, request.form, today=today(), change=change, before_saving=keep_for_outage
    )
    if isinstance(outcome, Saved):
        return redirect(outcome.next_url)
    if isinstance(outcome, Invalid):
        return render_page(journey, question, outcome.data, outcome.errors, change)
    return no_longer_running(questionnaire_id)  # Elsewhere: sent meanwhile (another tab), nothing stored


@bp.route("/s/<questionnaire_id>/check", methods=["GET", "POST"])
def check(questionnaire_id: str) -> Page:
    """Check your answers (with change links), then send them in one atomic step."""
    journey, elsewhere = running(questionnaire_id)
    if elsewhere is not None:
        return elsewhere
    journey.check_open(not_sent=request.method == "POST")
    if journey.frontier() is not None:
        return redirect(journey.next_url())
    ending = screened_out(journey.q, journey.answers)
    if ending is not None:  # the survey is not for this resident: their answers can never be sent
        return redirect(journey.page_url(ending.id))
    for question in journey.visible():  # a stored answer the definition no longer accepts: ask again
        value = journey.answers.get(question.id)
        if question.asks and check_stored(question, value, today=today()):
            return redirect(journey.page_url(question.id, change=1))
        if value is not None and cross_checks(question, value, journey.answers, journey.lang):
            # a check across questions fails after an earlier answer was changed: ask again
            return redirect(journey.page_url(question.id, change=1))
    if request.method == "GET":
        shows_sensitive = any(journey.is_sensitive(q) and q.id in journey.answers for q in journey.visible())
        return render_template(
            "respond/check.html",
            j=journey,
            lang=journey.lang,
            sections=answer_rows(journey),
            sensitive=shows_sensitive,
        )
    assert journey.response is not None and journey.response.id is not None
    wanted = receipts.asked_for(journey)  # made now, stored with the sending, shown once on /done
    sent = repository.submit_response(
        session=get_session(),
        response_id=journey.response.id,
        answers=prune_answers(journey.q, journey.answers),
        completed_on=today(),
        duration_seconds=journeys.elapsed_seconds(questionnaire_id),
        language=journey.lang,
        receipt=wanted.stored if wanted else None,
    )
    journeys.finish(questionnaire_id)
    if sent and wanted is not None:
        handover.hand_over_receipt(questionnaire_id, wanted.code, wanted.until)
    return redirect(url_for("respond.done", questionnaire_id=questionnaire_id))


@bp.get("/s/<questionnaire_id>/done")
def done(questionnaire_id: str) -> Page:
    """The confirmation page, what happens next, and the receipt code when the resident asked for one.

    The code is shown once (a reload or the next person at the browser sees the confirmation without it).
    Shown again for a Send resent or reloaded after the answers were stored: when the reply to Send was
    lost, this browser's cookie still points at the (now sent) response, and catches up here.
    """
    journey = journeys.load(questionnaire_id, with_response=True)
    if journey.response is not None and journey.response.status == "complete":
        journeys.finish(questionnaire_id)
    elif not journeys.was_sent(questionnaire_id):
        return redirect(url_for("respond.start", questionnaire_id=questionnaire_id))
    receipt = handover.take_receipt(questionnaire_id)  # shown once (sealed in the cookie until then)

    def render() -> str:
        return render_template(
            "respond/done.html",
            j=journey,
            lang=journey.lang,
            receipt_code=receipt[0] if receipt else None,
            receipt_until=format_date(receipt[1], journey.lang) if receipt else None,
        )

    if receipt:
        return render()
    # Without a receipt code the page is the same for everyone who answered this version in this language.
    key = ("done", journey.q.id, journey.q.version, journey.lang, request.script_root, request.full_path)
    return kept_page(key, render)


@bp.get("/s/<questionnaire_id>/exit")
def exit_page(questionnaire_id: str) -> WerkzeugResponse:
    """Quick exit: end this browser's session and leave for a neutral site (works without JavaScript).

    Only a request from the service's own pages (or typed by the person) ends the session: another site
    linking or embedding this address must not be able to wipe a resident's unfinished answers.
    """
    row = repository.current_questionnaire(session=get_session(), questionnaire_id=questionnaire_id)
    target = str((row.definition.get("exit_url") if row else None) or DEFAULT_EXIT_URL)
    if not target.startswith(("https://", "http://")):
        target = DEFAULT_EXIT_URL
    response = redirect(target, code=303)
    if from_this_site():
        session.clear()
        response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response
