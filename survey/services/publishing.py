"""Publishing a questionnaire version: the checks before it (shared by the JSON upload, the spreadsheet
upload and the builder), the suggested version number, and storing it with its audit event."""

from __future__ import annotations

from typing import Any

from survey.config import today
from survey.engine import Questionnaire, ReferenceCatalogue, validate_dict
from survey.services import audit
from survey.services.questionnaire_diff import next_version
from survey.services.reference import imported_reference_dir
from survey.services.reference_catalogue import reference_catalogue
from survey.services.words import gettext
from survey.store import repository
from survey.store import repository_staff as repo
from survey.store.db import Session
from survey.store.models import QuestionnaireVersion
from survey.store.models_staff import StaffUser


def known_references() -> ReferenceCatalogue:
    """The reference populations of this deployment (shipped and imported), to check census mappings."""
    return reference_catalogue(imported_reference_dir())


def publish_problems(session: Session, data: Any, filename: str) -> tuple[list[str], Questionnaire | None]:
    """Why this definition cannot be published (empty when it can), and the questionnaire when it reads."""
    result = validate_dict(data, filename, references=known_references())
    if not result.ok or result.questionnaire is None:
        return [str(problem) for problem in result.errors], None
    q = result.questionnaire
    stored = repository.questionnaire_version(session=session, questionnaire_id=q.id, version=q.version)
    if stored is not None and stored.definition != data:
        return [
            gettext(
                "Version %(version)s of %(id)s is already published with different content: give the changed "
                "questionnaire a new version number (responses keep the version they answered)",
                version=q.version,
                id=q.id,
            )
        ], q
    if stored is not None:
        return [
            gettext(
                "Version %(version)s of %(id)s is already published with exactly this content",
                version=q.version,
                id=q.id,
            )
        ], q
    return [], q


def taken_versions(session: Session, questionnaire_id: str) -> set[str]:
    """Every version number already published for the questionnaire."""
    return {
        v.version for v in repo.questionnaire_versions(session=session, questionnaire_id=questionnaire_id)
    }


def suggested_version(session: Session, definition: dict[str, Any]) -> str:
    """The draft's own version if unused, else the next free one after the highest published."""
    qid = str(definition.get("id"))
    own = str(definition.get("version") or "0.1.0")
    taken = taken_versions(session, qid)
    if own not in taken:
        return own
    current = repository.current_questionnaire(session=session, questionnaire_id=qid)
    return next_version(current.version if current else own, taken)


def publish(
    session: Session, q: Questionnaire, *, actor: StaffUser | str, source: str, **details: Any
) -> QuestionnaireVersion:
    """Store a checked questionnaire as the current version and record who published it from where."""
    previous = repository.current_questionnaire(session=session, questionnaire_id=q.id)
    row, _action = repository.store_questionnaire(session=session, definition=q.raw, loaded_on=today())
    audit.record(
        "questionnaire.publish",
        questionnaire=q.id,
        actor=actor,
        session=session,
        file=source,
        version={"old": previous.version if previous else None, "new": q.version},
        **details,
    )
    return row
