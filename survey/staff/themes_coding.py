"""Hand coding: analysts tick the themes of each answer; the service learns from them and suggests the rest.

Codes are stored per questionnaire, question and response (`manual_codes`); answers are shown redacted.
"Suggest tags for the rest" runs analysis.text.learn_from_coding and shows its cross-validated agreement.
The coding page's per-theme progress estimate is worked out by a background job
(survey.services.coding_progress): the page shows the answers at once and the estimate when it is ready.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import flash, make_response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from analysis.text import Codebook, redact, tag_answers
from analysis.text.active import TARGET_AGREEMENT
from survey.engine import Questionnaire
from survey.services import coding_progress
from survey.services import themes as theme_rules
from survey.services.inputs import whole_number
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import require_role
from survey.staff.themes_common import answers_to, codebook_in_use, staff_name, text_question_or_404
from survey.staff.viewing import record_view
from survey.store import repository_themes as repo
from survey.store.db import get_session

Page = str | WerkzeugResponse | tuple[str, int]
PAGE_SIZE = 20
SHOWS = ("all", "uncoded", "next")
REFRESH_SECONDS = 5  # while the progress estimate is worked out, the page (with JavaScript) checks again


def _page_number(pages: int) -> int:
    number = whole_number(request.values.get("page", "1"), low=1, high=999_999) or 1
    return min(max(number, 1), max(pages, 1))


def _rows(
    answers: Sequence[tuple[int, str]],
    codebook: Codebook,
    ticked: Mapping[int, Sequence[str]],
    coded: Mapping[int, Sequence[str]],
    confidence: Mapping[int, Mapping[str, float]] | None = None,
) -> list[dict[str, Any]]:
    """What the coding form shows per answer: redacted text, ticked themes, the codebook's own tags."""
    tagged = {t.response_id: t for t in tag_answers(list(answers), codebook)}
    return [
        {
            "id": rid,
            "text": redact(text),
            "ticked": list(ticked.get(rid, ())),
            "none": rid in ticked and not ticked[rid],
            "coded": rid in coded,
            "codebook": [m.theme_id for m in tagged[rid].themes],
            "confidence": (confidence or {}).get(rid, {}),
        }
        for rid, text in answers
    ]


def _labels(codebook: Codebook) -> dict[str, str]:
    return {t.id: t.label for t in codebook.themes}


