"""Double entry of paper forms: the forms whose two entries differ, and resolving each difference.

A second person keys a form blind (survey/staff/paper.py, "second entry"); when the entries agree the form
is verified at once, otherwise it waits here until someone chooses, question by question, which entry
the form really says, or enters what it says when both are wrong (survey/staff/paper_enter.py). The first
entry's response then holds the chosen answers.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.services import paper_entry
from survey.services.words import gettext
from survey.staff import audit, bp
from survey.staff.auth import current_staff, require_role
from survey.staff.dashboard import current_or_404
from survey.staff.form_fields import add_error
from survey.staff.paper_enter import chosen_for, entered_for, forget_draft
from survey.staff.paper_forms import differences_form, field_name
from survey.staff.viewing import record_view
from survey.store import repository_paper
from survey.store.db import get_session
from survey.store.models_staff import utcnow

Page = str | WerkzeugResponse | tuple[str, int]


@bp.get("/paper/<questionnaire_id>/differences")
@require_role("analyst")
def paper_waiting(questionnaire_id: str) -> Page:
    """Paper forms whose first and second entries differ, waiting to be resolved."""
    row, q = current_or_404(questionnaire_id)
    db = get_session()
    waiting = []
    for entry, form, response in repository_paper.waiting_for_resolution(session=db, questionnaire_id=q.id):
        diffs = paper_entry.differences(
            q, (dict(response.answers), dict(form.marks)), (dict(entry.answers), dict(entry.marks))
        )
        waiting.append({"entry": entry, "form": form, "count": len(diffs)})
    return render_template(
        "staff/paper_waiting.html",
        row=row,
        q=q,
        waiting=waiting,
        counts=repository_paper.paper_counts(session=db, questionnaire_id=q.id),
        awaiting=repository_paper.awaiting_second_entry(session=db, questionnaire_id=q.id),
    )


@bp.route("/paper/<questionnaire_id>/differences/<int:entry_id>", methods=["GET", "POST"])
@require_role("analyst")
def paper_differences(questionnaire_id: str, entry_id: int) -> Page:
    """The differences between the two entries of one paper form: choose what the form says."""
    row, q = current_or_404(questionnaire_id)
    db = get_session()
    found = repository_paper.second_entry(session=db, entry_id=entry_id)
    if found is None or found[1].questionnaire_id != q.id:
        abort(404)
    entry, form, response = found
    first = (dict(response.answers), dict(form.marks))
    second = (dict(entry.answers), dict(entry.marks))
    diffs = paper_entry.differences(q, first, second)
    if entry.resolved_at is not None:
        flash(
            gettext(
                "Form %(form)s of batch %(batch)s is already resolved",
                form=form.form_number,
                batch=form.batch,
            ),
            "success",
        )
        return redirect(url_for("staff.paper_waiting", questionnaire_id=q.id))
    me = current_staff()
    assert me is not None
    same = paper_entry.same_person(form.keyed_by, me.email)  # the first keyer: only an admin, with a reason
    entered = entered_for(entry_id)
    words = {qid: kept.shown(q, q.question(qid)) for qid, kept in entered.items() if q.has_question(qid)}
    choices = differences_form(diffs, entered=words, with_reason=same and me.role == "admin")
    if not choices.is_submitted():
        for d in diffs:
            side = chosen_for(entry_id).get(d.question_id)
            if side is not None and (side != "entered" or d.question_id in words):
                choices[field_name(d)].data = side
    if choices.validate_on_submit():
        chosen = {d.question_id: choices[field_name(d)].data for d in diffs}
        reason = (choices.override_reason.data or "") if "override_reason" in choices else ""
        own = paper_entry.second_person_problem(
            form.keyed_by, me.email, admin=me.role == "admin", reason=reason, doing="resolve"
        )
        outcome = paper_entry.resolve(q, chosen, first, second, entered)
        fallback = choices[field_name(diffs[0])] if diffs else None
        if own:
            add_error(choices.override_reason if "override_reason" in choices else fallback, own)
        else:
            for qid, problem in outcome.problems.items():
                add_error(choices[f"choice-{qid}"] if f"choice-{qid}" in choices else fallback, problem)
        if not choices.errors:
            reasons: dict[str, Any] = {"own_keying_reason": reason.strip()} if same else {}
            repository_paper.resolve(
                session=db,
                entry=entry,
                form=form,
                response=response,
                answers=outcome.answers,
                marks=outcome.marks,
                by=me.email,
                now=utcnow(),
            )
            audit.record(
                "paper.resolved",
                questionnaire=q.id,
                response_id=response.id,
                batch=form.batch,
                form=form.form_number,
                chosen=chosen,
                entered=[qid for qid, side in chosen.items() if side == "entered"],
                dropped=list(outcome.dropped),
                **reasons,
            )
            forget_draft(entry_id)
            flash(paper_entry.resolved_message(form.form_number, form.batch, outcome.dropped), "success")
            return redirect(url_for("staff.paper_waiting", questionnaire_id=q.id))
    record_view("paper.differences", questionnaire=q.id, question=None, response_ids=[int(response.id or 0)])
    page = render_template(
        "staff/paper_differences.html",
        row=row,
        q=q,
        entry=entry,
        form=form,
        diffs=diffs,
        choices=choices,
        field_name=field_name,
        entered=words,
        response=response,
        own=same,
        admin=me.role == "admin",
    )
    return (page, 400) if choices.errors else page
