"""The partner report behind the partner page of the groups still needed, made once as a background job.

The page (survey/staff/partner_needs.py) needs the partner report (survey.services.reporting.make_report,
audience partner, not kept as a snapshot) as of the questionnaire's last release point: its flags and hidden
cells decide which groups and need bands a partner may see (survey.services.partner_needs). At 100,000
responses making it takes about 23 s, too long for a web request, so it is a job of kind `partner_report`
(survey/services/jobs/partner.py) whose result, the report as JSON (`report_to_dict`; `null` when no partner
report can be made, for example before the reference population loads), is kept on the job.

One job per key: the questionnaire, its version, the release point and the set of released responses (a
digest of their ids). The key is unique in the jobs table, so however many partners load the page at once,
in however many processes, one job is made and every process reads its result. The released set changes
only in steps (the release point moves in whole days by at least the threshold) or when moderation leaves
a response out, so a key stays valid, and its report is read from the database, until then.

`report_of(...)` gives the page the stored report, or raises `Pending` with the job to show while it is
queued, running or has failed. A job that left no result for another reason (cancelled, or its file deleted
by an erasure or retention) is queued again at once; a failed one only when someone asks (`retry`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from survey.services import jobs
from survey.store import repository_jobs
from survey.store.db import Session
from survey.store.models_jobs import Job

KIND = "partner_report"
CREATED_BY = "partner page"


def responses_digest(ids: Iterable[int]) -> str:
    """A digest of a set of response ids (order does not matter)."""
    return hashlib.sha256(",".join(str(i) for i in sorted(ids)).encode()).hexdigest()


def key_of(questionnaire_id: str, version: str, point: date, digest: str) -> str:
    """The job key of the partner report of one questionnaire version, release point and released set."""
    whole = json.dumps([KIND, questionnaire_id, version, point.isoformat(), digest])
    return f"{KIND}:{hashlib.sha256(whole.encode()).hexdigest()}"


class Pending(Exception):
    """The partner report is not ready: its job is queued or running, or it failed (status "failed")."""

    def __init__(self, job: Job) -> None:
        super().__init__(f"job {job.id} is {job.status}")
        self.job = job

    @property
    def failed(self) -> bool:
        return self.job.status == "failed"


def report_of(
    *,
    session: Session,
    questionnaire_id: str,
    version: str,
    point: date,
    ids: Iterable[int],
    retry: bool = False,
) -> dict[str, Any] | None:
    """The partner report (report_to_dict) as of `point` made from the responses `ids`, or None when no
    partner report can be made for them; raises Pending while its job has not finished with a result.

    Asks for the job when there is none; `retry`: a failed job is queued again too."""
    digest = responses_digest(ids)
    key = key_of(questionnaire_id, version, point, digest)
    job = repository_jobs.job_by_key(session=session, dedupe_key=key, with_result=True)
    if job is None:
        job = jobs.submit_once(
            session=session,
            dedupe_key=key,
            kind=KIND,
            questionnaire_id=questionnaire_id,
            params={"version": version, "as_of": point.isoformat(), "responses": digest},
            created_by=CREATED_BY,
        )
    elif _left_nothing(job) or (retry and job.status == "failed"):
        assert job.id is not None
        jobs.reopen(session=session, job_id=job.id)
    else:
        return _ready(job)
    found = repository_jobs.job_by_key(session=session, dedupe_key=key, with_result=True)
    assert found is not None
    return _ready(found)  # a job run in the request (SURVEY_JOBS_WORKER=immediate) is ready already


def _left_nothing(job: Job) -> bool:
    return job.status == "cancelled" or (job.status == "done" and job.result is None)


def _ready(job: Job) -> dict[str, Any] | None:
    if job.status != "done" or job.result is None:
        raise Pending(job)
    doc: dict[str, Any] | None = json.loads(job.result)
    return doc
