"""Builder pages for questions: add one (type first), edit its fields, its options / scale / rating items,
and its condition ("show this question when <question> is <option>") built from choices, never JSON."""

from __future__ import annotations

import re
from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import lazy_gettext

from survey.services.builder_operators import (
    ComparisonError,
    comparison,
    operators_for,
    value_kind,
)
from survey.services.inputs import whole_number
from survey.services.questionnaire_builder import (
    CHOICE_LISTS,
    BuildError,
    BuiltCondition,
    add_choice,
    add_question,
    choice_list,
    condition_rules,
    describe_condition,
    earlier_questions,
    find_question,
    move,
    read_condition,
    section,
    set_text,
    text_in,
    write_condition,
)
from survey.services.words import gettext
from survey.staff import bp
from survey.staff.auth import require_role
from survey.staff.builder import ROLES
from survey.staff.builder_common import Page, check, editable, load, render, save, summary, with_problems
from survey.staff.builder_forms import (
    ChoiceForm,
    CombineForm,
    ConditionForm,
    NewQuestionForm,
    QuestionForm,
    pairs,
)

TEXT_FIELDS = ("text", "hint", "suffix", "body", "consent_label", "dont_know")  # localised words
WHOLE_FIELDS = ("max_length", "places", "rank_count")
BOUND_FIELDS = ("min", "max")  # whole or decimal numbers
PLAIN_FIELDS = ("min_date", "max_date", "pattern")
FLAGS = ("required", "sensitive", "multiline", "show_support_contacts")
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
BOUND_DIGITS = 15  # bounds stay exact as JSON numbers (a double holds 15 significant digits)
TOO_LONG = lazy_gettext(
    "Enter a number of at most %(BOUND_DIGITS)s digits before the point", BOUND_DIGITS=BOUND_DIGITS
)
WHICH = {
    "options": lazy_gettext("Options"),
    "scale": lazy_gettext("Points of the scale"),
    "items": lazy_gettext("Items to rate"),
}


