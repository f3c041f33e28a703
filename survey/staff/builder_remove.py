"""Removing a section, question, option, scale point or item: a page asks first (GOV.UK's "Are you sure you
want to remove …?", Yes or No, without JavaScript) and says in words what the removal means: what goes with
it, and which conditions, piped answers or net figures will refer to something that no longer exists. Those
are left for the member of staff to change; the engine's checks then name each one at its field. Audited.
"""

from __future__ import annotations

from flask import flash, redirect, url_for

from survey.services import audit as audit_rule
from survey.services.builder_removal import Removal, apply_removal, plan_choice, plan_question, plan_section
from survey.services.questionnaire_builder import BuildError
from survey.staff import bp
from survey.staff.auth import current_staff, require_role
from survey.staff.builder import ROLES
from survey.staff.builder_common import Page, editable, load, place_url, render, save, summary
from survey.staff.builder_forms import ConfirmRemoveForm
from survey.store import repository
from survey.store.db import get_session


@bp.route("/builder/<int:draft_id>/sections/<sid>/remove", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_remove_section(draft_id: int, sid: str) -> Page:
    """Ask before removing a section and its questions."""
    return _confirm(draft_id, "section", sid)


@bp.route("/builder/<int:draft_id>/questions/<qid>/remove", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_remove_question(draft_id: int, qid: str) -> Page:
    """Ask before removing a question."""
    return _confirm(draft_id, "question", qid)


@bp.route("/builder/<int:draft_id>/questions/<qid>/<which>/<key>/remove", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_remove_choice(draft_id: int, qid: str, which: str, key: str) -> Page:
    """Ask before removing an option or scale point (by code) or a rating item (by id)."""
    return _confirm(draft_id, "choice", qid, which, key)


def _confirm(draft_id: int, kind: str, ident: str, which: str = "", key: str = "") -> Page:
    draft = load(draft_id)
    definition = editable(draft)
    try:
        if kind == "section":
            removal = plan_section(definition, ident)
        elif kind == "question":
            removal = plan_question(definition, ident)
        else:
            removal = plan_choice(definition, ident, which, key)
    except BuildError as exc:
        return render("missing.html", 404, draft=draft, what=str(exc).removeprefix("There is no "))
    back = _back(draft_id, removal)
    form = ConfirmRemoveForm()
    if form.validate_on_submit():
        if form.confirm.data != "yes":
            return redirect(back)
        apply_removal(definition, removal)
        save(draft, definition)
        audit_rule.record(
            "draft.remove",
            questionnaire=draft.questionnaire_id,
            actor=current_staff() or "anonymous",
            session=get_session(),
            draft=draft_id,
            removed=removal.kind,
            id=removal.key or removal.ident,
            question=removal.ident if removal.key else None,
            with_it=removal.questions + removal.mappings,
            left_referring=[d.words for d in removal.dependents],
        )
        flash(_done(removal), "success")
        if removal.dependents:
            return redirect(url_for("staff.builder_draft", draft_id=draft_id) + "#problems")
        return redirect(back)
    if form.confirm.errors:
        form.confirm.errors = [f"Select yes if you want to remove {removal.what}"]
    current = repository.current_questionnaire(session=get_session(), questionnaire_id=draft.questionnaire_id)
    return render(
        "remove.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        removal=removal,
        back=back,
        current=current,
        fix_url=lambda place: place_url(draft_id, place),
        errors=summary(form, {}),
    )


def _back(draft_id: int, removal: Removal) -> str:
    """Where the member of staff came from: the overview (at the section or question) or the choices page."""
    if removal.which:
        return url_for("staff.builder_choices", draft_id=draft_id, qid=removal.ident, which=removal.which)
    return url_for("staff.builder_draft", draft_id=draft_id) + f"#{removal.ident}"


def _done(removal: Removal) -> str:
    what = removal.what[:1].upper() + removal.what[1:]
    if not removal.dependents:
        return f"{what} was removed"
    count = len(removal.dependents)
    return (
        f"{what} was removed. {count} {'thing refers' if count == 1 else 'things refer'} to it still: the "
        "problems below say where to change them before the draft can be published"
    )
