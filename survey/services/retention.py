"""Retention: on a questionnaire's retention date, delete free-text and sensitive answers, or whole responses.

Whatever else tells those answers goes too: the removed questions in a response's pages seen and last
question, analysts' hand-coded themes of them, the questionnaire's stored report snapshots (their files
and numbers quote free text and summarise what was removed), deleted whole, *including* those published on
the public results page (the dry run and the result say how many, and that the page then shows no report
until a new one is published), and the report and export files kept for download; report and export jobs
still running are stopped.

`run(session=..., today=..., commit=False)` says what it would remove (a dry run); with `commit=True` it
removes it, one questionnaire per transaction. Running it again removes nothing more (idempotent).

The same command and job also expire the files finished background jobs keep for download (reports,
exports, retention lists, partner figures, theme suggestions): `expire_job_files` deletes those finished
more than SURVEY_JOBS_KEEP_DAYS days ago (default 30; 0 keeps them), except the newest partner figures of a
questionnaire and the newest suggestions of a question, which their pages still show. The job stays, saying
that its file was deleted; a page that needs the result again asks for a new one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from survey.engine import Questionnaire
from survey.engine.catalogue import Nn_
from survey.engine.loader import build
from survey.services.erasure import FILE_WORDS, JOB_WORDS, plural
from survey.services.jobs import SERVED
from survey.services.words import gettext, ngettext
from survey.store import repository, repository_jobs, repository_paper
from survey.store import repository_retention as stored
from survey.store import repository_security as security_store
from survey.store import repository_staff as repo
from survey.store.db import Session, truncate_write_ahead_log
from survey.store.models import Response
from survey.store.models_staff import QuestionnaireSettings

log = logging.getLogger(__name__)
# Why a job's file is gone: stored with the job, like its other messages (English: no page's language).
EXPIRED_FILE = (
    "The file was deleted {days} days after it was made: ask for it again"  # not translated: stored
)


@dataclass(frozen=True)
class RetentionResult:
    """What retention removes (or would remove) from one questionnaire."""

    questionnaire_id: str
    retention_date: date
    policy: str
    due: bool
    responses_changed: int = 0
    answers_removed: int = 0
    responses_deleted: int = 0
    unknown_versions: tuple[str, ...] = ()
    codes_removed: int = 0
    reports_deleted: int = 0
    published_reports_deleted: int = 0  # of reports_deleted: on the public results page until now
    job_files_deleted: int = 0  # report and export files kept for download
    jobs_stopped: int = 0  # report and export jobs still queued or running (only when applied)
    suggestions_removed: int = 0  # decisions on suggested themes: their keys and labels are answers' words

    @property
    def removes_anything(self) -> bool:
        """True when there is something to remove."""
        return bool(
            self.responses_changed
            or self.answers_removed
            or self.responses_deleted
            or self.codes_removed
            or self.reports_deleted
            or self.job_files_deleted
            or self.suggestions_removed
        )


def removable_questions(q: Questionnaire) -> frozenset[str]:
    """Questions answered in the resident's own words, and questions that are (or sit in) sensitive parts."""
    free_text = {question.id for question in q.questions if question.type == "text"}
    return frozenset(free_text) | q.sensitive_question_ids


class _Definitions:
    """Removable question ids per stored version (None when a response's version is not stored)."""

    def __init__(self, session: Session, questionnaire_id: str) -> None:
        self.session, self.questionnaire_id = session, questionnaire_id
        self.found: dict[str, frozenset[str] | None] = {}

    def removable(self, version: str) -> frozenset[str] | None:
        if version not in self.found:
            row = repository.questionnaire_version(
                session=self.session, questionnaire_id=self.questionnaire_id, version=version
            )
            self.found[version] = removable_questions(build(row.definition)) if row else None
        return self.found[version]

    def removable_in_any_version(self) -> frozenset[str]:
        """Removable question ids of every stored version (hand coding is kept per question, not version)."""
        rows = repo.questionnaire_versions(session=self.session, questionnaire_id=self.questionnaire_id)
        return frozenset().union(*(removable_questions(build(row.definition)) for row in rows))


def _strip(session: Session, response: Response, ids: frozenset[str], commit: bool) -> int | None:
    """Remove answers to `ids` and every trace they were asked; answers removed (None: nothing to do)."""
    gone = [qid for qid in response.answers if qid in ids]
    visited = [qid for qid in response.visited if qid not in ids]
    last = None if response.last_question in ids else response.last_question
    if not gone and visited == list(response.visited) and last == response.last_question:
        return None
    if commit:  # the pages seen and the last one reached tell, too, who answered "yes" to open a section
        response.answers = {qid: value for qid, value in response.answers.items() if qid not in ids}
        response.visited, response.last_question = visited, last
        session.add(response)
    return len(gone)


