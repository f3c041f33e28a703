"""Paper, phone and assisted responses: staff key in a resident's answers through the public questions.

The pages reuse the resident journey: the engine's navigation and `check_answer`, the respond blueprint's
form building (`fields_html`), answer storing and check-your-answers rows. Only the URLs differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import abort, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.engine import (
    AnswerError,
    check_stored,
    form_data_for,
    prune_answers,
)
from survey.journey.answering import Elsewhere, Invalid, Saved, answer_page
from survey.journey.forms import error_list
from survey.journey.fragments import fields_html
from survey.journey.pages import answer_rows
from survey.journey.runner import Journey
from survey.services import paper_entry
from survey.services.questionnaires import closing_date
from survey.services.words import gettext, ngettext
from survey.staff import audit, bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.staff.dashboard import channel_names as questionnaire_channels
from survey.staff.dashboard import current_or_404, definition
from survey.staff.form_fields import add_error
from survey.staff.paper_forms import MODES, PaperStartForm, start_form
from survey.staff.viewing import record_view
from survey.store import repository, repository_paper
from survey.store.db import get_session
from survey.store.models import Response
from survey.store.models_paper import PaperForm, PaperSecondEntry
from survey.store.models_staff import utcnow
from survey.web.i18n import LANGUAGE_NAMES, translate

Page = str | WerkzeugResponse | tuple[str, int]
SESSION_KEY = "staff_keying"  # a `staff_` key: forgotten on sign-out (auth.forget_staff_state)
FORM_KEY = "staff_keying_form"  # the batch, form number, received date, entry and marks being keyed
LAST_KEY = "staff_keying_last"  # mode, channel, language, batch and received date of the last form started
MODE_NAMES = {code: name for code, name, _ in MODES}


@dataclass
class KeyingJourney(Journey):
    """A journey whose pages live under /staff/paper (same questions, same checks, staff URLs).

    `marks` holds the questions marked "blank" or "multiple" on a paper form: they count as done.
    """

    marks: dict[str, Any] = field(default_factory=dict)  # "blank" | "multiple", or {item: mark} (rating)

    def frontier(self) -> Any:
        """The first visible page not yet answered, seen or marked (None: ready to check answers)."""
        for question in self.visible():
            if question.id not in self.visited:
                return question
            if (
                question.asks
                and question.required
                and question.id not in self.answers
                and question.id not in self.marks
            ):
                return question
        return None

    def page_url(self, qid: str, **args: Any) -> str:
        """The staff URL of a question's page."""
        return url_for("staff.paper_page", questionnaire_id=self.q.id, n=self.page_number(qid), **args)

    def after_answer(self, current: str, change: bool) -> str:
        """The next page, or (when changing an answer, or at the end) the first still to answer or check."""
        following = None if change else self.next_page(current)
        return self.page_url(following) if following else self.next_url()

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
        _set_form(questionnaire_id, None)
    else:
        tokens[questionnaire_id] = token
    session[SESSION_KEY] = tokens


def _form(questionnaire_id: str) -> dict[str, Any]:
    """What is known of the paper form being keyed (empty for phone and assisted responses)."""
    forms = session.get(FORM_KEY)
    found = forms.get(questionnaire_id) if isinstance(forms, dict) else None
    return dict(found) if isinstance(found, dict) else {}


def _set_form(questionnaire_id: str, value: dict[str, Any] | None) -> None:
    forms = dict(session.get(FORM_KEY) or {})
    if value is None:
        forms.pop(questionnaire_id, None)
    else:
        forms[questionnaire_id] = value
    session[FORM_KEY] = forms


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
    row = repository.questionnaire_version(
        session=get_session(), questionnaire_id=questionnaire_id, version=response.questionnaire_version
    )
    if row is None:
        abort(404)
    marks = _form(questionnaire_id).get("marks") or {}
    return KeyingJourney(
        row=row,
        q=definition(row),
        lang=response.language,
        response=response,
        answers=dict(response.answers),
        visited=list(response.visited),
        marks=dict(marks),
    )


