"""Builder pages around the questions: translations side by side (missing ones listed), support contacts,
census mappings picked from the reference population (removing either asks first: builder_remove.py), and
publishing a draft (version, changes in words, audited with those changes; optionally approved by a second
admin first). Preview posts the draft to the staff preview."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, request, url_for
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea
from wtforms import BooleanField, SelectField, TextAreaField
from wtforms.validators import Length

from survey.engine.catalogue import N_
from survey.services import audit as audit_rule
from survey.services.builder_translations import confirm, review_counts, text_key, to_review
from survey.services.census_ranges import mapping_words
from survey.services.inputs import whole_number
from survey.services.publishing import publish, publish_problems, suggested_version
from survey.services.questionnaire_builder import (
    BuildError,
    add_language,
    find_question,
    languages,
    missing_translations,
    resolve,
    set_text,
    text_in,
    text_limit,
    text_slots,
)
from survey.services.questionnaire_diff import describe_changes
from survey.services.words import gettext
from survey.staff import bp
from survey.staff.auth import current_staff, require_role
from survey.staff.builder import ROLES
from survey.staff.builder_census import census_reference, ranges_page
from survey.staff.builder_common import Page, check, editable, load, render, save, summary, who
from survey.staff.builder_forms import (
    BuilderForm,
    LanguageForm,
    MappingStartForm,
    PublishForm,
    SupportContactForm,
    pairs,
)
from survey.store import repository
from survey.store import repository_drafts as drafts
from survey.store.db import get_session

SECOND_ADMIN = "SURVEY_PUBLISH_NEEDS_SECOND_ADMIN"
# A question in the list of questions to map, with its kind (msgids, translated where shown).
KIND_WORDS = {"single": N_("%(question)s (choose one)"), "number": N_("%(question)s (a number)")}


@bp.route("/builder/<int:draft_id>/translations", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_translations(draft_id: int) -> Page:
    """Every text in the main language beside its translation into ?lang=; the missing ones listed first."""
    draft = load(draft_id)
    definition = editable(draft)
    langs = languages(definition)
    default = langs[0]
    add = LanguageForm(prefix="add")
    if request.form.get("action") == "add-language":
        if add.validate_on_submit():
            try:
                add_language(definition, add.language.data or "")
            except BuildError as exc:
                add.language.errors = [str(exc)]
            else:
                save(draft, definition)
                return redirect(
                    url_for("staff.builder_translations", draft_id=draft_id, lang=add.language.data)
                )
        return render(
            "translations.html",
            400,
            draft=draft,
            add=add,
            langs=langs,
            lang=None,
            slots=[],
            missing=[],
            review=[],
            errors=summary(add, {}),
            form=None,
        )
    lang = request.values.get("lang") or (langs[1] if len(langs) > 1 else "")
    if lang not in langs[1:]:
        lang = ""
    slots = text_slots(definition)
    fields = {
        f"t{i}": TextAreaField(
            slot.where,
            widget=GovTextArea(),
            validators=[
                Length(
                    max=limit,
                    message=gettext(
                        "%(where)s must be %(limit)s characters or fewer",
                        where=slot.where,
                        limit=format(limit, ","),
                    ),
                )
            ],
        )
        for i, slot in enumerate(slots)
        for limit in [text_limit(str(slot.path[-1]))]  # a title's translation is a line, a body's a box
    }
    # "Still right" beside a text reworded since it was translated (drawn in the template's table row)
    fields.update({f"ok{i}": BooleanField() for i in range(len(slots))})
    form_class = type("TranslationForm", (BuilderForm,), fields)
    current = (
        {
            f"t{i}": text_in(resolve(definition, s.path)[0].get(str(s.path[-1])), lang, default)
            for i, s in enumerate(slots)
        }
        if lang
        else {}
    )
    form = form_class(data=current)
    if lang and request.form.get("action") == "save" and form.validate_on_submit():
        ticked = [getattr(form, f"ok{i}").data for i in range(len(slots))]
        confirmed = {text_key(definition, s.path) for s, tick in zip(slots, ticked, strict=True) if tick}
        for i, slot in enumerate(slots):
            obj, key = resolve(definition, slot.path)
            set_text(obj, key, lang, getattr(form, f"t{i}").data or "", default)
        confirm(definition, lang, confirmed)  # "still right": the rewording did not change the meaning
        save(draft, definition)
        flash(gettext("Translations into %(lang)s saved", lang=lang), "success")
        return redirect(url_for("staff.builder_translations", draft_id=draft_id, lang=lang))
    missing = missing_translations(definition, lang) if lang else []
    review = to_review(definition, lang) if lang else []
    refused = bool(form.errors) and request.method == "POST"
    return render(
        "translations.html",
        400 if refused else 200,
        draft=draft,
        add=add,
        langs=langs,
        lang=lang,
        slots=slots,
        missing=missing,
        review=review,
        reviewing={s.path for s in review},
        form=form,
        errors=summary(form, {}) if refused else [],
        default=default,
        index={s.path: i for i, s in enumerate(slots)},
    )


def _ask_first(action: str, entries: list[Any], ask: str, page: str, draft_id: int) -> Page:
    """A `remove:N` button leads to the page that asks first (builder_remove.py); one no longer in the
    list says so and removes nothing."""
    index = whole_number(action.removeprefix("remove:"), high=9_999)
    if index is not None and 0 <= index < len(entries):
        return redirect(url_for(ask, draft_id=draft_id, index=index))
    flash(gettext("That entry is no longer in the list: nothing was removed"), "error")
    return redirect(url_for(page, draft_id=draft_id))


@bp.route("/builder/<int:draft_id>/support", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_support(draft_id: int) -> Page:
    """Support contacts shown on interruption pages and at the end: add another, or remove (asks first)."""
    draft = load(draft_id)
    definition = editable(draft)
    contacts = definition.setdefault("support_contacts", [])
    lang = str(definition.get("language") or "en")
    form = SupportContactForm()
    action = request.form.get("action", "")
    if action.startswith("remove:"):  # a page asks first (a page from before the Remove links)
        return _ask_first(action, contacts, "staff.builder_remove_contact", "staff.builder_support", draft_id)
    if form.validate_on_submit():
        contact: dict[str, Any] = {"name": form.name.data}
        for key in ("phone", "url", "hours"):
            value = (getattr(form, key).data or "").strip()
            if value:
                contact[key] = value
        contacts.append(contact)
        save(draft, definition)
        return redirect(url_for("staff.builder_support", draft_id=draft_id))
    return render(
        "support.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        contacts=contacts,
        text_in=text_in,
        lang=lang,
        errors=summary(form, {}),
    )


@bp.route("/builder/<int:draft_id>/demographics", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_demographics(draft_id: int) -> Page:
    """Census mappings: pick a question and a census dimension, then a category per option (a single-choice
    question) or a range of numbers per category (a number question, such as age)."""
    draft = load(draft_id)
    definition = editable(draft)
    reference = census_reference(definition)
    lang = str(definition.get("language") or "en")
    mappings = definition.setdefault("demographics", [])
    questions = [
        q
        for s in definition.get("sections") or []
        for q in s.get("questions") or []
        if q.get("type") in ("single", "number")
    ]
    form = MappingStartForm()
    form.question.choices = pairs(
        [("", gettext("Select a question"))]
        + [
            (
                str(q["id"]),
                gettext(KIND_WORDS[str(q["type"])], question=text_in(q.get("text"), lang, lang) or q["id"]),
            )
            for q in questions
        ]
    )
    form.dimension.choices = pairs(
        [("", gettext("Select a dimension"))]
        + [(d.name, f"{d.name} ({d.info.universe})") for d in (reference.dimensions if reference else ())]
    )
    action = request.form.get("action", "")
    if action.startswith("remove:"):  # a page asks first (a page from before the Remove links)
        return _ask_first(
            action, mappings, "staff.builder_remove_mapping", "staff.builder_demographics", draft_id
        )
    if form.validate_on_submit():
        if any(q.get("id") == form.question.data and q.get("type") == "number" for q in questions):
            return redirect(
                url_for(
                    "staff.builder_ranges_new",
                    draft_id=draft_id,
                    question=form.question.data,
                    dimension=form.dimension.data,
                )
            )
        mappings.append({"dimension": form.dimension.data, "question": form.question.data, "map": {}})
        save(draft, definition)
        return redirect(url_for("staff.builder_mapping", draft_id=draft_id, index=len(mappings) - 1))
    problems = check(draft.definition).at("demographics", "")
    return render(
        "demographics.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        mappings=mappings,
        reference=reference,
        problems=problems,
        mapping_words=mapping_words,
        errors=summary(form, {"demographics": [m for ms in problems.values() for m in ms]}),
    )


@bp.route("/builder/<int:draft_id>/demographics/<int:index>", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_mapping(draft_id: int, index: int) -> Page:
    """One mapping: a census category (or 'not counted') for each option of the question; for a number
    question, the range of numbers of each category (builder_census.py)."""
    draft = load(draft_id)
    definition = editable(draft)
    mappings = definition.get("demographics") or []
    reference = census_reference(definition)
    if not 0 <= index < len(mappings) or reference is None:
        return render("missing.html", 404, draft=draft, what="census mapping")
    mapping = mappings[index]
    try:
        _, question = find_question(definition, str(mapping.get("question")))
        dimension = reference.dimension(str(mapping.get("dimension")))
    except (BuildError, KeyError):
        return render("missing.html", 404, draft=draft, what="question or census dimension of this mapping")
    if question.get("type") == "number":
        return ranges_page(draft, definition, index, str(question.get("id")), dimension.name)
    lang = str(definition.get("language") or "en")
    choices = pairs(
        [("", gettext("Not counted (for example prefer not to say)"))]
        + [(c.name, c.name) for c in dimension.categories]
    )
    options = question.get("options") or []
    fields = {
        f"o{i}": SelectField(
            text_in(o.get("label"), lang, lang) or str(o.get("code")), widget=GovSelect(), choices=choices
        )
        for i, o in enumerate(options)
    }
    form_class = type("MappingForm", (BuilderForm,), fields)
    old = mapping.get("map") or {}
    form = form_class(data={f"o{i}": old.get(str(o.get("code"))) or "" for i, o in enumerate(options)})
    if form.validate_on_submit():
        mapping["map"] = {
            str(o.get("code")): getattr(form, f"o{i}").data or None for i, o in enumerate(options)
        }
        save(draft, definition)
        return redirect(url_for("staff.builder_demographics", draft_id=draft_id))
    return render(
        "mapping.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        mapping=mapping,
        question=question,
        text_in=text_in,
        lang=lang,
        errors=summary(form, {}),
    )


def _needs_second_admin() -> bool:
    return bool(int(current_app.config.get(SECOND_ADMIN, 0) or 0))


@bp.route("/builder/<int:draft_id>/publish", methods=["GET", "POST"])
@require_role("admin")
def builder_publish(draft_id: int) -> Page:
    """Publish a draft: the changes from the current version in words, a version number, then publish."""
    draft = load(draft_id)
    definition = editable(draft)
    session = get_session()
    checks = check(definition)
    form = PublishForm(data={"version": suggested_version(session, definition)})
    problems: list[str] = []
    me = who()
    needs_approval = _needs_second_admin()
    approved = draft.approved_by is not None and draft.approved_by != me
    current = repository.current_questionnaire(session=session, questionnaire_id=str(definition.get("id")))
    changes = describe_changes(current.definition, definition) if current else []
    if form.validate_on_submit() and not checks.errors:
        definition["version"] = (form.version.data or "").strip()
        problems, q = publish_problems(session, definition, f"draft {draft_id}")
        if needs_approval and not approved:
            problems = [gettext("Another admin must approve this draft before it is published")]
        if not problems and q is not None:
            publish(
                session,
                q,
                actor=current_staff() or me,
                source=f"builder draft {draft_id}",
                approved_by=draft.approved_by,
                changes=[c.text for c in changes],  # every edit of the draft, moves too, in words
            )
            drafts.delete_draft(session=session, draft=draft)
            flash(
                gettext(
                    "Published version %(version)s: new responses use it; earlier responses keep the version "
                    "they answered",
                    version=q.version,
                ),
                "success",
            )
            return redirect(url_for("staff.questionnaire", questionnaire_id=q.id))
        form.version.errors = [problems[0]] if problems else [gettext("This version cannot be published")]
    return render(
        "publish.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        checks=checks,
        current=current,
        changes=changes,
        review=review_counts(definition),
        d=definition,
        needs_approval=needs_approval,
        approved=approved,
        me=me,
        errors=summary(form, {}),
    )


@bp.post("/builder/<int:draft_id>/approve")
@require_role("admin")
def builder_approve(draft_id: int) -> Page:
    """A second admin approves the draft as it stands (a later change withdraws the approval)."""
    draft = load(draft_id)
    if draft.updated_by == who():
        flash(gettext("You made the last change to this draft: another admin must approve it"), "error")
        return redirect(url_for("staff.builder_publish", draft_id=draft_id))
    drafts.approve_draft(session=get_session(), draft=draft, by=who())
    audit_rule.record(
        "draft.approve",
        questionnaire=draft.questionnaire_id,
        actor=current_staff() or who(),
        session=get_session(),
        draft=draft_id,
    )
    flash(gettext("Approved: another admin may now publish this draft"), "success")
    return redirect(url_for("staff.builder_publish", draft_id=draft_id))
