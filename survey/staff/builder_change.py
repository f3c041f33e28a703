"""Builder pages that change what was added earlier: a question's id (and every reference to it), the words of
an option, scale point or rating item (its code or id stays), and a support contact's fields.

Each page checks what it is given as the page that adds it does (BuilderForm: cleaned text, length limits).
A question id that a published version uses asks for a confirmation first: answers are stored by question id,
so results under the old id do not join with results under the new one.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask_babel import lazy_gettext

from survey.services import audit as audit_rule
from survey.services.builder_removal_lists import fingerprint
from survey.services.builder_rename import check_new_id, published_with, rename_question
from survey.services.questionnaire_builder import (
    BuildError,
    choice_list,
    find_question,
    set_text,
    text_in,
)
from survey.services.words import gettext
from survey.staff import bp
from survey.staff.auth import current_staff, require_role
from survey.staff.builder import ROLES
from survey.staff.builder_common import Page, editable, load, render, save, summary
from survey.staff.builder_forms import ChangeChoiceForm, ChangeContactForm, RenameQuestionForm
from survey.store import repository_staff
from survey.store.db import get_session

WHICH_WORDS = {
    "options": lazy_gettext("option"),
    "scale": lazy_gettext("point of the scale"),
    "items": lazy_gettext("item"),
}
CONTACT_TEXTS = ("name", "hours")  # localised texts of a support contact (phone and url are plain)
CONTACT_PLAIN = ("phone", "url")


def _which_missing(which: str, key: str, qid: str) -> str:
    return str(gettext("%(what)s %(key)s of question %(qid)s", what=WHICH_WORDS[which], key=key, qid=qid))


def _published_versions(questionnaire_id: str) -> list[tuple[str, dict[str, Any]]]:
    rows = repository_staff.questionnaire_versions(session=get_session(), questionnaire_id=questionnaire_id)
    return [(row.version, dict(row.definition)) for row in rows]


@bp.route("/builder/<int:draft_id>/questions/<qid>/id", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_rename_question(draft_id: int, qid: str) -> Page:
    """Change a question's id; conditions, piped answers, checks, census mappings and translation marks that
    named the old id name the new one."""
    draft = load(draft_id)
    definition = editable(draft)
    try:
        find_question(definition, qid)
    except BuildError:
        return render("missing.html", 404, draft=draft, what=f"question {qid}")
    versions = _published_versions(draft.questionnaire_id)
    published = published_with(versions, qid)
    form = RenameQuestionForm()
    taken: list[str] = []
    if form.validate_on_submit():
        unticked = not form.understood.data
        try:
            new = check_new_id(definition, qid, form.new_id.data or "")
        except BuildError as exc:
            form.new_id.errors = [str(exc)]
            new = ""
        else:
            # answers are stored by question id: results under the old id do not join with the new id's, and
            # a new id an earlier version gave another question joins them with that question's answers
            taken = published_with(versions, new)
        if taken:
            if published:
                understood = gettext(
                    "I understand that answers to question %(new)s of version %(taken)s will be counted with "
                    "this question's and that results under the old id will not join",
                    new=new,
                    taken=", ".join(taken),
                )
            else:
                understood = gettext(
                    "I understand that answers to question %(new)s of version %(taken)s will be counted with "
                    "this question's",
                    new=new,
                    taken=", ".join(taken),
                )
            form.understood.label.text = understood
            if unticked:
                form.new_id.errors = [
                    gettext(
                        "Published version %(taken)s has another question with the id %(new)s: its "
                        "answers would be counted with this question's. Choose another id, or tick the box "
                        "to say you understand",
                        taken=", ".join(taken),
                        new=new,
                    )
                ]
        if published and unticked:
            form.understood.errors = [
                gettext(
                    "Published version %(published)s uses the id %(qid)s: tick the box to say you understand "
                    "that its results will not join with results under the new id",
                    published=", ".join(published),
                    qid=qid,
                )
            ]
        if new and not form.new_id.errors and not form.understood.errors:
            renamed = rename_question(definition, qid, new)
            save(draft, definition)
            audit_rule.record(
                "draft.rename",
                questionnaire=draft.questionnaire_id,
                actor=current_staff() or "anonymous",
                session=get_session(),
                draft=draft_id,
                old=renamed.old,
                new=renamed.new,
                references=renamed.counts,
                published=published,
                published_new_id=taken,
            )
            flash(renamed.message(), "success")
            return redirect(url_for("staff.builder_question", draft_id=draft_id, qid=renamed.new))
    return render(
        "rename.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        qid=qid,
        published=published,
        ask=bool(published or taken),
        errors=summary(form, {}),
    )


@bp.route("/builder/<int:draft_id>/questions/<qid>/<which>/<key>/change", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_change_choice(draft_id: int, qid: str, which: str, key: str) -> Page:
    """New words for one option, scale point or rating item, found by its code (or id), which stays."""
    draft = load(draft_id)
    definition = editable(draft)
    if which not in WHICH_WORDS:
        return render("missing.html", 404, draft=draft, what=which)
    try:
        _, question = find_question(definition, qid)
        entries = choice_list(question, which)
    except BuildError:
        return render("missing.html", 404, draft=draft, what=f"question {qid}")
    ident = "id" if which == "items" else "code"
    entry = next((e for e in entries if isinstance(e, dict) and str(e.get(ident)) == key), None)
    if entry is None:
        return render("missing.html", 404, draft=draft, what=_which_missing(which, key, qid))
    lang = str(definition.get("language") or "en")
    text_key = "text" if which == "items" else "label"
    form = ChangeChoiceForm(data={"label": text_in(entry.get(text_key), lang, lang)})
    back = url_for("staff.builder_choices", draft_id=draft_id, qid=qid, which=which)
    if form.validate_on_submit():
        set_text(entry, text_key, lang, form.label.data or "", lang)  # translations stay (marked for review)
        save(draft, definition)
        changed = gettext(
            "The words of %(what)s %(key)s changed; its %(ident)s stays %(key)s",
            what=WHICH_WORDS[which],
            key=key,
            ident=ident,
        )
        flash(changed, "success")
        return redirect(back)
    return render(
        "change_choice.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        question=question,
        which=which,
        what=WHICH_WORDS[which],
        words=text_in(entry.get(text_key), lang, lang) or key,
        question_words=text_in(question.get("text"), lang, lang) or qid,
        ident=ident,
        key=key,
        back=back,
        errors=summary(form, {}),
    )


@bp.route("/builder/<int:draft_id>/support/<int:index>/change", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_change_contact(draft_id: int, index: int) -> Page:
    """Change a support contact's organisation, phone, website or hours (the same checks as adding one)."""
    draft = load(draft_id)
    definition = editable(draft)
    contacts = definition.get("support_contacts") or []
    if not 0 <= index < len(contacts) or not isinstance(contacts[index], dict):
        return render("missing.html", 404, draft=draft, what=f"support contact {index + 1}")
    contact = contacts[index]
    lang = str(definition.get("language") or "en")
    data = {k: text_in(contact.get(k), lang, lang) for k in CONTACT_TEXTS}
    data.update({k: str(contact.get(k) or "") for k in CONTACT_PLAIN})
    form = ChangeContactForm(data={**data, "seen": fingerprint(contact)})
    back = url_for("staff.builder_support", draft_id=draft_id)
    if form.validate_on_submit():
        if form.seen.data != fingerprint(contact):
            flash(
                gettext(
                    "Nothing was changed: the support contacts changed after that page was opened. Check the "
                    "list and try again"
                ),
                "error",
            )
            return redirect(back)
        for key in CONTACT_TEXTS:
            set_text(contact, key, lang, getattr(form, key).data or "", lang)
        for key in CONTACT_PLAIN:
            value = (getattr(form, key).data or "").strip()
            if value:
                contact[key] = value
            else:
                contact.pop(key, None)
        save(draft, definition)
        flash(
            gettext("Support contact %(name)s changed", name=text_in(contact.get("name"), lang, lang)),
            "success",
        )
        return redirect(back)
    return render(
        "change_contact.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        index=index,
        name=data["name"] or f"number {index + 1}",
        back=back,
        errors=summary(form, {}),
    )
