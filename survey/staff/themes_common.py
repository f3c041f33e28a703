"""Shared by the staff theme pages: the question asked, the codebook in use and its source, the answers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import abort

from analysis.text import (
    Codebook,
    Problem,
    codebook_to_dict,
    free_text_questions,
    validate_codebook_dict,
)
from survey.engine import Question, Questionnaire
from survey.services import codebooks, themes
from survey.services.codebooks import InUse
from survey.services.words import gettext
from survey.staff import audit
from survey.staff.auth import current_staff
from survey.staff.dashboard import current_or_404
from survey.store import repository_themes as repo
from survey.store.db import get_session
from survey.store.models import QuestionnaireVersion
from survey.store.models_themes import CodebookVersion


def codebook_in_use(questionnaire_id: str) -> InUse:
    """The codebook in use for this questionnaire (survey.services.codebooks: the one rule)."""
    return codebooks.codebook_in_use(session=get_session(), questionnaire_id=questionnaire_id)


def staff_name() -> str:
    """The signed-in member of staff's email, for 'saved by' columns."""
    user = current_staff()
    return user.email if user is not None else "unknown"


def store_codebook(
    questionnaire_id: str, codebook: Codebook, *, old: Codebook, action: str, note: str, **details: Any
) -> tuple[CodebookVersion | None, list[str]]:
    """Validate and save a new codebook version, audited; returns (row, []) or (None, error messages)."""
    data = codebook_to_dict(codebook)
    if questionnaire_id not in data.get("questionnaires", []):
        # A downloaded copy dropped into instance/codebooks then still serves this questionnaire.
        data["questionnaires"] = [*data.get("questionnaires", []), questionnaire_id]
    problems = validate_codebook_dict(data)
    if problems:
        return None, [f"{p.path or '/'}: {p.message}" for p in problems]
    try:
        row = repo.save_codebook_version(
            session=get_session(),
            questionnaire_id=questionnaire_id,
            definition=data,
            created_by=staff_name(),
            note=note,
        )
    except repo.VersionTaken:
        return None, [
            gettext(
                "Someone else saved version %(version)s of this codebook a moment ago. Nothing was saved: "
                "look at the current version and make your change again.",
                version=codebook.version,
            )
        ]
    audit.record(
        action,
        questionnaire=questionnaire_id,
        codebook=codebook.id,
        version={"old": old.version, "new": codebook.version},
        **details,
    )
    return row, []


def stale(in_use: InUse, base_version: str | None) -> str | None:
    """A message when the codebook changed since the form was shown (its version then was `base_version`)."""
    if base_version and base_version != in_use.codebook.version:
        return gettext(
            "The codebook changed while you were working (it is now version %(version)s, you started from "
            "%(base_version)s). Nothing was saved: check the page and try again.",
            version=in_use.codebook.version,
            base_version=base_version,
        )
    return None


def text_question_or_404(
    questionnaire_id: str, question_id: str
) -> tuple[QuestionnaireVersion, Questionnaire, Question]:
    """The questionnaire and one of its free-text questions; 404 for anything else."""
    row, q = current_or_404(questionnaire_id)
    if question_id not in free_text_questions(q):
        abort(404)
    return row, q, q.question(question_id)


def text_questions(q: Questionnaire) -> list[Question]:
    """The questionnaire's free-text questions, in order."""
    return [q.question(qid) for qid in free_text_questions(q)]


def answers_to(q: Questionnaire, question_id: str) -> list[tuple[int, str]]:
    """(response id, text) of every complete response's answer to a free-text question, by response id."""
    return themes.question_answers(
        session=get_session(), questionnaire_id=q.id, questionnaire=q, question_id=question_id
    )


def problem_lines(problems: Sequence[Problem]) -> list[dict[str, str]]:
    """Codebook problems as rows for the page: the JSON path and the message."""
    return [{"path": p.path or "/", "message": p.message} for p in problems]
