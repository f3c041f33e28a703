"""Job body for the partner report behind the partner page of the groups still needed (/staff/partner).

The page asks for it once per questionnaire version, release point and set of released responses
(survey/services/partner_reports.py, which also reads the result back). The body checks that the key still
describes the database before and after making the report, so a result never stands for responses other
than those its key names; progress moves in fixed steps (never with counts of responses: partners see it).
"""

from __future__ import annotations

import json
from datetime import date

from survey.services.jobs import JobError, Outcome, Progress
from survey.services.partner_reports import CREATED_BY, responses_digest
from survey.services.reporting import ReportProblem, make_report
from survey.store import repository
from survey.store.db import Session, get_engine
from survey.store.models_jobs import Job
from survey.store.repository_dashboard import released_response_ids

CHANGED = "The released responses changed while the figures were made; the page asks again for the new ones"


def _check(session: Session, job: Job) -> None:
    qid, params = str(job.questionnaire_id), job.params
    row = repository.current_questionnaire(session=session, questionnaire_id=qid)
    if row is None or row.version != params["version"]:
        raise JobError("The questionnaire changed (another version is running): the page asks again")
    ids = released_response_ids(
        session=session, questionnaire_id=qid, through=date.fromisoformat(params["as_of"])
    )
    if responses_digest(ids) != params["responses"]:
        raise JobError(CHANGED)


def run_partner_report(job: Job, progress: Progress) -> Outcome:
    """The partner report as of the release point (params: version, as_of, responses: the digest of the
    released ids) as JSON; `null` when no partner report can be made of them (as the page always did)."""
    from analysis.report import STEPS

    qid, day = str(job.questionnaire_id), date.fromisoformat(job.params["as_of"])
    done = iter(range(len(STEPS)))

    def step(_name: str) -> None:
        progress(15 + 75 * (next(done, len(STEPS) - 1) + 1) // len(STEPS), "Making the partner report")

    problem = None
    with Session(get_engine(), expire_on_commit=False) as session:
        progress(5, "Checking the released responses")
        _check(session, job)
        progress(10, "Reading the responses")
        try:
            made = make_report(
                session=session,
                questionnaire_id=qid,
                kind="interim",
                fmt="json",
                as_of=day,
                created_by=CREATED_BY,
                keep=False,
                on_step=step,
                audience="partner",
            )
            data = made.data
        except ReportProblem as error:  # no partner report: the page lists no group
            problem, data = error.code, json.dumps(None).encode()
        progress(95, "Checking the released responses again")
        _check(session, job)
    summary = {"as_of": day.isoformat(), "version": job.params["version"], "problem": problem}
    return Outcome(
        "The partner figures are ready" if problem is None else f"No partner report ({problem})",
        data,
        f"{qid}-partner-figures-{day.isoformat()}.json",
        "application/json",
        summary,
    )
