"""Paper, phone and assisted responses: staff key in a resident's answers through the public questions.

The pages reuse the resident journey: the engine's navigation and `check_answer`, the respond blueprint's
form building (`fields_html`), answer storing and check-your-answers rows. Only the URLs differ.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.engine import (
    AnswerError,
    check_page,
    check_stored,
    form_data_for,
    prune_answers,
)
from survey.journey.forms import error_list
from survey.journey.fragments import fields_html
from survey.journey.pages import answer_rows
from survey.journey.runner import Journey, store_answer
from survey.services.questionnaires import closing_date
from survey.staff import audit, bp
from survey.staff.auth import on_home_page, require_role
from survey.staff.dashboard import channel_names as questionnaire_channels
from survey.staff.dashboard import current_or_404, definition
from survey.staff.viewing import record_view
from survey.store import repository, repository_paper
from survey.store.db import get_session
from survey.store.models import Response
from survey.web.i18n import translate

Page = str | WerkzeugResponse | tuple[str, int]
SESSION_KEY = "staff_keying"  # a `staff_` key: forgotten on sign-out (auth.forget_staff_state)
MODES = (
    ("paper", "Paper form", "Typed in from a completed paper questionnaire"),
    ("phone", "Phone", "Asked over the phone and typed in as the resident answered"),
    ("assisted", "Assisted (in person)", "Filled in with a resident, for example at an outreach event"),
)
MODE_NAMES = {code: name for code, name, _ in MODES}


@dataclass
class KeyingJourney(Journey):
    """A journey whose pages live under /staff/paper (same questions, same checks, staff URLs)."""

    def page_url(self, qid: str, **args: Any) -> str:
        """The staff URL of a question's page."""
        return url_for("staff.paper_page", questionnaire_id=self.q.id, n=self.page_number(qid), **args)

    def next_url(self) -> str:
        """The first page still to answer, else check answers."""
        page = self.frontier()
        if page is None:
            return url_for("staff.paper_check", questionnaire_id=self.q.id)
        return self.page_url(page.id)


def _tokens() -> dict[str, str]:
    value = session.get(SESSION_KEY)
    return dict(value) if isinstance(value, dict) else {}


def _remember(questionnaire_id: str, token: str | None) -> None:
    tokens = _tokens()
    if token is None:
        tokens.pop(questionnaire_id, None)
    else:
        tokens[questionnaire_id] = token
    session[SESSION_KEY] = tokens


def _keyed_response(questionnaire_id: str) -> Response | None:
    """The unfinished keyed response this browser is working on for the questionnaire, if any."""
    token = _tokens().get(questionnaire_id)
    if not token:
        return None
    response = repository.response_by_token(session=get_session(), token=token)
    if response is None or response.status != "in_progress" or response.mode == "online":
        _remember(questionnaire_id, None)
        return None
    return response


def _journey(questionnaire_id: str) -> KeyingJourney | WerkzeugResponse:
    """The keying journey for this questionnaire, or a redirect to the start when none is running."""
    response = _keyed_response(questionnaire_id)
    if response is None:
        return redirect(url_for("staff.paper_start", questionnaire_id=questionnaire_id))
    row = repository.questionnaire_version(session=get_session(), questionnaire_id=questionnaire_id,
                                           version=response.questionnaire_version)
    if row is None:
        abort(404)
    return KeyingJourney(row=row, q=definition(row), lang=response.language, response=response,
                         answers=dict(response.answers), visited=list(response.visited))


@bp.get("/paper")
@on_home_page
@require_role("analyst")
def paper_index() -> str:
    """Paper and phone responses: key in answers from a paper form, a phone call or an assisted visit."""
    rows = repository.current_questionnaires(session=get_session())
    return render_template("staff/paper_index.html", rows=rows, saved=request.args.get("saved"))


@bp.route("/paper/<questionnaire_id>", methods=["GET", "POST"])
@require_role("analyst")
def paper_start(questionnaire_id: str) -> Page:
    """Choose the mode, channel and language, then key in a new response."""
    row, q = current_or_404(questionnaire_id)
    channels = questionnaire_channels(questionnaire_id)
    running = _keyed_response(questionnaire_id)
    values = {"mode": request.form.get("mode", ""), "channel": request.form.get("channel", ""),
              "language": request.form.get("language", q.language)}
    errors: dict[str, str] = {}
    if request.method == "POST":
        if values["mode"] not in {code for code, _, _ in MODES}:
            errors["mode"] = "Select how the answers were given"
        if values["channel"] and values["channel"] not in channels:
            errors["channel"] = "Select a channel from the list, or no channel"
        if values["language"] not in q.languages:
            errors["language"] = "Select the language the answers were given in"
        if not errors:
            response = repository.start_response(
                session=get_session(), questionnaire_id=q.id, questionnaire_version=q.version,
                started_on=today(), language=values["language"], channel=values["channel"] or None,
                mode=values["mode"],
            )
            _remember(q.id, response.token)
            journey = _journey(q.id)
            assert isinstance(journey, KeyingJourney)
            return redirect(journey.next_url())
    closes = closing_date(row, q)
    page = render_template(
        "staff/paper_start.html", row=row, q=q, modes=MODES, channels=channels, values=values,
        errors=errors, running=running, closed=closes is not None and today() > closes, closes=closes,
        saved=request.args.get("saved"),
    )
    return (page, 400) if errors else page


