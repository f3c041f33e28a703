"""Moderation: quality flags, excluding a response from every report and export with a reason, restoring it.

The rules (flags, the report's note) are in survey.services.moderation; the exclusion rows and the report
queries that leave them out are in survey.store (repository_moderation, repository.responses_for_report).
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services.inputs import whole_number
from survey.services.moderation import flag_names, quality_flags
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import current_staff, on_home_page, require_role
from survey.staff.dashboard import current_or_404
from survey.staff.forms import ExcludeForm
from survey.staff.viewing import record_view
from survey.store import repository, repository_moderation
from survey.store.db import get_session
from survey.store.models_moderation import EXCLUSION_REASONS
from survey.store.models_staff import utcnow

Page = str | WerkzeugResponse | tuple[str, int]


@bp.get("/moderation")
@on_home_page
@require_role("analyst")
def moderation_index() -> str:
    """Moderation: quality flags, and responses left out of reports and exports."""
    rows = repository.current_questionnaires(session=get_session())
    return render_template("staff/moderation_index.html", rows=rows)


@bp.get("/moderation/<questionnaire_id>")
@require_role("analyst")
def moderation(questionnaire_id: str) -> Page:
    """One questionnaire's flagged responses and its exclusions."""
    row, q = current_or_404(questionnaire_id)
    db = get_session()
    wanted = request.args.get("response", "").strip()
    error = None
    if wanted:
        number = whole_number(wanted)
        if number is not None and repository_moderation.response_of(
            session=db, questionnaire_id=q.id, response_id=number
        ):
            return redirect(url_for("staff.exclude_response", questionnaire_id=q.id, response_id=number))
        error = gettext(
            "There is no response %(wanted)s to this questionnaire: enter the number of a response",
            wanted=wanted[:20],
        )
    responses = repository.responses_for_report(session=db, questionnaire_id=q.id)
    flagged = quality_flags(responses, q)
    page = render_template(
        "staff/moderation.html",
        row=row,
        q=q,
        flagged=flagged,
        flag_names=flag_names(),
        exclusions=repository_moderation.exclusions(session=db, questionnaire_id=q.id),
        reasons={code: gettext(label) for code, label in EXCLUSION_REASONS.items()},
        errors={"response": error} if error else {},
        wanted=wanted,
        complete=sum(r["status"] == "complete" for r in responses),
    )
    return (page, 400) if error else page


@bp.route("/moderation/<questionnaire_id>/responses/<int:response_id>", methods=["GET", "POST"])
@require_role("analyst")
def exclude_response(questionnaire_id: str, response_id: int) -> Page:
    """One response: its answers and flags; leave it out of reports with a reason, or restore it."""
    row, q = current_or_404(questionnaire_id)
    db = get_session()
    response = repository_moderation.response_of(session=db, questionnaire_id=q.id, response_id=response_id)
    if response is None:
        abort(404)
    excluded = repository_moderation.exclusion_of(session=db, response_id=response_id)
    form = ExcludeForm()
    if excluded is None and form.validate_on_submit():
        me = current_staff()
        note = (form.note.data or "").strip()
        stored = repository_moderation.exclude(
            session=db,
            row=repository_moderation.stamp(
                response_id=response_id,
                questionnaire_id=q.id,
                reason=form.reason.data,
                note=note,
                by=me.email if me else "unknown",
                now=utcnow(),
            ),
        )
        if stored:
            audit.record(
                "response.excluded",
                questionnaire=q.id,
                response_id=response_id,
                reason=form.reason.data,
                note=note,
            )
        flash(gettext("Response %(id)s is left out of reports and exports", id=response_id), "success")
        return redirect(url_for("staff.moderation", questionnaire_id=q.id))
    flags = [
        f
        for f in quality_flags(repository.responses_for_report(session=db, questionnaire_id=q.id), q)
        if f.response_id == response_id
    ]
    answers = [
        (question, response.answers.get(question.id))
        for question in q.questions
        if question.asks and question.id in response.answers
    ]
    record_view("moderation.response", questionnaire=q.id, question=None, response_ids=[response_id])
    page = render_template(
        "staff/moderation_response.html",
        row=row,
        q=q,
        response=response,
        form=form,
        excluded=excluded,
        reasons={code: gettext(label) for code, label in EXCLUSION_REASONS.items()},
        flags=flags[0].flags if flags else (),
        flag_names=flag_names(),
        answers=answers,
    )
    return (page, 400) if form.errors else page


@bp.post("/moderation/<questionnaire_id>/responses/<int:response_id>/restore")
@require_role("analyst")
def restore_response(questionnaire_id: str, response_id: int) -> Page:
    """Count an excluded response again in reports and exports."""
    _row, q = current_or_404(questionnaire_id)
    lifted = repository_moderation.restore(session=get_session(), response_id=response_id)
    if lifted is not None and lifted.questionnaire_id == q.id:
        audit.record("response.restored", questionnaire=q.id, response_id=response_id, reason=lifted.reason)
        flash(gettext("Response %(id)s counts again in reports and exports", id=response_id), "success")
    return redirect(url_for("staff.moderation", questionnaire_id=q.id))
