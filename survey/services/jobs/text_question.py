"""The free-text question a theme job works on (suggestions, coding progress), or the job's error."""

from __future__ import annotations

from analysis.text import free_text_questions
from survey.engine import Questionnaire
from survey.services import questionnaires
from survey.services.jobs import JobError
from survey.store import repository
from survey.store.db import Session


def free_text_question(session: Session, qid: str, question: str) -> Questionnaire:
    """The questionnaire when `question` is one of its free-text questions; JobError (the job fails with its
    message) when the questionnaire is gone or the question is not free text."""
    row = repository.current_questionnaire(session=session, questionnaire_id=qid)
    if row is None:
        raise JobError(f"There is no questionnaire {qid!r} any more")
    q = questionnaires.definition(row)
    assert q is not None  # a full row carries its definition
    if question not in free_text_questions(q):
        raise JobError(f"{question!r} is not a free-text question of {qid}")
    return q
