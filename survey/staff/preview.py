"""Preview a questionnaire as residents see it, before publishing: nothing entered is stored anywhere.

The preview carries everything in the page (the definition, the answers so far, the page and the language
travel in hidden fields and come back with each Continue), so no draft or response is written. It uses the
resident journey's parts: the engine's navigation and `check_answer`, the same GOV.UK fields template
(`respond/_question_fields.html`, rendered here without the residents' fragment cache, which is keyed by
published id and version and must never hold a draft's words) and check-your-answers rows.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort, render_template, request
from markupsafe import Markup
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.engine import (
    AnswerError,
    Question,
    Questionnaire,
    check_answer,
    first_page,
    form_data_for,
    validate_dict,
)
from survey.journey.forms import error_list, question_fields
from survey.journey.pages import answer_rows
from survey.journey.runner import Journey
from survey.services.inputs import read_json
from survey.services.random_answers import fill_random
from survey.staff import bp
from survey.staff.auth import require_role
from survey.store import repository
from survey.store.db import get_session
from survey.store.models import QuestionnaireVersion
from survey.web.i18n import translate

Page = str | WerkzeugResponse | tuple[str, int]
TEMPLATE = "staff/preview.html"


@dataclass
class PreviewJourney(Journey):
    """A journey with no response and no URLs of its own: every step is a form post."""

    def page_url(self, qid: str, **args: Any) -> str:
        """Pages are reached with the jump list, not links."""
        return "#jump"


def _fields(
    journey: PreviewJourney, question: Question, data: dict[str, list[str]], errors: list[AnswerError]
) -> Markup:
    caption = translate(
        "section_of", journey.lang, n=journey.q.section_number(question.id), total=len(journey.q.sections)
    )
    kind, params = question_fields(journey, question, data, errors, caption)
    return Markup(
        render_template(
            "respond/_question_fields.html",
            j=journey,
            lang=journey.lang,
            question=question,
            kind=kind,
            params=params,
        )
    )


def _render(
    journey: PreviewJourney,
    definition: dict[str, Any],
    page: str | None,
    *,
    draft: bool,
    errors: list[AnswerError] | None = None,
    data: dict[str, list[str]] | None = None,
) -> Page:
    errors = errors or []
    question = journey.q.question(page) if page else None
    fields = None
    if question is not None:
        fields = _fields(
            journey, question, data or form_data_for(question, journey.answers.get(question.id)), errors
        )
    sections = answer_rows(journey) if question is None else []
    for section in sections:
        for row in section["rows"]:
            row.pop("actions", None)
    page_html = render_template(
        TEMPLATE,
        j=journey,
        q=journey.q,
        question=question,
        fields=fields,
        errors=error_list(errors),
        definition_json=json.dumps(definition, ensure_ascii=False),
        answers_json=json.dumps(journey.answers),
        filename=request.form.get("filename", ""),
        draft=draft,
        draft_id=request.form.get("draft_id", ""),
        visible=journey.visible(),
        sections=sections,
        lang=journey.lang,
    )
    return (page_html, 400) if errors else page_html


def _journey(q: Questionnaire, answers: dict[str, Any], lang: str) -> PreviewJourney:
    row = QuestionnaireVersion(
        questionnaire_id=q.id,
        version=q.version,
        title="",
        definition={},
        loaded_on=date.min,
        is_current=False,
    )
    journey = PreviewJourney(row=row, q=q, lang=lang if lang in q.languages else q.language)
    journey.set_answers(answers)
    return journey


@bp.get("/questionnaires/<questionnaire_id>/preview")
@require_role("admin", "analyst")
def preview_version(questionnaire_id: str) -> Page:
    """Preview the current (or ?version=) published version from its first page."""
    session = get_session()
    version = request.args.get("version")
    row = (
        repository.questionnaire_version(session=session, questionnaire_id=questionnaire_id, version=version)
        if version
        else repository.current_questionnaire(session=session, questionnaire_id=questionnaire_id)
    )
    if row is None:
        abort(404)
    q = validate_dict(row.definition, paths=False).questionnaire
    if q is None:
        abort(404)
    journey = _journey(q, {}, q.language)
    return _render(journey, row.definition, first_page(q, {}), draft=False)


def _loaded(name: str) -> Any:
    try:
        return read_json(request.form.get(name, ""))
    except ValueError:  # JsonInputError too: too deep, a huge number, not JSON
        return None


def _step(
    journey: PreviewJourney, action: str, page: str | None
) -> tuple[str | None, list[AnswerError], Any]:
    """Carry out one button of the preview: (the page to show, errors, the form data to show again)."""
    q = journey.q
    current = q.question(page) if page and q.has_question(page) else None
    if action == "continue" and current is not None:
        value, errors = check_answer(current, request.form, journey.lang, today=today())
        if errors:
            return current.id, list(errors), {k: request.form.getlist(k) for k in request.form}
        answers = {k: v for k, v in journey.answers.items() if k != current.id}
        if value is not None:
            answers[current.id] = value
        journey.set_answers(answers)
        return journey.next_page(current.id), [], None
    if action == "back" and current is not None:
        return journey.previous_page(current.id) or current.id, [], None
    if action.startswith("jump:") and action[5:] in {x.id for x in journey.visible()}:
        return action[5:], [], None
    if action == "random":
        journey.set_answers(fill_random(q, journey.answers, random.Random()))
        return None, [], None
    if action == "restart":
        journey.set_answers({})
        return first_page(q, {}), [], None
    return (current.id if current else first_page(q, journey.answers)), [], None


@bp.post("/questionnaires/preview")
@require_role("admin", "analyst")
def preview() -> Page:
    """One step of a preview: Continue, Back, jump to a page, a language, random answers, start again."""
    definition = _loaded("definition")
    answers = _loaded("answers")
    if not isinstance(definition, dict) or not isinstance(answers, dict):
        abort(400)
    q = validate_dict(definition, paths=False).questionnaire
    if q is None:
        abort(400)
    journey = _journey(q, answers, request.form.get("lang", q.language))
    page, errors, data = _step(journey, request.form.get("action", ""), request.form.get("page"))
    return _render(
        journey, definition, page, draft=request.form.get("draft") == "1", errors=errors, data=data
    )
