"""Removing a section, question, option, scale point, item, support contact or census mapping: a page asks
first (GOV.UK's "Are you sure you want to remove …?", Yes or No, without JavaScript) and says in words what
the removal means: what goes with it, and which conditions, piped answers, net figures or pages showing the
support contacts will refer to something that no longer exists. Those are left for the member of staff to
change; the engine's checks then name each one at its field. Audited (`draft.remove`). A support contact or
mapping is found by its place in its list: if the list changed after the page asked, nothing is removed.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for

from survey.services import audit as audit_rule
from survey.services.builder_removal import Removal, apply_removal, plan_choice, plan_question, plan_section
from survey.services.builder_removal_lists import plan_contact, plan_mapping
from survey.services.questionnaire_builder import BuildError
from survey.services.words import gettext, ngettext
from survey.staff import bp
from survey.staff.auth import current_staff, require_role
from survey.staff.builder import ROLES
from survey.staff.builder_common import Page, editable, load, place_url, render, save, summary
from survey.staff.builder_forms import ConfirmRemoveAtForm, ConfirmRemoveForm
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


@bp.route("/builder/<int:draft_id>/support/<int:index>/remove", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_remove_contact(draft_id: int, index: int) -> Page:
    """Ask before removing a support contact (by its place in the list, from 0)."""
    return _confirm(draft_id, "support contact", str(index))


@bp.route("/builder/<int:draft_id>/demographics/<int:index>/remove", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_remove_mapping(draft_id: int, index: int) -> Page:
    """Ask before removing a census mapping (by its place in the list, from 0)."""
    return _confirm(draft_id, "census mapping", str(index))


PLANS = {"support contact": plan_contact, "census mapping": plan_mapping}


def _plan(definition: dict[str, Any], kind: str, ident: str, which: str, key: str) -> Removal:
    if kind in PLANS:
        return PLANS[kind](definition, int(ident))
    if kind == "section":
        return plan_section(definition, ident)
    if kind == "question":
        return plan_question(definition, ident)
    return plan_choice(definition, ident, which, key)


def _confirm(draft_id: int, kind: str, ident: str, which: str = "", key: str = "") -> Page:
    draft = load(draft_id)
    definition = editable(draft)
    try:
        removal = _plan(definition, kind, ident, which, key)
    except BuildError as exc:
        return render("missing.html", 404, draft=draft, what=str(exc).removeprefix("There is no "))
    back = _back(draft_id, removal)
    form = ConfirmRemoveAtForm() if removal.index is not None else ConfirmRemoveForm()
    if form.validate_on_submit():
        if form.confirm.data != "yes":
            return redirect(back)
        if removal.index is not None and form.seen.data != removal.seen:
            if kind == "support contact":
                changed = gettext(
                    "Nothing was removed: the support contacts changed after that page was opened. Check the "
                    "list and try again"
                )
            else:
                changed = gettext(
                    "Nothing was removed: the census mappings changed after that page was opened. Check the "
                    "list and try again"
                )
            flash(changed, "error")
            return redirect(back)
        apply_removal(definition, removal)
        save(draft, definition)
        _audit(draft_id, draft.questionnaire_id, removal)
        flash(_done(removal), "success")
        if removal.dependents:
            return redirect(url_for("staff.builder_draft", draft_id=draft_id) + "#problems")
        return redirect(back)
    if form.confirm.errors:
        form.confirm.errors = [gettext("Select yes if you want to remove %(what)s", what=removal.what)]
    if removal.index is not None:
        form.seen.data = removal.seen
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


def _audit(draft_id: int, questionnaire: str, removal: Removal) -> None:
    """`draft.remove`: what was removed, what went with it, and what was left referring to it."""
    place = {} if removal.index is None else {"position": removal.index + 1}
    audit_rule.record(
        "draft.remove",
        questionnaire=questionnaire,
        actor=current_staff() or "anonymous",
        session=get_session(),
        draft=draft_id,
        removed=removal.kind,
        id=removal.key or removal.ident,
        question=removal.ident if removal.key else None,
        **place,
        with_it=removal.questions + removal.mappings,
        left_referring=[d.words for d in removal.dependents],
    )


def _back(draft_id: int, removal: Removal) -> str:
    """Where the member of staff came from: the overview (at the section or question), the choices page,
    or the support contacts or census mappings page."""
    if removal.kind == "support contact":
        return url_for("staff.builder_support", draft_id=draft_id)
    if removal.kind == "census mapping":
        return url_for("staff.builder_demographics", draft_id=draft_id)
    if removal.which:
        return url_for("staff.builder_choices", draft_id=draft_id, qid=removal.ident, which=removal.which)
    return url_for("staff.builder_draft", draft_id=draft_id) + f"#{removal.ident}"


def _done(removal: Removal) -> str:
    what = removal.what[:1].upper() + removal.what[1:]
    if not removal.dependents:
        return str(gettext("%(what)s was removed", what=what))
    count = len(removal.dependents)
    done: str = ngettext(
        "%(what)s was removed. %(num)s thing refers to it still: the problems below say where to change them "
        "before the draft can be published",
        "%(what)s was removed. %(num)s things refer to it still: the problems below say where to change them "
        "before the draft can be published",
        count,
        what=what,
    )
    return done