def _strip_answers(session: Session, questionnaire_id: str, commit: bool) -> tuple[int, int, tuple[str, ...]]:
    """Remove free-text and sensitive answers: (responses changed, answers removed, unknown versions)."""
    definitions = _Definitions(session, questionnaire_id)
    changed = removed = 0
    unknown: set[str] = set()
    responses: list[Response] = repo.responses_of(session=session, questionnaire_id=questionnaire_id)
    for response in responses:
        ids = definitions.removable(response.questionnaire_version)
        if ids is None:
            unknown.add(response.questionnaire_version)
            continue
        gone = _strip(session, response, ids, commit)
        if gone is not None:
            changed += 1
            removed += gone
    return changed, removed, tuple(sorted(unknown))


def _suggestion_terms(session: Session, settings: QuestionnaireSettings, commit: bool) -> int:
    """Remove (or count) analysts' decisions on suggested themes of removed free-text questions.

    A suggestion's key and label are the strongest words of residents' answers ("landlord / mould"), so
    they go with the answers they came from.
    """
    qid = settings.questionnaire_id
    questions = (
        None
        if settings.retention_policy == "whole_responses"
        else _Definitions(session, qid).removable_in_any_version()
    )
    if commit:
        return security_store.delete_suggestion_decisions(
            session=session, questionnaire_id=qid, question_ids=questions
        )
    return security_store.count_suggestion_decisions(
        session=session, questionnaire_id=qid, question_ids=questions
    )


@dataclass(frozen=True)
class _Kept:
    """What else holds the removed answers: hand codes, stored reports (and how many are published), files."""

    codes: int
    reports: int
    published: int
    files: int
    stopped: int = 0


RETAINED_FILE = (  # not translated: stored with the job
    "The file was deleted by retention: it held answers past their retention date"
)


def _codes_and_reports(session: Session, settings: QuestionnaireSettings, commit: bool) -> _Kept:
    """Remove (or count) hand-coded themes of removed questions, the stored reports and the report and
    export files that quote or count them."""
    qid = settings.questionnaire_id
    questions = (
        None
        if settings.retention_policy == "whole_responses"
        else _Definitions(session, qid).removable_in_any_version()
    )
    # Reports and files made after an earlier run hold nothing removed; only older ones (normally none) go.
    applied = settings.retention_applied_on
    before = datetime.combine(applied, time(), tzinfo=UTC) if applied else None
    published = stored.count_published_snapshots(session=session, questionnaire_id=qid, made_before=before)
    if commit:
        return _Kept(
            codes=stored.delete_manual_codes(session=session, questionnaire_id=qid, question_ids=questions),
            reports=stored.delete_snapshots(session=session, questionnaire_id=qid, made_before=before),
            published=published,
            files=security_store.remove_job_files(
                session=session,
                where=security_store.job_files_where(questionnaire_id=qid, finished_before=before),
                why=RETAINED_FILE,
            ),
            stopped=security_store.stop_unfinished_jobs(
                session=session,
                questionnaire_id=qid,
                why="Stopped: retention removed answers it may have read",
            ),
        )
    return _Kept(
        codes=stored.count_manual_codes(session=session, questionnaire_id=qid, question_ids=questions),
        reports=stored.count_snapshots(session=session, questionnaire_id=qid, made_before=before),
        published=published,
        files=security_store.count_job_files(session=session, questionnaire_id=qid, finished_before=before),
    )


def run(*, session: Session, today: date, commit: bool) -> list[RetentionResult]:
    """Apply (or, without `commit`, only count) retention for every questionnaire whose date has come."""
    results: list[RetentionResult] = []
    for settings in repo.settings_with_retention(session=session):
        assert settings.retention_date is not None
        qid, policy, when = settings.questionnaire_id, settings.retention_policy, settings.retention_date
        if when > today:
            results.append(RetentionResult(qid, when, policy, due=False))
            continue
        kept = _codes_and_reports(session, settings, commit)
        suggestions = _suggestion_terms(session, settings, commit)
        base = RetentionResult(
            qid,
            when,
            policy,
            due=True,
            codes_removed=kept.codes,
            reports_deleted=kept.reports,
            published_reports_deleted=kept.published,
            job_files_deleted=kept.files,
            jobs_stopped=kept.stopped,
            suggestions_removed=suggestions,
        )
        if policy == "whole_responses":
            count = repo.count_responses(session=session, questionnaire_id=qid)
            if commit:
                count = repo.delete_responses(session=session, questionnaire_id=qid)
            result = replace(base, responses_deleted=count)
        else:
            changed, removed, unknown = _strip_answers(session, qid, commit)
            result = replace(
                base, responses_changed=changed, answers_removed=removed, unknown_versions=unknown
            )
        if commit:  # blind second entries of paper forms are copies of answers: they go too
            repository_paper.delete_second_entries(session=session, questionnaire_id=qid)
            settings.retention_applied_on = today
            session.add(settings)
            session.commit()
        results.append(result)
    if not commit:
        session.rollback()
    elif any(r.due for r in results) and not truncate_write_ahead_log(session):
        log.warning(
            "retention: the SQLite write-ahead log is in use and was not emptied; the next checkpoint does it"
        )
    return results


