"""Suggested new themes as a background job: the themes page's "suggest new themes" off the request path.

The job reads one free-text question's answers, tags them with the codebook in use (staff hand codes
count), and looks for groups among the answers no theme covers (analysis.text.suggest_themes, on a seeded
sample of at most SAMPLE_LIMIT of them). The suggestions are kept as JSON on the job; the themes page shows
the newest finished run for the question and every decision (accept, rename, merge, reject) works on it.
"""

from __future__ import annotations

import json
import random
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from analysis.text import (
    Suggestion,
    free_text_answers,
    suggest_themes,
    tag_answers,
    untagged,
)
from analysis.text.handcodes import with_staff_codes
from survey.services import codebooks
from survey.services.jobs import Outcome, Progress
from survey.services.jobs.text_question import free_text_question
from survey.services.reporting import read_responses
from survey.store import repository_jobs, repository_themes
from survey.store.db import Session, get_engine
from survey.store.models_jobs import FINISHED, Job

KIND = "suggestions"
SAMPLE_LIMIT = 4000  # discovery and the page's word cloud read at most this many answers (a seeded sample)
MIN_SIZE, MAX_THEMES = 5, 10
LOOK_BACK = 50  # suggestion jobs of a questionnaire searched for a question's newest


def sample(items: list[Any]) -> list[Any]:
    """At most SAMPLE_LIMIT of `items`, the same ones every time for the same items (seeded)."""
    return random.Random(2016).sample(items, SAMPLE_LIMIT) if len(items) > SAMPLE_LIMIT else items


def run_suggestions(job: Job, progress: Progress) -> Outcome:
    """Suggest new themes for one free-text question (params: question)."""
    qid, question = str(job.questionnaire_id), str(job.params.get("question", ""))
    with Session(get_engine(), expire_on_commit=False) as session:
        q = free_text_question(session, qid, question)
        progress(5, "Reading the answers")

        def arrived(count: int) -> None:
            progress(5 + min(30, count // 2000), f"Read {count:,} responses")

        responses = read_responses(session=session, questionnaire_id=qid, as_of=None, on_rows=arrived)
        answers = sorted(
            (int(rid), text) for rid, text in free_text_answers(responses, q, question_ids=[question])
        )
        del responses
        codebook = codebooks.codebook_in_use(session=session, questionnaire_id=qid).codebook
        codes = repository_themes.manual_codes(session=session, questionnaire_id=qid, question_id=question)
    progress(40, f"Tagging {len(answers):,} answers with the codebook")
    known = {rid for rid, _ in answers}
    staff = {rid: themes for rid, themes in codes.items() if rid in known}
    tagged = with_staff_codes(tag_answers(answers, codebook), dict(staff.items()))
    left = [(t.response_id, t.text) for t in untagged(tagged)]
    picked = sample(left)
    progress(60, f"Looking for groups among {len(picked):,} answers no theme covers")
    found = suggest_themes(picked, min_size=MIN_SIZE, max_themes=MAX_THEMES) if picked else ()
    summary = {
        "question": question,
        "codebook": codebook.id,
        "codebook_version": codebook.version,
        "answers": len(answers),
        "untagged": len(left),
        "sampled": len(picked) if len(picked) < len(left) else None,
        "suggestions": len(found),
    }
    data = json.dumps({**summary, "found": [asdict(s) for s in found]}, ensure_ascii=False).encode("utf-8")
    message = f"{len(found)} new theme(s) suggested from the {len(left):,} answers no theme covers"
    return Outcome(message, data, None, "application/json", summary)


@dataclass(frozen=True)
class Made:
    """A finished suggestion run: the suggestions and what they were made from."""

    job_id: int
    suggestions: tuple[Suggestion, ...]
    codebook_version: str
    answers: int
    untagged: int
    sampled: int | None
    finished_at: datetime | None
    created_by: str


def _suggestion(data: dict[str, Any]) -> Suggestion:
    return Suggestion(
        id=str(data["id"]),
        label=str(data["label"]),
        key_terms=tuple(data["key_terms"]),
        examples=tuple(data["examples"]),
        size=int(data["size"]),
        response_ids=tuple(data["response_ids"]),
        duplicate_of=data.get("duplicate_of"),
        similarity=float(data.get("similarity") or 0.0),
    )


def latest(*, session: Session, questionnaire_id: str, question_id: str) -> tuple[Made | None, Job | None]:
    """The newest finished run of a question's suggestions (None when there is none) and a run still
    queued or running that was asked for after it (None when there is none)."""
    jobs = repository_jobs.jobs_of_kind(
        session=session, kind=KIND, questionnaire_id=questionnaire_id, limit=LOOK_BACK
    )
    mine = [j for j in jobs if j.params.get("question") == question_id]
    pending = next((j for j in mine if j.status not in FINISHED), None)
    done = next((j for j in mine if j.status == "done"), None)
    if done is not None and pending is not None and pending.id is not None and done.id is not None:
        pending = pending if pending.id > done.id else None
    if done is None or done.id is None:
        return None, pending
    full = repository_jobs.job_by_id(session=session, job_id=done.id, with_result=True)
    if full is None or full.result is None:
        return None, pending
    data = json.loads(full.result)
    made = Made(
        job_id=done.id,
        suggestions=tuple(_suggestion(s) for s in data.get("found", [])),
        codebook_version=str(data.get("codebook_version", "")),
        answers=int(data.get("answers", 0)),
        untagged=int(data.get("untagged", 0)),
        sampled=data.get("sampled"),
        finished_at=full.finished_at,
        created_by=full.created_by,
    )
    return made, pending
