"""The codebook a questionnaire's free text is tagged with, and where it came from.

Nothing here is kept in process memory between requests: every call reads the database (and the instance
folder's codebook files) afresh, so any number of workers and hosts agree on the codebook in use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from analysis.text import Codebook, CodebookError, codebook_for, codebook_from_dict
from survey.engine.catalogue import N_
from survey.services.words import gettext
from survey.store import repository_themes as repo
from survey.store.db import Session
from survey.store.models_themes import CodebookVersion

CODEBOOK_FOLDER = "codebooks"  # instance/codebooks/*.json, read by analysis.text.codebook_for
SOURCES = {  # msgids (N_), translated by InUse.source_text
    "staff": N_("saved by staff on this site"),
    "file": N_("a codebook file in the instance folder (instance/codebooks)"),
    "shipped": N_("the codebook shipped with the service"),
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
        return gettext(SOURCES[self.source])


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
        notes = [
            gettext(
                "A codebook file in the instance folder is not used because it has problems: %(problem)s",
                problem=p,
            )
            for p in error.problems
        ]
        return shipped, "shipped", notes
    return found, ("shipped" if found == shipped else "file"), []


def codebook_in_use(*, session: Session, questionnaire_id: str) -> InUse:
    """The newest version staff saved, else a file in instance/codebooks, else the shipped codebook.

    The one rule for every face: staff pages, reports made on the web, by the command line or by a job.
    """
    row = repo.latest_codebook(session=session, questionnaire_id=questionnaire_id)
    from_file, source, warnings = _file_codebook(questionnaire_id)
    if row is None:
        return InUse(from_file, source, None, tuple(warnings))
    try:
        stored = codebook_from_dict(row.definition, gettext("saved version %(version)s", version=row.version))
    except CodebookError as error:  # stored versions are validated; a later format change could still bite
        warnings.append(
            gettext(
                "The saved codebook version %(version)s cannot be used: %(error)s",
                version=row.version,
                error=error,
            )
        )
        return InUse(from_file, source, None, tuple(warnings))
    if source == "file" and from_file.version != stored.version:
        warnings.append(
            gettext(
                "The codebook file in the instance folder (version %(file)s) is not in use: the version "
                "saved here (%(saved)s) is. To use the file, upload it on the codebook page.",
                file=from_file.version,
                saved=stored.version,
            )
        )
    return InUse(stored, "staff", row, tuple(warnings))