def describe(result: RetentionResult, *, commit: bool) -> str:
    """One line for people: what was (or would be) removed from a questionnaire (translated where the
    line is shown on a page; a job's or the command line's line is English)."""
    when = f"{result.retention_date:%Y-%m-%d}"
    qid = result.questionnaire_id
    if not result.due:
        return gettext("%(id)s: nothing yet (retention date %(date)s)", id=qid, date=when)
    if result.policy == "whole_responses":
        what = plural(result.responses_deleted, *WHOLE_RESPONSES)
    else:
        what = gettext(
            "%(answers)s from %(responses)s",
            answers=plural(result.answers_removed, *ANSWERS),
            responses=plural(result.responses_changed, *RESPONSES),
        )
    reports = plural(result.reports_deleted, *REPORTS)
    if result.published_reports_deleted:
        reports = ngettext(
            "%(reports)s (%(num)s of them published on the public results page, which then shows no report "
            "until a new one is published)",
            "%(reports)s (%(num)s of them published on the public results page, which then shows no report "
            "until a new one is published)",
            result.published_reports_deleted,
            reports=reports,
        )
    what = gettext(
        "%(what)s, %(themes)s, %(reports)s and %(files)s kept for download",
        what=what,
        themes=plural(result.codes_removed, *THEMES),
        reports=reports,
        files=plural(result.job_files_deleted, *FILE_WORDS),
    )
    if result.suggestions_removed:
        what = ngettext(
            "%(what)s (and %(num)s decision on suggested themes made of their words)",
            "%(what)s (and %(num)s decisions on suggested themes made of their words)",
            result.suggestions_removed,
            what=what,
        )
    if result.jobs_stopped:
        what = gettext("%(what)s; stopped %(jobs)s", what=what, jobs=plural(result.jobs_stopped, *JOB_WORDS))
    if commit:
        line = gettext("%(id)s: removed %(what)s (retention date %(date)s)", id=qid, what=what, date=when)
    else:
        line = gettext(
            "%(id)s: would remove %(what)s (retention date %(date)s)", id=qid, what=what, date=when
        )
    if result.unknown_versions:
        line = gettext(
            "%(line)s; skipped responses to versions not stored: %(versions)s",
            line=line,
            versions=", ".join(result.unknown_versions),
        )
    return line


# Counted things in its messages (singular and plural msgids, `%(num)s` the count).
WHOLE_RESPONSES = Nn_("%(num)s whole response", "%(num)s whole responses")
ANSWERS = Nn_("%(num)s free-text or sensitive answer", "%(num)s free-text or sensitive answers")
RESPONSES = Nn_("%(num)s response", "%(num)s responses")
REPORTS = Nn_("%(num)s stored report", "%(num)s stored reports")
THEMES = Nn_("%(num)s hand-coded theme", "%(num)s hand-coded themes")


def audit_details(result: RetentionResult) -> dict[str, Any]:
    """What a retention run's audit event records for one questionnaire (web and CLI alike)."""
    return {
        "questionnaire": result.questionnaire_id,
        "policy": result.policy,
        "retention_date": result.retention_date,
        "responses_changed": result.responses_changed,
        "answers_removed": result.answers_removed,
        "responses_deleted": result.responses_deleted,
        "hand_coded_themes_removed": result.codes_removed,
        "stored_reports_deleted": result.reports_deleted,
        "published_reports_deleted": result.published_reports_deleted,
        "job_files_deleted": result.job_files_deleted,
        "jobs_stopped": result.jobs_stopped,
        "suggested_theme_decisions_removed": result.suggestions_removed,
    }


@dataclass(frozen=True)
class Expiry:
    """Finished jobs' files deleted (or, in a dry run, that would be) for being older than `keep_days`."""

    keep_days: int
    files: int


def expire_job_files(*, session: Session, now: datetime, days: int, commit: bool) -> Expiry:
    """Delete (or, without `commit`, count) the files of jobs finished more than `days` days before `now`,
    except the newest of each family a page shows (survey.services.jobs.SERVED); `days` 0: none."""
    if days <= 0:
        return Expiry(days, 0)
    ids = repository_jobs.expiring_results(
        session=session, finished_before=now - timedelta(days=days), served=SERVED
    )
    if not commit:
        return Expiry(days, len(ids))
    removed = repository_jobs.remove_results(session=session, job_ids=ids, why=EXPIRED_FILE.format(days=days))
    session.commit()
    return Expiry(days, removed)


def describe_expiry(expiry: Expiry, *, commit: bool) -> str:
    """One line for people: the finished jobs' files deleted (or that would be) for their age."""
    if expiry.keep_days <= 0:
        return gettext("Files of finished jobs: kept for ever (SURVEY_JOBS_KEEP_DAYS=0)")
    if commit:
        return ngettext(
            "Files of finished jobs older than %(days)s days: deleted %(num)s file",
            "Files of finished jobs older than %(days)s days: deleted %(num)s files",
            expiry.files,
            days=expiry.keep_days,
        )
    return ngettext(
        "Files of finished jobs older than %(days)s days: would delete %(num)s file",
        "Files of finished jobs older than %(days)s days: would delete %(num)s files",
        expiry.files,
        days=expiry.keep_days,
    )
