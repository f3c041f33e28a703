"""The questionnaire builder: drafts made in the browser without JavaScript (one thing per page).

Routes (admins; analysts may draft): the drafts list and a new draft (blank, a copy of a bundled
questionnaire, or question bank blocks); a draft's overview (sections and questions with move and remove
buttons, every problem the engine finds, and the paths); settings; sections. Questions, choices and
conditions are in builder_questions.py; translations, support contacts, census mappings, preview and
publishing in builder_more.py. A draft is never served to residents.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import current_app, flash, redirect, request, url_for

from survey.engine import Problem
from survey.services import audit as audit_rule
from survey.services.questionnaire_bank import TemplateError, bank_blocks, bundled, new_questionnaire
from survey.services.questionnaire_builder import (
    BuildError,
    Place,
    add_section,
    blank,
    describe_condition,
    languages,
    missing_translations,
    move,
    move_question_across,
    move_question_to,
    move_section_to,
    plain,
    question_types,
    section,
    sections,
    set_text,
    text_in,
)
from survey.services.words import gettext
from survey.staff import bp
from survey.staff.auth import current_staff, require_role
from survey.staff.builder_common import (
    Page,
    check,
    editable,
    load,
    now,
    place_url,
    render,
    save,
    summary,
    who,
    with_problems,
)
from survey.staff.builder_forms import NewDraftForm, SectionForm, SettingsForm, pairs
from survey.store import repository
from survey.store import repository_drafts as drafts
from survey.store.db import get_session

ROLES = ("admin", "analyst")


def _folder() -> Path:
    return Path(current_app.config["SURVEY_QUESTIONNAIRE_DIR"])


@bp.get("/builder")
@require_role(*ROLES)
def builder_index() -> Page:
    """Every draft, and a button to start one."""
    return render("index.html", drafts=drafts.all_drafts(session=get_session()))


@bp.route("/builder/new", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_new() -> Page:
    """Start a draft: an id, a title, a language, and what to start from."""
    form = NewDraftForm()
    form.template.choices = pairs([(qid, qid) for qid in bundled(_folder())])
    blocks = bank_blocks(_folder())
    form.blocks.choices = pairs(
        [(b.name, f"{b.name}: {b.description}" if b.description else b.name) for b in blocks.values()]
    )
    if form.validate_on_submit():
        qid = form.qid.data or ""
        title, lang = form.title.data or "", form.language.data or "en"
        try:
            if form.start.data == "bundled":
                if not form.template.data:
                    raise BuildError(gettext("Select a bundled questionnaire"))
                definition = new_questionnaire(_folder(), qid=qid, title=title, template=form.template.data)
            elif form.start.data == "bank":
                if not form.blocks.data:
                    raise BuildError(gettext("Select at least one block of the question bank"))
                definition = new_questionnaire(
                    _folder(), qid=qid, title=title, blocks=form.blocks.data, language=lang
                )
            else:
                definition = blank(qid, title, lang)
        except (BuildError, TemplateError) as exc:
            field = form.template if form.start.data == "bundled" else form.blocks
            field.errors = [str(exc)]
        else:
            draft = drafts.create_draft(session=get_session(), definition=definition, by=who(), at=now())
            audit_rule.record(
                "draft.create",
                questionnaire=qid,
                actor=current_staff() or "anonymous",
                session=get_session(),
                draft=draft.id,
                start=form.start.data,
            )
            flash(gettext("Draft saved: only staff can see it"), "success")
            return redirect(url_for("staff.builder_draft", draft_id=draft.id))
    return render("new.html", 400 if form.is_submitted() else 200, form=form, errors=summary(form, {}))


@bp.post("/builder/from/<questionnaire_id>")
@require_role(*ROLES)
def builder_from_published(questionnaire_id: str) -> Page:
    """A draft holding a copy of the current published version, to change and publish as a new version."""
    current = repository.current_questionnaire(session=get_session(), questionnaire_id=questionnaire_id)
    if current is None:
        return render("missing.html", 404, draft=None, what=f"questionnaire {questionnaire_id}")
    draft = drafts.create_draft(session=get_session(), definition=current.definition, by=who(), at=now())
    audit_rule.record(
        "draft.create",
        questionnaire=questionnaire_id,
        actor=current_staff() or "anonymous",
        session=get_session(),
        draft=draft.id,
        start=f"version {current.version}",
    )
    return redirect(url_for("staff.builder_draft", draft_id=draft.id))


@bp.get("/builder/<int:draft_id>")
@require_role(*ROLES)
def builder_draft(draft_id: int) -> Page:
    """A draft's overview: its sections and questions, every problem, the paths, preview and publish."""
    draft = load(draft_id)
    definition = draft.definition
    checks = check(definition)
    lang = str(definition.get("language") or "en")
    missing = {x: len(missing_translations(definition, x)) for x in languages(definition)[1:]}
    return render(
        "draft.html",
        draft=draft,
        d=definition,
        checks=checks,
        lang=lang,
        text_in=text_in,
        describe=lambda v: describe_condition(definition, v),
        missing=missing,
        definition_json=json.dumps(definition, ensure_ascii=False),
        problem_url=lambda place: place_url(draft_id, place),
    )