@bp.post("/paper/<questionnaire_id>/discard")
@require_role("analyst")
def paper_discard(questionnaire_id: str) -> WerkzeugResponse:
    """Throw away the unfinished keyed response (nothing was sent)."""
    response = _keyed_response(questionnaire_id)
    if response is not None and response.id is not None:
        repository_paper.discard_keyed_response(session=get_session(), response_id=response.id)
        audit.record("response.keying_discarded", questionnaire=questionnaire_id, mode=response.mode)
    _remember(questionnaire_id, None)
    return redirect(url_for("staff.paper_start", questionnaire_id=questionnaire_id))


def _caption(journey: KeyingJourney, qid: str) -> str:
    n, total = journey.q.section_number(qid), len(journey.q.sections)
    return translate("section_of", journey.lang, n=n, total=total)


@bp.route("/paper/<questionnaire_id>/p/<int:n>", methods=["GET", "POST"])
@require_role("analyst")
def paper_page(questionnaire_id: str, n: int) -> Page:
    """One question of the keyed response: the public page's fields, checks and branching."""
    journey = _journey(questionnaire_id)
    if not isinstance(journey, KeyingJourney):
        return journey
    if not 1 <= n <= len(journey.q.questions):
        abort(404)
    question = journey.q.questions[n - 1]
    visible = journey.visible()
    if question not in visible or (question.id not in journey.visited and question != journey.frontier()):
        return redirect(journey.next_url())
    change = request.args.get("change") == "1"
    errors: list[AnswerError] = []
    data = form_data_for(question, journey.answers.get(question.id), journey.answers)
    if request.method == "POST":
        data = {key: request.form.getlist(key) for key in request.form if key != "csrf_token"}
        entries, errors = check_page(question, request.form, journey.lang, answers=journey.answers)
        if not errors:
            # False: sent or discarded meanwhile (another tab)
            if not store_answer(journey, question, entries.get(question.id), entries):
                _remember(questionnaire_id, None)
                flash("That answer was not saved: this keyed form had already been stored or discarded, "
                      "perhaps in another tab. Start a new form to key it again.", "error")
                return redirect(url_for("staff.paper_start", questionnaire_id=questionnaire_id))
            following = None if change else journey.next_page(question.id)
            return redirect(journey.page_url(following) if following else journey.next_url())
    fields = fields_html(journey, question, data, errors, _caption(journey, question.id))
    previous = journey.previous_page(question.id)
    back = (url_for("staff.paper_check", questionnaire_id=questionnaire_id) if change
            else journey.page_url(previous) if previous
            else url_for("staff.paper_start", questionnaire_id=questionnaire_id))
    response = journey.response
    assert response is not None
    page = render_template(
        "staff/paper_page.html", j=journey, question=question, fields=fields,
        errors=error_list(errors), back_url=back, mode=MODE_NAMES.get(response.mode),
        action=journey.page_url(question.id, **({"change": 1} if change else {})), lang=journey.lang,
    )
    return (page, 400) if errors else page


@bp.route("/paper/<questionnaire_id>/check", methods=["GET", "POST"])
@require_role("analyst")
def paper_check(questionnaire_id: str) -> Page:
    """Check the keyed answers (with change links), then store the response with its mode."""
    journey = _journey(questionnaire_id)
    if not isinstance(journey, KeyingJourney):
        return journey
    if journey.frontier() is not None:
        return redirect(journey.next_url())
    for question in journey.visible():
        if question.asks and check_stored(question, journey.answers.get(question.id)):
            return redirect(journey.page_url(question.id, change=1))
    response = journey.response
    assert response is not None and response.id is not None
    if request.method == "GET":
        record_view("paper.check", questionnaire=questionnaire_id, question=None, response_ids=[response.id])
        return render_template("staff/paper_check.html", j=journey, sections=answer_rows(journey),
                               lang=journey.lang, response=response,
                               mode=MODE_NAMES.get(response.mode))
    sent = repository.submit_response(
        session=get_session(), response_id=response.id, answers=prune_answers(journey.q, journey.answers),
        completed_on=today(), duration_seconds=None, language=journey.lang,
    )
    _remember(questionnaire_id, None)
    if sent:
        audit.record("response.keyed", questionnaire=questionnaire_id, response_id=response.id,
                     mode=response.mode, channel=response.channel, version=response.questionnaire_version)
    return redirect(url_for("staff.paper_start", questionnaire_id=questionnaire_id, saved=response.id))