@bp.get("/paper")
@on_home_page
@require_role("analyst")
def paper_index() -> str:
    """Paper and phone responses: key in answers from a paper form, a phone call or an assisted visit."""
    db = get_session()
    rows = repository.current_questionnaires(session=db)
    counts = {
        row.questionnaire_id: repository_paper.paper_counts(session=db, questionnaire_id=row.questionnaire_id)
        for row in rows
    }
    return render_template(
        "staff/paper_index.html", rows=rows, saved=request.args.get("saved"), counts=counts
    )


def _check_batch(questionnaire_id: str, form: PaperStartForm) -> dict[str, Any] | None:
    """A paper form's batch, number, received date and entry, checked against those keyed already (None,
    with the message on its field, when refused, or when it is not a paper form)."""
    if form.mode.data != "paper" or form.received.data is None:
        return None
    batch, number, entry = form.batch.data, form.form_number.data, form.entry.data
    first = repository_paper.paper_form(
        session=get_session(), questionnaire_id=questionnaire_id, batch=batch, form_number=number
    )
    where = gettext("Form %(number)s of batch %(batch)s", number=number, batch=batch)
    if entry == "first" and first is not None:
        add_error(
            form.form_number,
            gettext("%(where)s has already been keyed: choose second entry to check it", where=where),
        )
    elif entry == "second" and first is None:
        add_error(
            form.form_number, gettext("%(where)s has not been keyed yet: key its first entry", where=where)
        )
    elif (
        entry == "second"
        and first is not None
        and (
            first.verified_at is not None
            or repository_paper.open_second_entry(session=get_session(), response_id=first.response_id)
        )
    ):
        add_error(form.form_number, gettext("%(where)s already has a second entry", where=where))
    me = current_staff()
    if entry == "second" and first is not None and me is not None and not form.errors:
        own = paper_entry.second_person_problem(
            first.keyed_by,
            me.email,
            admin=me.role == "admin",
            reason=form.override_reason.data,
            doing="second",
        )
        if own:
            add_error(form.override_reason if me.role == "admin" else form.entry, own)
    if form.errors:
        return None
    return {
        "batch": batch,
        "form_number": number,
        "received": form.received.data.isoformat(),
        "entry": entry,
        "first_id": first.response_id if first else None,
        "marks": {},
        **(
            {"own_reason": form.override_reason.data}
            if first is not None and me is not None and paper_entry.same_person(first.keyed_by, me.email)
            else {}
        ),
    }


@bp.route("/paper/<questionnaire_id>", methods=["GET", "POST"])
@require_role("analyst")
def paper_start(questionnaire_id: str) -> Page:
    """Choose the mode, channel and language, then key in a new response."""
    row, q = current_or_404(questionnaire_id)
    channels = questionnaire_channels(questionnaire_id)
    running = _keyed_response(questionnaire_id)
    languages = {code: LANGUAGE_NAMES.get(code, code) for code in q.languages}
    sent = request.method == "POST"
    last = {} if sent else _last(questionnaire_id)
    defaults: dict[str, Any] = {"channel": "", "language": q.language, "entry": "first"}
    if not sent:
        defaults.update({k: last[k] for k in ("mode", "channel", "language", "batch") if last.get(k)})
        defaults["received"] = _last_received(last) or today()
    form = start_form(channels, languages, defaults, sent=sent)
    if sent and form.validate_on_submit():
        paper = _check_batch(q.id, form)
        if not form.errors:
            response = repository.start_response(
                session=get_session(),
                questionnaire_id=q.id,
                questionnaire_version=q.version,
                started_on=today(),
                language=form.language.data,
                channel=form.channel.data or None,
                mode=form.mode.data,
            )
            _remember(q.id, response.token)
            _set_form(q.id, paper)
            _set_last(q.id, form, paper)
            journey = _journey(q.id)
            assert isinstance(journey, KeyingJourney)
            return redirect(journey.next_url())
    closes = closing_date(row, q)
    page = render_template(
        "staff/paper_start.html",
        row=row,
        q=q,
        modes=MODES,
        form=form,
        running=running,
        closed=closes is not None and today() > closes,
        closes=closes,
        saved=request.args.get("saved"),
        awaiting=len(repository_paper.awaiting_second_entry(session=get_session(), questionnaire_id=q.id)),
        counts=repository_paper.paper_counts(session=get_session(), questionnaire_id=q.id),
        second=request.args.get("second"),
    )
    return (page, 400) if form.errors else page


