"""Resolving a double-keyed paper form when both entries are wrong: enter what the form says.

One question of the differences at a time, on the keying page's own fields (`fields_html`) and checks
(`check_page`, the "left blank" and "more than one box ticked" marks): a bad value gets the field's message
beside it and nothing is kept. A good one is kept in this browser's staff session (a `staff_` key, forgotten
on sign-out) until the differences page is sent, where it is offered as a third choice and checked again with
the routing of all the chosen answers (survey/staff/paper_verify.py).
"""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.config import today
from survey.engine import AnswerError, form_data_for
from survey.journey.answering import read_page, typed
from survey.journey.forms import error_list
from survey.journey.fragments import fields_html
from survey.journey.runner import Journey
from survey.services import paper_entry
from survey.staff import bp
from survey.staff.auth import require_role
from survey.staff.dashboard import current_or_404
from survey.staff.viewing import record_view
from survey.store import repository_paper
from survey.store.db import get_session

Page = str | WerkzeugResponse | tuple[str, int]
DRAFT_KEY = "staff_paper_resolving"  # {entry id: {"entered": {qid: Entered dict}, "chosen": {qid: side}}}
SIDES = frozenset({"first", "second", "entered"})


def draft(entry_id: int) -> dict[str, Any]:
    """What this browser has entered and chosen so far for one form's differences."""
    found = (session.get(DRAFT_KEY) or {}).get(str(entry_id))
    return dict(found) if isinstance(found, dict) else {}


def entered_for(entry_id: int) -> dict[str, paper_entry.Entered]:
    """{question id: what was entered} for one form's differences."""
    out = {}
    for qid, value in dict(draft(entry_id).get("entered") or {}).items():
        if (found := paper_entry.Entered.from_dict(value)) is not None:
            out[str(qid)] = found
    return out


def chosen_for(entry_id: int) -> dict[str, str]:
    """{question id: "first" | "second" | "entered"} remembered for one form's differences."""
    found = dict(draft(entry_id).get("chosen") or {})
    return {str(k): str(v) for k, v in found.items() if v in SIDES}


def set_draft(
    entry_id: int, *, entered: dict[str, Any] | None = None, chosen: dict[str, str] | None = None
) -> None:
    """Remember entered values and choices (None: leave as they are); `forget_draft` drops them."""
    drafts = dict(session.get(DRAFT_KEY) or {})
    mine = dict(drafts.get(str(entry_id)) or {})
    if entered is not None:
        mine["entered"] = entered
    if chosen is not None:
        mine["chosen"] = chosen
    drafts[str(entry_id)] = mine
    session[DRAFT_KEY] = drafts


def forget_draft(entry_id: int) -> None:
    """Drop what was entered and chosen for a form once it is resolved."""
    drafts = dict(session.get(DRAFT_KEY) or {})
    drafts.pop(str(entry_id), None)
    session[DRAFT_KEY] = drafts


@bp.route("/paper/<questionnaire_id>/differences/<int:entry_id>/enter/<question_id>", methods=["GET", "POST"])
@require_role("analyst")
def paper_enter_difference(questionnaire_id: str, entry_id: int, question_id: str) -> Page:
    """Enter what a paper form says for one question where both entries are wrong."""
    row, q = current_or_404(questionnaire_id)
    found = repository_paper.second_entry(session=get_session(), entry_id=entry_id)
    if found is None or found[1].questionnaire_id != q.id:
        abort(404)
    entry, form, response = found
    back = url_for("staff.paper_differences", questionnaire_id=q.id, entry_id=entry_id)
    if entry.resolved_at is not None:
        return redirect(back)
    first, second = (dict(response.answers), dict(form.marks)), (dict(entry.answers), dict(entry.marks))
    if question_id not in {d.question_id for d in paper_entry.differences(q, first, second)}:
        abort(404)
    question = q.question(question_id)
    entered = entered_for(entry_id)
    context = dict(first[0])
    for kept in entered.values():
        context.update({k: v for k, v in kept.entries.items() if v is not None})
    journey = Journey(row=row, q=q, lang=response.language, answers=context)
    errors: list[AnswerError] = []
    earlier = entered.get(question_id)
    data = form_data_for(question, earlier.entries.get(question_id) if earlier else None, context)
    item_marked = dict(earlier.mark) if earlier and isinstance(earlier.mark, dict) else {}
    if request.method == "POST":  # what the page says the form says, checked as on the keying page
        read = read_page(journey, question, request.form, today=today(), marks=True)
        if not read.errors:
            stored = {qid: e.to_dict() for qid, e in entered.items()}
            stored[question_id] = paper_entry.Entered(read.entries, read.mark).to_dict()
            set_draft(entry_id, entered=stored, chosen={**chosen_for(entry_id), question_id: "entered"})
            return redirect(back)
        errors, data = read.errors, typed(request.form)
        item_marked = paper_entry.item_marks_from(question, request.form)
    record_view(
        "paper.differences", questionnaire=q.id, question=question_id, response_ids=[int(response.id or 0)]
    )
    page = render_template(
        "staff/paper_enter.html",
        row=row,
        q=q,
        j=journey,
        form=form,
        question=question,
        fields=fields_html(journey, question, data, errors, f"Form {form.form_number} of batch {form.batch}"),
        errors=error_list(errors),
        back_url=back,
        marks=paper_entry.marks_for(question),
        marked=earlier.mark if earlier and isinstance(earlier.mark, str) else None,
        item_marks=paper_entry.item_marks_for(question),
        item_marked=item_marked,
    )
    return (page, 400) if errors else page