@bp.route("/themes/<questionnaire_id>/<question_id>/coding", methods=["GET", "POST"])
@require_role("analyst")
def themes_coding(questionnaire_id: str, question_id: str) -> Page:
    """Code answers to a free-text question by hand, a page at a time."""
    _row, q, question = text_question_or_404(questionnaire_id, question_id)
    in_use = codebook_in_use(q.id)
    answers = answers_to(q, question_id)
    db = get_session()
    coded = repo.manual_codes(session=db, questionnaire_id=q.id, question_id=question_id)
    errors: dict[str, str] = {}
    ticked: dict[int, list[str]] = dict(coded)
    if request.method == "POST":
        result = _save(q, question_id, answers, coded, in_use.codebook)
        if isinstance(result, WerkzeugResponse):
            return result
        errors, submitted = result
        ticked.update(submitted)
    show = request.values.get("show", "all")
    show = show if show in SHOWS else "all"
    known = {rid for rid, _ in answers}
    known_codes = {r: t for r, t in coded.items() if r in known}
    target = _target()
    state = theme_rules.coding_state(answers, known_codes, in_use.codebook, n=PAGE_SIZE, target=target)
    estimate = coding_progress.estimate(
        session=db,
        questionnaire_id=q.id,
        question_id=question_id,
        answers=answers,
        codes=known_codes,
        codebook=in_use.codebook,
    )
    if show == "next":
        by_id = dict(answers)
        listed = [(int(t.response_id), by_id[int(t.response_id)]) for t in state.next_up]
    else:
        listed = [a for a in answers if a[0] not in coded] if show == "uncoded" else answers
    pages = -(-len(listed) // PAGE_SIZE)
    page = _page_number(pages)
    shown = listed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    record_view("themes.coding", questionnaire=q.id, question=question_id, response_ids=[a[0] for a in shown])
    refresh = estimate.waiting and request.values.get("refresh") != "off"
    page_html = render_template(
        "staff/themes_coding.html",
        q=q,
        question=question,
        in_use=in_use,
        labels=_labels(in_use.codebook),
        rows=_rows(shown, in_use.codebook, ticked, coded),
        page=page,
        pages=pages,
        show=show,
        total=len(answers),
        coded=len([a for a in answers if a[0] in coded]),
        errors=errors,
        mode="coding",
        state=state,
        estimate=estimate,
        progress=theme_rules.progress(estimate.agreement, target) if estimate.agreement else (),
        earlier=theme_rules.progress(estimate.earlier, target) if estimate.earlier else (),
        refresh=REFRESH_SECONDS if refresh else None,
        why={t.response_id: t for t in state.next_up},
    )
    response = make_response(page_html, 400 if errors else 200)
    if estimate.waiting:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/themes/<questionnaire_id>/<question_id>/coding/progress")
@require_role("analyst")
def themes_coding_progress(questionnaire_id: str, question_id: str) -> WerkzeugResponse:
    """Try again: queue once more the progress estimate whose job failed, then back to the coding page."""
    _row, q, _question = text_question_or_404(questionnaire_id, question_id)
    in_use = codebook_in_use(q.id)
    answers = answers_to(q, question_id)
    db = get_session()
    known = {rid for rid, _ in answers}
    coded = repo.manual_codes(session=db, questionnaire_id=q.id, question_id=question_id)
    coding_progress.estimate(
        session=db,
        questionnaire_id=q.id,
        question_id=question_id,
        answers=answers,
        codes={r: t for r, t in coded.items() if r in known},
        codebook=in_use.codebook,
        retry=True,
    )
    show = request.form.get("show", "all")
    return redirect(
        url_for(
            "staff.themes_coding",
            questionnaire_id=q.id,
            question_id=question_id,
            show=show if show in SHOWS else "all",
            _anchor="progress",
        ),
        303,
    )


def _target() -> float:
    """The target agreement (?target=0.9), between 0.5 and 1; the default 0.8 for anything else."""
    raw = request.values.get("target", "")
    try:
        value = float(raw) if raw and len(raw) < 8 else TARGET_AGREEMENT
    except ValueError:
        value = TARGET_AGREEMENT
    return value if 0.5 <= value <= 1 else TARGET_AGREEMENT


def _save(
    q: Questionnaire,
    question_id: str,
    answers: Sequence[tuple[int, str]],
    coded: Mapping[int, Sequence[str]],
    codebook: Codebook,
) -> WerkzeugResponse | tuple[dict[str, str], dict[int, list[str]]]:
    """Store the page's codes; a redirect when saved, else (errors, what was ticked) to show again."""
    known_answers = {rid for rid, _ in answers}
    allowed = set(codebook.theme_ids) | {t for themes in coded.values() for t in themes}
    errors: dict[str, str] = {}
    submitted: dict[int, list[str]] = {}
    changes: dict[int, list[str] | None] = {}
    shown = request.form.getlist("shown")
    if not shown:
        errors["coding"] = gettext("There were no answers on the page to save")
    for raw in shown:
        rid = whole_number(raw)
        if rid is None or rid not in known_answers:
            errors["coding"] = gettext(
                "%(raw)s is not an answer to this question: nothing was saved", raw=repr(raw[:20])
            )
            continue
        themes = list(dict.fromkeys(request.form.getlist(f"code-{rid}")))
        unknown = [t for t in themes if t not in allowed]
        none = request.form.get(f"none-{rid}") == "1"
        submitted[rid] = themes
        if unknown:
            errors[f"answer-{rid}"] = gettext(
                "Answer %(rid)s: %(unknown)s is not a codebook theme",
                rid=rid,
                unknown=", ".join(unknown)[:80],
            )
        elif themes and none:
            errors[f"answer-{rid}"] = gettext(
                "Answer %(rid)s: you ticked a theme and also ‘No theme applies’: untick one of them", rid=rid
            )
        changes[rid] = themes if themes or none else None
    if errors:
        return errors, submitted
    changed = repo.set_manual_codes(
        session=get_session(),
        questionnaire_id=q.id,
        question_id=question_id,
        codes=changes,
        coded_by=staff_name(),
    )
    audit.record(
        "themes.coding", questionnaire=q.id, question=question_id, answers=len(changes), changed=changed
    )
    flash(
        gettext(
            "Saved the codes of %(answers)s answers (%(changed)s changed).",
            answers=len(changes),
            changed=changed,
        ),
        "success",
    )
    back = request.form.get("back")
    endpoint = "staff.themes_coding_suggestions" if back == "suggestions" else "staff.themes_coding"
    return redirect(
        url_for(
            endpoint,
            questionnaire_id=q.id,
            question_id=question_id,
            page=request.form.get("page", "1"),
            show=request.form.get("show", "all"),
        )
    )


@bp.get("/themes/<questionnaire_id>/<question_id>/coding/suggestions")
@require_role("analyst")
def themes_coding_suggestions(questionnaire_id: str, question_id: str) -> Page:
    """Suggested tags for the answers not coded yet, learned from the hand coding, with the agreement."""
    _row, q, question = text_question_or_404(questionnaire_id, question_id)
    in_use = codebook_in_use(q.id)
    answers = answers_to(q, question_id)
    coded = repo.manual_codes(session=get_session(), questionnaire_id=q.id, question_id=question_id)
    known = {a[0] for a in answers}
    coded = {rid: themes for rid, themes in coded.items() if rid in known}
    context: dict[str, Any] = {
        "q": q,
        "question": question,
        "in_use": in_use,
        "labels": _labels(in_use.codebook),
        "total": len(answers),
        "coded": len(coded),
        "mode": "suggestions",
        "errors": {},
        "show": "all",
    }
    if not coded:
        return render_template(
            "staff/themes_coding.html",
            **context,
            rows=[],
            page=1,
            pages=0,
            agreement=None,
            nothing_coded=True,
        )
    stored = coding_progress.ready(  # the coding page's estimate, when its job has made it
        session=get_session(),
        questionnaire_id=q.id,
        question_id=question_id,
        answers=answers,
        codes=coded,
        codebook=in_use.codebook,
    )
    learned = theme_rules.coding_suggestions(list(answers), coded, in_use.codebook, agreement=stored)
    suggestions = list(learned.suggestions)
    pages = -(-len(suggestions) // PAGE_SIZE)
    page = _page_number(pages)
    shown = suggestions[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ticked = {int(s.response_id): list(s.theme_ids) for s in shown}
    confidence = {int(s.response_id): {m.theme_id: m.confidence for m in s.themes} for s in shown}
    rows = _rows([(int(s.response_id), s.text) for s in shown], in_use.codebook, ticked, {}, confidence)
    record_view(
        "themes.coding.suggestions",
        questionnaire=q.id,
        question=question_id,
        response_ids=[int(s.response_id) for s in shown],
    )
    return render_template(
        "staff/themes_coding.html",
        **context,
        rows=rows,
        page=page,
        pages=pages,
        agreement=learned.agreement,
        nothing_coded=False,
    )
