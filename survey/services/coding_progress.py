"""The coding page's per-theme progress estimate, worked out in a background job (kind `coding_progress`).

The estimate is the learner's 5-fold cross-validated agreement with the staff's codes
(survey.services.themes.agreement): about 60% of the coding page's first view when it was made in the request
(bench/RESULTS.md), so the page now shows the answers to code next at once and the estimate once its job is
done (survey/services/jobs/coding.py). The result, the agreement as JSON, is kept on the job.

One job per key: the questionnaire, the question, and digests of the answers, the codes and the codebook
(everything the estimate is computed from). A saved code is another key, so an estimate is never shown as
current for codes it was not made from; while the new one is worked out the page may show the newest
earlier estimate, labelled with the number of coded answers it was made from. The job checks the key
against what it reads: when the answers, codes or codebook changed after the page asked, it fails with
CHANGED (the page asks for the new key; the old one, should the codes come back to it, is queued again).

`estimate(...)` asks for the job when there is none, queues again one that left no result (cancelled,
superseded, or failed with CHANGED), and one failed otherwise only when someone asks (`retry`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.text import Codebook, codebook_to_dict
from analysis.text.evaluation import ThemeScore
from analysis.text.learning import Agreement
from survey.services import jobs
from survey.store import repository_jobs
from survey.store.db import Session
from survey.store.models_jobs import Job

KIND = "coding_progress"
# The error a coding progress job fails with when its answers, codes or codebook changed before it ran.
CHANGED = "The answers, codes or codebook changed before it ran"  # not translated: a stored job error
CREATED_BY = "coding page"  # not translated: the jobs table's creator name
LOOK_BACK = 50  # coding progress jobs of a questionnaire searched for a question's newest earlier estimate
MIN_CODED = 2  # fewer coded answers than this: nothing to cross-validate, no job


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def coded_answers(
    answers: Sequence[tuple[int, str]], codes: Mapping[int, Sequence[str]]
) -> list[tuple[int, list[str]]]:
    """The codes of the answers shown (codes of answers no longer there do not count), by response id."""
    return [(int(rid), list(codes[int(rid)])) for rid, _ in sorted(answers) if int(rid) in codes]


def key_of(
    questionnaire_id: str,
    question_id: str,
    answers: Sequence[tuple[int, str]],
    codes: Mapping[int, Sequence[str]],
    codebook: Codebook,
) -> str:
    """The job key of the estimate made from these answers, codes and codebook."""
    whole = [
        KIND,
        questionnaire_id,
        question_id,
        _digest(sorted([int(rid), text] for rid, text in answers)),
        _digest(coded_answers(answers, codes)),
        _digest(codebook_to_dict(codebook)),
    ]
    return f"{KIND}:{_digest(whole)}"


def agreement_to_dict(found: Agreement) -> dict[str, Any]:
    """An agreement as plain JSON (the job's result)."""
    return {
        "answers": found.answers,
        "folds": found.folds,
        "micro_f1": found.micro_f1,
        "macro_f1": found.macro_f1,
        "per_theme": [list(row) for row in found.per_theme],
        "scores": [[s.theme_id, s.precision, s.recall, s.f1, s.support] for s in found.scores],
    }


def agreement_from_dict(data: Mapping[str, Any]) -> Agreement:
    """`agreement_to_dict` read back."""
    return Agreement(
        answers=int(data["answers"]),
        folds=int(data["folds"]),
        micro_f1=float(data["micro_f1"]),
        macro_f1=float(data["macro_f1"]),
        per_theme=tuple((str(t), float(f1), int(n)) for t, f1, n in data["per_theme"]),
        scores=tuple(
            ThemeScore(str(t), float(p), float(r), float(f1), int(n)) for t, p, r, f1, n in data["scores"]
        ),
    )


@dataclass(frozen=True)
class Estimate:
    """What the coding page shows of the progress estimate.

    `agreement`: the estimate for the current answers, codes and codebook, when ready (else None);
    `job`: the job working it out, queued or running or failed (None when ready or when too few answers are
    coded); `earlier`: while it is not ready, the newest estimate made from other codes (or None)."""

    agreement: Agreement | None = None
    job: Job | None = None
    earlier: Agreement | None = None

    @property
    def failed(self) -> bool:
        return self.job is not None and self.job.status == "failed"

    @property
    def waiting(self) -> bool:
        return self.agreement is None and self.job is not None and not self.failed


def estimate(
    *,
    session: Session,
    questionnaire_id: str,
    question_id: str,
    answers: Sequence[tuple[int, str]],
    codes: Mapping[int, Sequence[str]],
    codebook: Codebook,
    retry: bool = False,
) -> Estimate:
    """The progress estimate of these answers, codes and codebook, or its job while it is worked out.

    Asks for the job when there is none (in SURVEY_JOBS_WORKER=immediate it runs here and the estimate is
    ready at once); `retry`: a failed job is queued again too."""
    coded = coded_answers(answers, codes)
    if len(coded) < MIN_CODED:
        return Estimate()
    key = key_of(questionnaire_id, question_id, answers, codes, codebook)
    job = repository_jobs.job_by_key(session=session, dedupe_key=key, with_result=True)
    if job is None:
        jobs.submit_once(
            session=session,
            dedupe_key=key,
            kind=KIND,
            questionnaire_id=questionnaire_id,
            params={"question": question_id, "coded": len(coded), "codebook_version": codebook.version},
            created_by=CREATED_BY,
        )
    elif _left_nothing(job) or (retry and job.status == "failed"):
        assert job.id is not None
        jobs.reopen(session=session, job_id=job.id)
    else:
        return _of(session, job, questionnaire_id, question_id)
    found = repository_jobs.job_by_key(session=session, dedupe_key=key, with_result=True)
    assert found is not None
    return _of(session, found, questionnaire_id, question_id)


def ready(
    *,
    session: Session,
    questionnaire_id: str,
    question_id: str,
    answers: Sequence[tuple[int, str]],
    codes: Mapping[int, Sequence[str]],
    codebook: Codebook,
) -> Agreement | None:
    """The estimate of these answers, codes and codebook when its job has made it (asks for nothing)."""
    if len(coded_answers(answers, codes)) < MIN_CODED:
        return None
    key = key_of(questionnaire_id, question_id, answers, codes, codebook)
    job = repository_jobs.job_by_key(session=session, dedupe_key=key, with_result=True)
    if job is None or job.status != "done" or job.result is None:
        return None
    return agreement_from_dict(json.loads(job.result)["agreement"])


def _left_nothing(job: Job) -> bool:
    """Cancelled, superseded (its result deleted), or failed because the codes changed before it ran."""
    changed = job.status == "failed" and job.error == CHANGED
    return changed or job.status == "cancelled" or (job.status == "done" and job.result is None)


def _of(session: Session, job: Job, questionnaire_id: str, question_id: str) -> Estimate:
    if job.status == "done" and job.result is not None:
        return Estimate(agreement=agreement_from_dict(json.loads(job.result)["agreement"]))
    return Estimate(job=job, earlier=_earlier(session, questionnaire_id, question_id, job.id))


def _earlier(
    session: Session, questionnaire_id: str, question_id: str, not_id: int | None
) -> Agreement | None:
    """The newest estimate made for the question (from other codes) that still has its result."""
    mine = repository_jobs.jobs_of_kind(
        session=session, kind=KIND, questionnaire_id=questionnaire_id, limit=LOOK_BACK
    )
    for job in mine:
        if job.params.get("question") != question_id or job.status != "done" or job.id in (None, not_id):
            continue
        assert job.id is not None
        full = repository_jobs.job_by_id(session=session, job_id=job.id, with_result=True)
        if full is not None and full.result is not None:
            return agreement_from_dict(json.loads(full.result)["agreement"])
    return None
