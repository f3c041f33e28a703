"""What every builder page shares: loading a draft, saving it (the engine's checks run on every save),
and putting each problem the checks find next to the field at fault."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import abort, render_template, url_for
from flask_babel import LazyString
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response as WerkzeugResponse

from survey.engine import PathReport, Problem, analyse_paths, validate_dict
from survey.services.builder_translations import remark
from survey.services.builder_words import in_builder_words, names
from survey.services.publishing import known_references
from survey.services.questionnaire_builder import Place, cleaned, locate, plain
from survey.staff.auth import current_staff
from survey.store import repository_drafts as drafts
from survey.store.db import get_session
from survey.store.models_drafts import QuestionnaireDraft

Page = str | WerkzeugResponse | tuple[str, int]


@dataclass
class Checks:
    """The engine's verdict on a draft: problems with their builder places, and the paths."""

    errors: list[tuple[Place, Problem]]
    warnings: list[tuple[Place, Problem]]
    paths: PathReport | None

    def at(self, page: str, ident: str) -> dict[str, list[str]]:
        """field -> problems in words, for one builder page."""
        found: dict[str, list[str]] = {}
        for place, problem in self.errors:
            if place.page == page and place.ident == ident:
                found.setdefault(place.field, []).append(plain(problem))
        return found


def check(definition: dict[str, Any]) -> Checks:
    """Run the engine's validation (and path analysis when it passes) on a definition; the problems are put
    in the builder's words (survey.services.builder_words)."""
    result = validate_dict(copy.deepcopy(definition), "draft", references=known_references())
    paths = analyse_paths(result.questionnaire) if result.questionnaire is not None else None
    known = names(definition)  # problems name questions by number and words, not ids
    return Checks(
        [(locate(definition, p.path, p.code), in_builder_words(p, definition, known)) for p in result.errors],
        [
            (locate(definition, p.path, p.code), in_builder_words(p, definition, known))
            for p in result.warnings
        ],
        paths,
    )


def load(draft_id: int) -> QuestionnaireDraft:
    """The draft, or 404."""
    draft = drafts.draft_by_id(session=get_session(), draft_id=draft_id)
    if draft is None:
        abort(404)
    return draft


def editable(draft: QuestionnaireDraft) -> dict[str, Any]:
    """A copy of the draft's definition to change (saved with `save`)."""
    return copy.deepcopy(draft.definition)


def who() -> str:
    """The signed-in member of staff's email."""
    user = current_staff()
    return user.email if user else "anonymous"


def now() -> datetime:
    return datetime.now(UTC)


def save(draft: QuestionnaireDraft, definition: dict[str, Any]) -> None:
    """Store the changed definition (any earlier approval to publish no longer applies), without control or
    bidi characters in any text however they came (the forms clean what is typed; this is the last guard).
    A translation whose main-language text this change rewords is marked for review."""
    definition = cleaned(definition)
    remark(draft.definition, definition)  # reworded texts: their translations need review
    drafts.save_draft(session=get_session(), draft=draft, definition=definition, by=who(), at=now())


def with_problems(form: FlaskForm, problems: dict[str, list[str]]) -> None:
    """Show the engine's problems as GOV.UK error messages on the form's fields."""
    for name, messages in problems.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = [*list(field.errors or []), *messages]


def summary(form: FlaskForm | None, problems: dict[str, list[str]], anchor: str = "") -> list[dict[str, str]]:
    """The GOV.UK error summary list: the form's errors, then problems not on one of its fields."""
    items: list[dict[str, str]] = []
    names = set(form._fields) if form is not None else set()  # noqa: SLF001 (WTForms' field table)
    if form is not None:
        for field in form._fields.values():  # noqa: SLF001
            for message in field.errors or []:
                if isinstance(message, str | LazyString):  # not a nested form's list of errors
                    items.append({"text": str(message), "href": f"#{field.id}"})
                    break
    for name, messages in problems.items():
        if name not in names:
            items.extend({"text": m, "href": f"#{anchor or name}"} for m in messages)
    return items


def render(template: str, status: int = 200, **context: Any) -> Page:
    """A builder page (400 when it shows errors in a submitted form)."""
    return render_template(f"staff/builder/{template}", **context), status


def place_url(draft_id: int, place: Place) -> str:
    """The builder page (and field anchor) where a problem at `place` is fixed."""
    page, ident, field = place.page, place.ident, place.field
    if page == "question":
        return url_for("staff.builder_question", draft_id=draft_id, qid=ident) + f"#{field}"
    if page == "choices":
        return url_for("staff.builder_choices", draft_id=draft_id, qid=ident, which=field)
    if page == "condition":
        return url_for("staff.builder_condition", draft_id=draft_id, target=ident)
    if page == "section":
        return url_for("staff.builder_section", draft_id=draft_id, sid=ident) + f"#{field}"
    if page == "demographics":
        return url_for("staff.builder_demographics", draft_id=draft_id)
    if page == "translations":
        return url_for("staff.builder_translations", draft_id=draft_id) + "#missing"
    return url_for("staff.builder_settings", draft_id=draft_id) + f"#{field}"