@bp.route("/builder/<int:draft_id>/sections/<sid>/questions/new", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_question_new(draft_id: int, sid: str) -> Page:
    """Add a question at the end of a section: its type and its words."""
    draft = load(draft_id)
    form = NewQuestionForm()
    if form.validate_on_submit():
        definition = editable(draft)
        try:
            new = add_question(definition, sid, form.qtype.data or "", form.text.data or "")
        except BuildError as exc:
            form.qtype.errors = [str(exc)]
        else:
            save(draft, definition)
            return redirect(url_for("staff.builder_question", draft_id=draft_id, qid=new["id"]))
    return render(
        "question_new.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        sid=sid,
        errors=summary(form, {}),
    )


def _question_or_404(draft_id: int, qid: str) -> tuple[Any, dict[str, Any], dict[str, Any]] | Page:
    draft = load(draft_id)
    definition = editable(draft)
    try:
        _, question = find_question(definition, qid)
    except BuildError:
        return render("missing.html", 404, draft=draft, what=f"question {qid}")
    return draft, definition, question


@bp.route("/builder/<int:draft_id>/questions/<qid>", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_question(draft_id: int, qid: str) -> Page:
    """A question's words and settings (the fields shown depend on its type)."""
    found = _question_or_404(draft_id, qid)
    if not isinstance(found, tuple) or len(found) != 3 or isinstance(found[0], str):
        return found  # type: ignore[return-value]
    draft, definition, question = found
    lang = str(definition.get("language") or "en")
    data: dict[str, Any] = {k: text_in(question.get(k), lang, lang) for k in TEXT_FIELDS}
    data.update({k: question.get(k) for k in WHOLE_FIELDS})
    data.update({k: "" if question.get(k) is None else str(question.get(k)) for k in BOUND_FIELDS})
    data.update({k: question.get(k, "") for k in PLAIN_FIELDS})
    data.update({k: bool(question.get(k)) for k in FLAGS})
    data["required"] = question.get("required", True) is not False  # the format's default is required
    data["style"] = question.get("style", "information")
    data["text_format"] = question.get("format", "")
    form = QuestionForm(data=data)
    valid = form.validate_on_submit()
    if form.is_submitted() and _bounds_read(form) and valid:
        _apply(form, question, lang)
        save(draft, definition)
        return redirect(url_for("staff.builder_question", draft_id=draft_id, qid=qid))
    problems = check(draft.definition).at("question", qid)
    with_problems(form, problems)
    return render(
        "question.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        question=question,
        errors=summary(form, problems, "question-problems"),
        problems=problems,
        which=WHICH,
        choice_lists=CHOICE_LISTS,
        choice_problems={k: check(draft.definition).at("choices", qid).get(k, []) for k in WHICH},
        condition=describe_condition(definition, question.get("show_if")),
        text_in=text_in,
        lang=lang,
    )


def _bounds_read(form: QuestionForm) -> bool:
    """The smallest and largest numbers are numbers (or empty); an error on the field otherwise."""
    fine = True
    for key in BOUND_FIELDS:
        field = getattr(form, key)
        if field.data and not NUMBER.match(field.data.strip()):
            field.errors = [*field.errors, gettext("Enter a number, like 16 or 4.5")]
            fine = False
        elif field.data and len(field.data.strip().lstrip("-").split(".")[0]) > BOUND_DIGITS:
            field.errors = [*field.errors, TOO_LONG]
            fine = False
    return fine


def _apply_required(form: QuestionForm, question: dict[str, Any]) -> None:
    """A question is required unless it says otherwise (the format's default): an unticked box is stored
    as `"required": false`, a ticked one as nothing."""
    if form.required.data or question.get("type") == "info":
        question.pop("required", None)
    else:
        question["required"] = False


def _apply(form: QuestionForm, question: dict[str, Any], lang: str) -> None:
    """Copy the form's fields into the question (empty ones removed)."""
    for key in TEXT_FIELDS:
        set_text(question, key, lang, getattr(form, key).data or "", lang)
    for key in WHOLE_FIELDS:
        whole = getattr(form, key).data
        if whole is None:
            question.pop(key, None)
        else:
            question[key] = whole
    for key in BOUND_FIELDS:
        words = (getattr(form, key).data or "").strip()
        if words:  # a whole number exactly as typed (float() would turn 10**23 into 99999999999999991611392)
            question[key] = int(words) if "." not in words else float(words)
        else:
            question.pop(key, None)
    for key in PLAIN_FIELDS:
        words = (getattr(form, key).data or "").strip()
        if words:
            question[key] = words
        else:
            question.pop(key, None)
    for key in FLAGS:
        if getattr(form, key).data:
            question[key] = True
        else:
            question.pop(key, None)
    _apply_required(form, question)
    if form.text_format.data:
        question["format"] = form.text_format.data
    else:
        question.pop("format", None)
    if question.get("type") == "info":
        question["style"] = form.style.data or "information"


@bp.route("/builder/<int:draft_id>/questions/<qid>/<which>", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_choices(draft_id: int, qid: str, which: str) -> Page:
    """A question's options, scale points or rating items: add another, move, remove (a page asks first)."""
    if which not in WHICH:
        return render("missing.html", 404, draft=None, what=which)
    found = _question_or_404(draft_id, qid)
    if not isinstance(found, tuple) or len(found) != 3 or isinstance(found[0], str):
        return found  # type: ignore[return-value]
    draft, definition, question = found
    items = choice_list(question, which)
    form = ChoiceForm()
    action = request.form.get("action", "")
    if request.method == "POST" and ":" in action:
        verb, _, index_text = action.partition(":")
        index = whole_number(index_text, high=9_999)
        index = -1 if index is None else index
        if verb == "remove" and 0 <= index < len(items):  # a page asks first
            key = str(items[index].get("id" if which == "items" else "code"))
            return redirect(
                url_for("staff.builder_remove_choice", draft_id=draft_id, qid=qid, which=which, key=key)
            )
        back = url_for("staff.builder_choices", draft_id=draft_id, qid=qid, which=which)
        if verb not in ("up", "down") or not 0 <= index < len(items):  # a page from before a change
            flash(gettext("That entry is no longer in the list: nothing was changed"), "error")
            return redirect(back)
        move(items, index, -1 if verb == "up" else 1)
        save(draft, definition)
        return redirect(back)
    if form.validate_on_submit():
        try:
            add_choice(
                definition,
                question,
                which,
                form.label.data or "",
                form.code.data or "",
                form.kind.data or "answer",
            )
        except BuildError as exc:
            form.code.errors = [str(exc)]
        else:
            save(draft, definition)
            return redirect(url_for("staff.builder_choices", draft_id=draft_id, qid=qid, which=which))
    problems = check(draft.definition).at("choices", qid).get(which, [])
    lang = str(definition.get("language") or "en")
    return render(
        "choices.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        question=question,
        which=which,
        title=WHICH[which],
        items=items,
        text_in=text_in,
        lang=lang,
        problems=problems,
        errors=summary(form, {"choices": problems}),
    )


def _target(definition: dict[str, Any], target: str) -> dict[str, Any]:
    try:
        return find_question(definition, target)[1]
    except BuildError:
        return section(definition, target)


def _condition_step(
    action: str,
    built: BuiltCondition,
    form: ConditionForm,
    combine: CombineForm,
    chosen: dict[str, Any] | None,
) -> bool:
    """Carry out one button of the condition page on `built`; False (with errors on the forms) if refused."""
    removed = whole_number(action[7:], high=9_999) if action.startswith("remove:") else None
    if removed is not None and built.editable:
        if removed < len(built.leaves):
            built.leaves.pop(removed)
        return True
    if action == "clear":
        built.leaves, built.editable = [], True
        return True
    if action == "combine":
        if not combine.validate_on_submit():
            return False
        built.combine, built.negate = combine.combine.data or "all", bool(combine.negate.data)
        return True
    if action != "add":
        return False
    if chosen is None:
        form.question.errors = [gettext("Select the earlier question")]
        return False
    if not form.validate_on_submit():
        return False
    box = value_kind(chosen) or "value"
    box = "value" if box == "option" else box
    try:
        built.leaves.append(comparison(chosen, form.op.data or "", getattr(form, box).data or ""))
    except ComparisonError as exc:
        getattr(form, exc.field).errors = [str(exc)]
        return False
    return True


@bp.route("/builder/<int:draft_id>/conditions/<target>", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_condition(draft_id: int, target: str) -> Page:
    """When a question or section is shown: rules on earlier answers, joined by all / any, perhaps 'not'."""
    draft = load(draft_id)
    definition = editable(draft)
    try:
        obj = _target(definition, target)
    except BuildError:
        return render("missing.html", 404, draft=draft, what=target)
    built = read_condition(obj.get("show_if"))
    earlier = earlier_questions(definition, target)
    lang = str(definition.get("language") or "en")
    form = ConditionForm()
    form.question.choices = pairs(
        [("", gettext("Select a question"))]
        + [(str(q["id"]), text_in(q.get("text"), lang, lang) or str(q["id"])) for q in earlier]
    )
    chosen_id = request.values.get("question", "")
    chosen = next((q for q in earlier if q.get("id") == chosen_id), None)
    form.value.choices = pairs(
        [
            (str(o.get("code")), text_in(o.get("label"), lang, lang) or str(o.get("code")))
            for o in (chosen or {}).get("options") or []
        ]
    )
    form.op.choices = pairs(operators_for(chosen or {}))
    combine = CombineForm(data={"combine": built.combine, "negate": built.negate})
    status = 200
    if request.method == "POST":
        status = 400
        if _condition_step(request.form.get("action", ""), built, form, combine, chosen):
            if built.editable:
                show_if = write_condition(built)
                if show_if is None:
                    obj.pop("show_if", None)
                else:
                    obj["show_if"] = show_if
            save(draft, definition)
            return redirect(url_for("staff.builder_condition", draft_id=draft_id, target=target))
    problems = check(draft.definition).at("condition", target).get("show_if", [])
    return render(
        "condition.html",
        status,
        draft=draft,
        target=target,
        obj=obj,
        built=built,
        form=form,
        combine=combine,
        chosen=chosen,
        value_kind=value_kind(chosen or {}),
        describe=describe_condition(definition, obj.get("show_if")),
        problems=problems,
        errors=summary(form, {"show_if": problems}, "condition-problems") + summary(combine, {}),
        text_in=text_in,
        lang=lang,
        is_question="type" in obj,
        rule_words=condition_rules(definition, built.leaves),
    )