def _last(questionnaire_id: str) -> dict[str, str]:
    """What the last form started for this questionnaire in this browser was keyed with (to key the next)."""
    found = (session.get(LAST_KEY) or {}).get(questionnaire_id)
    return {k: str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _last_received(last: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(last["received"]) if last.get("received") else None
    except ValueError:
        return None


def _set_last(questionnaire_id: str, form: PaperStartForm, paper: dict[str, Any] | None) -> None:
    """Remember mode, channel, language, batch and received date for the next form of the batch."""
    kept = {k: str(getattr(form, k).data or "") for k in ("mode", "channel", "language")}
    if paper:
        kept.update(batch=paper["batch"], received=paper["received"])
    remembered = dict(session.get(LAST_KEY) or {})
    remembered[questionnaire_id] = kept
    session[LAST_KEY] = remembered


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
    marks_offered = bool(_form(questionnaire_id))
    marks = paper_entry.marks_for(question) if marks_offered else {}
    item_marked = dict(m) if isinstance(m := journey.marks.get(question.id), dict) else {}
    if request.method == "POST":
        outcome = answer_page(
            journey,
            question,
            request.form,
            today=today(),
            change=change,
            marks=journey.marks if marks_offered else None,
        )
        if isinstance(outcome, Saved):
            _mark(questionnaire_id, question.id, outcome.mark)
            return redirect(outcome.next_url)
        if isinstance(outcome, Elsewhere):  # sent or discarded meanwhile (another tab)
            _remember(questionnaire_id, None)
            flash(  # an answer or a mark alike: neither is kept
                gettext(
                    "That answer was not saved: this keyed form had already been stored or discarded, "
                    "perhaps in another tab. Start a new form to key it again."
                ),
                "error",
            )
            return redirect(url_for("staff.paper_start", questionnaire_id=questionnaire_id))
        assert isinstance(outcome, Invalid)
        errors, data = outcome.errors, outcome.data
        item_marked = dict(outcome.mark) if isinstance(outcome.mark, dict) else {}
    fields = fields_html(journey, question, data, errors, _caption(journey, question.id))
    previous = journey.previous_page(question.id)
    back = (
        url_for("staff.paper_check", questionnaire_id=questionnaire_id)
        if change
        else journey.page_url(previous)
        if previous
        else url_for("staff.paper_start", questionnaire_id=questionnaire_id)
    )
    response = journey.response
    assert response is not None
    page = render_template(
        "staff/paper_page.html",
        j=journey,
        question=question,
        fields=fields,
        errors=error_list(errors),
        back_url=back,
        mode=MODE_NAMES.get(response.mode),
        action=journey.page_url(question.id, **({"change": 1} if change else {})),
        lang=journey.lang,
        marks=marks,
        marked=journey.marks.get(question.id),
        item_marks=paper_entry.item_marks_for(question) if marks_offered else {},
        item_marked=item_marked,
        paper=_form(questionnaire_id),
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
        if (
            question.asks
            and question.id not in journey.marks
            and check_stored(question, journey.answers.get(question.id), today=today())
        ):
            return redirect(journey.page_url(question.id, change=1))
    response = journey.response
    assert response is not None and response.id is not None
    paper = _form(questionnaire_id)
    if request.method == "GET":
        record_view("paper.check", questionnaire=questionnaire_id, question=None, response_ids=[response.id])
        return render_template(
            "staff/paper_check.html",
            j=journey,
            sections=_rows_with_marks(journey),
            lang=journey.lang,
            response=response,
            mode=MODE_NAMES.get(response.mode),
            paper=paper,
        )
    if paper.get("entry") == "second":
        return _store_second_entry(journey, response, paper)
    sent = repository.submit_response(
        session=get_session(),
        response_id=response.id,
        answers=prune_answers(journey.q, journey.answers),
        completed_on=today(),
        duration_seconds=None,
        language=journey.lang,
    )
    _remember(questionnaire_id, None)
    if sent and paper:
        me = current_staff()
        repository_paper.add_paper_form(
            session=get_session(),
            row=PaperForm(
                response_id=response.id,
                questionnaire_id=questionnaire_id,
                batch=paper["batch"],
                form_number=paper["form_number"],
                received_on=date.fromisoformat(paper["received"]),
                marks=_visible_marks(journey),
                keyed_by=me.email if me else "unknown",
                keyed_at=utcnow(),
            ),
        )
    if sent:
        audit.record(
            "response.keyed",
            questionnaire=questionnaire_id,
            response_id=response.id,
            mode=response.mode,
            channel=response.channel,
            version=response.questionnaire_version,
            **({"batch": paper["batch"], "form": paper["form_number"]} if paper else {}),
        )
    return redirect(url_for("staff.paper_start", questionnaire_id=questionnaire_id, saved=response.id))


def _mark(questionnaire_id: str, question_id: str, mark: str | dict[str, str] | None) -> None:
    """Remember (or forget) a paper form's mark on one question in this browser's keying draft."""
    paper = _form(questionnaire_id)
    if not paper:
        return
    marks = dict(paper.get("marks") or {})
    if mark is None:
        marks.pop(question_id, None)
    else:
        marks[question_id] = mark
    paper["marks"] = marks
    _set_form(questionnaire_id, paper)


def _rows_with_marks(journey: KeyingJourney) -> list[dict[str, Any]]:
    """Check-your-answers rows, a marked question showing its mark instead of "Not answered"."""
    sections = answer_rows(journey)
    for question in journey.visible():
        mark = journey.marks.get(question.id)
        if not mark:
            continue
        href = journey.page_url(question.id, change=1)
        text = paper_entry.shown(journey.q, question, journey.answers.get(question.id), mark)
        for section in sections:
            for row in section["rows"]:
                if row["actions"]["items"][0]["href"] == href:
                    row["value"] = {"text": text}
    return sections


def _store_second_entry(
    journey: KeyingJourney, response: Response, paper: dict[str, Any]
) -> WerkzeugResponse:
    """Keep a blind second entry apart from the responses, compare it with the first, list differences."""
    db = get_session()
    qid = journey.q.id
    first_id = int(paper["first_id"])
    found = repository_paper.response_of_form(session=db, response_id=first_id)
    me = current_staff()
    answers = prune_answers(journey.q, journey.answers)
    marks = _visible_marks(journey)
    entry = PaperSecondEntry(
        response_id=first_id,
        answers=answers,
        marks=marks,
        keyed_by=me.email if me else "unknown",
        keyed_at=utcnow(),
    )
    assert response.id is not None
    repository_paper.add_second_entry(session=db, entry=entry, discard_response_id=response.id)
    _remember(qid, None)
    form = repository_paper.paper_form(
        session=db, questionnaire_id=qid, batch=paper["batch"], form_number=paper["form_number"]
    )
    assert form is not None and found is not None
    diffs = paper_entry.differences(journey.q, (dict(found.answers), dict(form.marks)), (answers, marks))
    if not diffs:
        repository_paper.resolve(
            session=db,
            entry=entry,
            form=form,
            response=found,
            answers=dict(found.answers),
            marks=dict(form.marks),
            by=me.email if me else "unknown",
            now=utcnow(),
        )
    audit.record(
        "paper.second_entry",
        questionnaire=qid,
        response_id=first_id,
        batch=paper["batch"],
        form=paper["form_number"],
        differences=len(diffs),
        **({"own_keying_reason": paper["own_reason"]} if paper.get("own_reason") else {}),
    )
    if diffs:
        saved = ngettext(
            "Second entry saved: %(num)s difference from the first entry to resolve",
            "Second entry saved: %(num)s differences from the first entry to resolve",
            len(diffs),
        )
        flash(saved, "success")
        return redirect(url_for("staff.paper_differences", questionnaire_id=qid, entry_id=entry.id))
    flash(gettext("Second entry saved: it matches the first entry, so the form is verified"), "success")
    return redirect(url_for("staff.paper_start", questionnaire_id=qid))


def _visible_marks(journey: KeyingJourney) -> dict[str, Any]:
    """The marks of questions still shown with the answers given (a changed branch drops the others)."""
    visible = {question.id for question in journey.visible()}
    return {
        qid: mark
        for qid, mark in journey.marks.items()
        if qid in visible and (isinstance(mark, dict) or qid not in journey.answers)
    }