@bp.post("/builder/<int:draft_id>/structure")
@require_role(*ROLES)
def builder_structure(draft_id: int) -> Page:
    """The overview's move form: a section or question up or down (buttons), or to a place (a drag, with
    JavaScript: `section-to:ID` with `position`, `question-to:ID` with `section` and `position`). A remove
    button leads to the page that asks first."""
    draft = load(draft_id)
    definition = editable(draft)
    verb, _, ident = request.form.get("action", "").partition(":")
    if verb == "section-remove" and ident:
        return redirect(url_for("staff.builder_remove_section", draft_id=draft_id, sid=ident))
    if verb == "question-remove" and ident:
        return redirect(url_for("staff.builder_remove_question", draft_id=draft_id, qid=ident))
    all_sections = sections(definition)
    try:
        if verb in ("section-up", "section-down"):
            move(
                all_sections,
                all_sections.index(section(definition, ident)),
                -1 if verb == "section-up" else 1,
            )
        elif verb in ("question-up", "question-down"):
            move_question_across(definition, ident, -1 if verb == "question-up" else 1)
        elif verb == "section-to":
            move_section_to(definition, ident, request.form.get("position", ""))
        elif verb == "question-to":
            move_question_to(
                definition, ident, request.form.get("section", ""), request.form.get("position", "")
            )
        else:
            raise BuildError(gettext("That button is not known"))
    except BuildError as exc:
        flash(str(exc), "error")
        return redirect(url_for("staff.builder_draft", draft_id=draft_id))
    save(draft, definition)
    return redirect(url_for("staff.builder_draft", draft_id=draft_id) + f"#{ident}")


@bp.route("/builder/<int:draft_id>/settings", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_settings(draft_id: int) -> Page:
    """Title, description and the exit page of the questionnaire."""
    draft = load(draft_id)
    definition = editable(draft)
    lang = str(definition.get("language") or "en")
    form = SettingsForm(
        data={
            "title": text_in(definition.get("title"), lang, lang),
            "description": text_in(definition.get("description"), lang, lang),
            "exit_url": definition.get("exit_url", ""),
        }
    )
    if form.validate_on_submit():
        set_text(definition, "title", lang, form.title.data or "", lang)
        set_text(definition, "description", lang, form.description.data or "", lang)
        if form.exit_url.data:
            definition["exit_url"] = form.exit_url.data.strip()
        else:
            definition.pop("exit_url", None)
        save(draft, definition)
        return redirect(url_for("staff.builder_draft", draft_id=draft_id))
    problems = check(draft.definition).at("settings", "")
    with_problems(form, problems)
    return render(
        "settings.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        errors=summary(form, problems, "settings-problems"),
        problems=problems,
    )


@bp.route("/builder/<int:draft_id>/sections/new", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_section_new(draft_id: int) -> Page:
    """Add a section at the end."""
    draft = load(draft_id)
    form = SectionForm()
    if form.validate_on_submit():
        definition = editable(draft)
        new = add_section(definition, form.title.data or "")
        lang = str(definition.get("language") or "en")
        if form.intro.data:
            set_text(new, "intro", lang, form.intro.data, lang)
        if form.sensitive.data:
            new["sensitive"] = True
        save(draft, definition)
        return redirect(url_for("staff.builder_draft", draft_id=draft_id) + f"#{new['id']}")
    return render(
        "section.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        s=None,
        errors=summary(form, {}),
        problems={},
    )


@bp.route("/builder/<int:draft_id>/sections/<sid>", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_section(draft_id: int, sid: str) -> Page:
    """A section's title, introduction and sensitivity."""
    draft = load(draft_id)
    definition = editable(draft)
    try:
        s = section(definition, sid)
    except BuildError:
        return render("missing.html", 404, draft=draft, what=f"section {sid}")
    lang = str(definition.get("language") or "en")
    form = SectionForm(
        data={
            "title": text_in(s.get("title"), lang, lang),
            "intro": text_in(s.get("intro"), lang, lang),
            "sensitive": bool(s.get("sensitive")),
        }
    )
    if form.validate_on_submit():
        set_text(s, "title", lang, form.title.data or "", lang)
        set_text(s, "intro", lang, form.intro.data or "", lang)
        if form.sensitive.data:
            s["sensitive"] = True
        else:
            s.pop("sensitive", None)
        save(draft, definition)
        return redirect(url_for("staff.builder_draft", draft_id=draft_id) + f"#{sid}")
    problems = check(draft.definition).at("section", sid)
    with_problems(form, problems)
    return render(
        "section.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        s=s,
        errors=summary(form, problems, "section-problems"),
        problems=problems,
    )


@bp.post("/builder/<int:draft_id>/delete")
@require_role(*ROLES)
def builder_delete(draft_id: int) -> Page:
    """Discard a draft (published versions are not touched)."""
    draft = load(draft_id)
    qid = draft.questionnaire_id
    drafts.delete_draft(session=get_session(), draft=draft)
    audit_rule.record(
        "draft.delete",
        questionnaire=qid,
        actor=current_staff() or "anonymous",
        session=get_session(),
        draft=draft_id,
    )
    flash(gettext("Draft deleted"), "success")
    return redirect(url_for("staff.builder_index"))


@bp.app_template_filter("builder_plain")
def builder_plain(problem: Problem) -> str:
    """A problem in plain words with its catalogue code."""
    return plain(problem)


@bp.app_template_filter("builder_type")
def builder_type(qtype: str) -> str:
    """A question type in the words of the 'Add a question' page ('Free text', not 'text')."""
    return dict(question_types()).get(qtype, qtype)


@bp.app_template_filter("builder_problem_link")
def builder_problem_link(pair: tuple[Place, Problem], draft_id: int) -> dict[str, str]:
    """An error summary entry: the problem in words, linking to the field at fault."""
    place, problem = pair
    return {"text": plain(problem), "href": place_url(draft_id, place)}
