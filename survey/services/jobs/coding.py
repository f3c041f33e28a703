"""The coding page's progress estimate as a background job (survey.services.coding_progress says why).

The job reads one free-text question's answers, the staff's codes and the codebook in use, checks that they
are still those of its key (else it fails with CHANGED: the page asks for the new key), and cross-validates
the learner on the codes (survey.services.themes.agreement, the same computation the page made before). The
agreement is kept as JSON on the job.
"""

from __future__ import annotations

import json

from survey.services import codebooks, themes
from survey.services.coding_progress import CHANGED, agreement_to_dict, coded_answers, key_of
from survey.services.jobs import JobError, Outcome, Progress
from survey.services.jobs.text_question import free_text_question
from survey.store import repository_themes
from survey.store.db import Session, get_engine
from survey.store.models_jobs import Job


def run_coding_progress(job: Job, progress: Progress) -> Outcome:
    """Estimate per theme how well the learner agrees with the staff's codes (params: question)."""
    qid, question = str(job.questionnaire_id), str(job.params.get("question", ""))
    with Session(get_engine(), expire_on_commit=False) as session:
        q = free_text_question(session, qid, question)
        progress(5, "Reading the answers and the codes")
        answers = themes.question_answers(
            session=session, questionnaire_id=qid, questionnaire=q, question_id=question
        )
        codebook = codebooks.codebook_in_use(session=session, questionnaire_id=qid).codebook
        codes = repository_themes.manual_codes(session=session, questionnaire_id=qid, question_id=question)
    coded = dict(coded_answers(answers, codes))
    summary = {
        "question": question,
        "answers": len(answers),
        "coded": len(coded),
        "codebook": codebook.version,
    }
    if key_of(qid, question, answers, coded, codebook) != job.dedupe_key:
        raise JobError(CHANGED)  # a done job would delete the earlier estimate (SERVED)
    progress(20, f"Cross-validating the model on {len(coded):,} coded answers")
    found = themes.agreement(answers, coded, codebook)
    if found is None:
        raise JobError("Fewer than two answers are coded: there is nothing to estimate yet")
    data = json.dumps({**summary, "agreement": agreement_to_dict(found)}, ensure_ascii=False)
    message = f"Estimated the agreement per theme from {len(coded):,} coded answers"
    return Outcome(message, data.encode("utf-8"), None, "application/json", summary)
