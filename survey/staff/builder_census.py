"""Census mappings of number questions (such as age in years) in the builder: a From and To for each census
category of the reference population, checked (whole numbers, overlaps, gaps, categories the reference
population lacks: survey.services.census_ranges) and stored in the engine's `ranges` format.

A new mapping is stored only once its numbers pass the checks (the boxes start with the numbers the category
names suggest, such as 16 to 24 for "16-24"); an existing one is changed in place. The pages for choice
questions' mappings, and the list of mappings, are in builder_more.py.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for

from analysis.reference import Reference, resolve_reference
from survey.engine.loader import reference_name
from survey.services.census_ranges import (
    RangeRow,
    RowProblem,
    check_rows,
    range_words,
    stored_rows,
    suggested_rows,
    uncovered,
)
from survey.services.questionnaire_builder import BuildError, find_question, text_in
from survey.services.reference import imported_reference_dir
from survey.services.words import gettext
from survey.staff import bp
from survey.staff.auth import require_role
from survey.staff.builder import ROLES
from survey.staff.builder_common import Page, editable, load, render, save, summary
from survey.staff.builder_forms import ranges_form
from survey.store.models_drafts import QuestionnaireDraft


def census_reference(definition: dict[str, Any]) -> Reference | None:
    """The reference population the questionnaire is compared with (None when it cannot be read)."""
    try:
        return resolve_reference(reference_name(definition), imported_reference_dir())
    except (KeyError, ValueError, OSError):
        return None


@bp.route("/builder/<int:draft_id>/demographics/ranges", methods=["GET", "POST"])
@require_role(*ROLES)
def builder_ranges_new(draft_id: int) -> Page:
    """A new mapping of the number question ?question= onto the census dimension ?dimension=."""
    draft = load(draft_id)
    return ranges_page(
        draft, editable(draft), None, request.args.get("question", ""), request.args.get("dimension", "")
    )


def ranges_page(
    draft: QuestionnaireDraft, definition: dict[str, Any], index: int | None, qid: str, dimension_name: str
) -> Page:
    """The From and To boxes of every census category; stores the mapping when the numbers pass the checks."""
    reference = census_reference(definition)
    try:
        _, question = find_question(definition, qid)
        if reference is None:
            raise KeyError(dimension_name)
        dimension = reference.dimension(dimension_name)
    except (BuildError, KeyError):
        return render("missing.html", 404, draft=draft, what="question or census dimension of this mapping")
    if question.get("type") != "number":
        return render("missing.html", 404, draft=draft, what=f"number question {qid}")
    known = [c.name for c in dimension.categories]
    mappings = definition.setdefault("demographics", [])
    stored = (mappings[index].get("ranges") or []) if index is not None else []
    rows = stored_rows(known, stored) if index is not None else suggested_rows(known)
    form = ranges_form(len(rows))(
        data={f"r{i}_{key}": getattr(row, key) for i, row in enumerate(rows) for key in ("low", "high")}
    )
    lang = str(definition.get("language") or "en")
    name = text_in(question.get("text"), lang, lang) or qid
    if form.validate_on_submit():
        typed = [
            RangeRow(row.category, form[f"r{i}_low"].data or "", form[f"r{i}_high"].data or "")
            for i, row in enumerate(rows)
        ]
        ranges, problems = check_rows(typed, dimension_name, known)
        if not problems:
            mapping = {"dimension": dimension_name, "question": qid, "ranges": ranges}
            if index is None:
                mappings.append(mapping)
            else:
                mappings[index] = mapping
            save(draft, definition)
            notes = uncovered(ranges, question.get("min"), question.get("max"))
            saved = gettext(
                "Census mapping of ‘%(name)s’ onto %(dimension)s saved.", name=name, dimension=dimension_name
            )
            if notes:
                left = gettext(
                    "%(numbers)s are in no range: they count as not mapped.", numbers=" and ".join(notes)
                )
                saved = f"{saved} {left}"
            flash(saved, "success")
            return redirect(url_for("staff.builder_demographics", draft_id=draft.id))
        _show(form, problems)
    elif not form.is_submitted() and index is not None:
        _show(form, check_rows(rows, dimension_name, known)[1])  # a stored mapping's problems, at their rows
    if not mappings:
        definition.pop("demographics")
    return render(
        "ranges.html",
        400 if form.is_submitted() else 200,
        draft=draft,
        form=form,
        rows=rows,
        name=name,
        dimension=dimension,
        question=question,
        allowed=range_words(question.get("min"), question.get("max")),
        notes=uncovered(stored, question.get("min"), question.get("max")) if stored else [],
        errors=summary(form, {}),
    )


def _show(form: Any, problems: list[RowProblem]) -> None:
    for p in problems:
        field = form[f"r{p.row}_{p.field}"]
        field.errors = [*list(field.errors or []), p.message]
