"""Shared by the staff theme pages: the question asked, the codebook in use (and where it came from), answers.

Nothing here is kept in process memory between requests: every page reads the database (and the instance
folder's codebook files) afresh, so any number of workers and hosts agree on the codebook in use.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import abort, current_app

from analysis.text import (
    Codebook,
    CodebookError,
    Problem,
    codebook_for,
    codebook_from_dict,
    codebook_to_dict,
    free_text_answers,
    free_text_questions,
    validate_codebook_dict,
)
from survey.engine import Question, Questionnaire
from survey.staff import audit
from survey.staff.auth import current_staff
from survey.staff.dashboard import current_or_404
from survey.store import repository
from survey.store import repository_themes as repo
from survey.store.db import get_session
from survey.store.models import QuestionnaireVersion
from survey.store.models_themes import CodebookVersion

CODEBOOK_FOLDER = "codebooks"  # instance/codebooks/*.json, read by analysis.text.codebook_for
SOURCES = {
    "staff": "saved by staff on this site",
    "file": "a codebook file in the instance folder (instance/codebooks)",
    "shipped": "the codebook shipped with the service",
}


@dataclass(frozen=True)
class InUse:
    """The codebook a questionnaire's answers are tagged with, where it came from, and any warnings."""

    codebook: Codebook
    source: str  # staff | file | shipped
    row: CodebookVersion | None
    warnings: tuple[str, ...] = ()

    @property
    def source_text(self) -> str:
        """Where the codebook came from, in words."""
        return SOURCES[self.source]


def codebook_folder() -> Path:
    """The instance folder whose codebook files `codebook_for` reads."""
    return Path(current_app.instance_path) / CODEBOOK_FOLDER


def _file_codebook(questionnaire_id: str) -> tuple[Codebook, str, list[str]]:
    shipped = codebook_for(questionnaire_id)
    folder = codebook_folder()
    if not folder.is_dir():
        return shipped, "shipped", []
    try:
        found = codebook_for(questionnaire_id, folders=[folder])
    except CodebookError as error:
        notes = [f"A codebook file in the instance folder is not used because it has problems: {p}"
                 for p in error.problems]
        return shipped, "shipped", notes
    return found, ("shipped" if found == shipped else "file"), []


def codebook_in_use(questionnaire_id: str) -> InUse:
    """The newest version staff saved, else a file in instance/codebooks, else the shipped codebook."""
    row = repo.latest_codebook(session=get_session(), questionnaire_id=questionnaire_id)
    from_file, source, warnings = _file_codebook(questionnaire_id)
    if row is None:
        return InUse(from_file, source, None, tuple(warnings))
    try:
        stored = codebook_from_dict(row.definition, f"saved version {row.version}")
    except CodebookError as error:  # stored versions are validated; a later format change could still bite
        warnings.append(f"The saved codebook version {row.version} cannot be used: {error}")
        return InUse(from_file, source, None, tuple(warnings))
    if source == "file" and from_file.version != stored.version:
        warnings.append(
            f"The codebook file in the instance folder (version {from_file.version}) is not in use: the "
            f"version saved here ({stored.version}) is. To use the file, upload it on the codebook page."
        )
    return InUse(stored, "staff", row, tuple(warnings))


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
        row = repo.save_codebook_version(session=get_session(), questionnaire_id=questionnaire_id,
                                         definition=data, created_by=staff_name(), note=note)
    except repo.VersionTaken:
        return None, [f"Someone else saved version {codebook.version} of this codebook a moment ago. Nothing "
                      "was saved: look at the current version and make your change again."]
    audit.record(action, questionnaire=questionnaire_id, codebook=codebook.id,
                 version={"old": old.version, "new": codebook.version}, **details)
    return row, []


def stale(in_use: InUse, base_version: str | None) -> str | None:
    """A message when the codebook changed since the form was shown (its version then was `base_version`)."""
    if base_version and base_version != in_use.codebook.version:
        return (f"The codebook changed while you were working (it is now version {in_use.codebook.version}, "
                f"you started from {base_version}). Nothing was saved: check the page and try again.")
    return None


def text_question_or_404(
    questionnaire_id: str, question_id: str
) -> tuple[QuestionnaireVersion, Questionnaire, Question]:
    """The questionnaire and one of its free-text questions; 404 for anything else."""
    row, q = current_or_404(questionnaire_id)
    if question_id not in free_text_questions(q.raw):
        abort(404)
    return row, q, q.question(question_id)


def text_questions(q: Questionnaire) -> list[Question]:
    """The questionnaire's free-text questions, in order."""
    return [q.question(qid) for qid in free_text_questions(q.raw)]


def answers_to(q: Questionnaire, question_id: str) -> list[tuple[int, str]]:
    """(response id, text) of every complete response's answer to a free-text question, by response id."""
    responses = repository.responses_for_report(session=get_session(), questionnaire_id=q.id)
    found = free_text_answers(responses, q.raw, question_ids=[question_id])
    return sorted((int(rid), text) for rid, text in found)


def problem_lines(problems: Sequence[Problem]) -> list[dict[str, str]]:
    """Codebook problems as rows for the page: the JSON path and the message."""
    return [{"path": p.path or "/", "message": p.message} for p in problems]
