"""Background jobs: heavy work (reports, exports, retention, theme suggestions) off the request path, on huey.

huey (https://huey.readthedocs.io) is the queue and the worker: retries, the worker loop and the storage of
queued tasks are its. Storage is chosen from the database: SQLite (the embedded default) keeps the queue
in `<instance>/jobs-queue.sqlite3` with huey's SqliteHuey (no extra server); Postgres keeps it in the same
database with huey's PostgresHuey (tables `huey_*`, LISTEN/NOTIFY). `SURVEY_JOBS_QUEUE_URL` may name another
(`sqlite:///path` or `postgresql://...`).

Who runs the jobs is `SURVEY_JOBS_WORKER`:
- `thread` (default outside production): each web process runs one worker thread, so `make run` needs
  nothing else; with several gunicorn workers each takes jobs from the same queue.
- `none` (default in production): the web only enqueues; `survey worker` (a separate process, or several)
  runs them.
- `immediate`: a job runs inside the call that enqueues it (tests; a one-shot script).

What staff see is the `jobs` table (survey/store/models_jobs.py): status, progress, cancel requests and the
finished file, written by the job through `Progress`. A job body is `def run(job, progress) -> Outcome`
registered in `KINDS`; it calls `progress(percent, message)` between steps, which raises `Cancelled` once
someone has asked to cancel. An exception fails the attempt; huey tries again (RETRIES times, RETRY_DELAY
seconds apart) and the job is marked failed after the last attempt, its error kept.

Liveness: claiming a job and every progress step set `jobs.heartbeat_at`. Every worker checks, at start and
each RECOVER_EVERY seconds, for jobs nobody will finish (`recover_abandoned`): running on a process gone
from this host, running and silent for SURVEY_JOBS_STALE_MINUTES, or queued that long and no longer on
huey's queue. Each is queued again once (`jobs.recoveries`), then failed with STOPPED, which its page
shows. Only the attempt that claimed a job may write to it (`attempts` is the fence), so a worker taken for
stopped that was only slow cannot overwrite the attempt that replaced it.

Results: a done job of a kind in SERVED deletes the results of the older done jobs of its family (the page
shows only the newest); `survey retention apply` expires finished jobs' files after SURVEY_JOBS_KEEP_DAYS
(survey.services.retention.expire_job_files).
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app, has_app_context

from survey.store import repository_jobs as repo
from survey.store.db import Session, get_engine
from survey.store.models_jobs import Job

log = logging.getLogger(__name__)
EXTENSION_KEY = "survey_jobs"
RETRIES = 2
RETRY_DELAY = 5
STALE_MINUTES = 30  # a job silent this long (no progress step, not on the queue) is taken as stopped
KEEP_DAYS = 30  # SURVEY_JOBS_KEEP_DAYS: days a finished job's file is kept (0: for ever)
MAX_RECOVERIES = 1  # a stopped job is queued again once; the next time it fails with STOPPED
STOPPED = "The job stopped without finishing; start it again."
RECOVER_EVERY = 60.0  # seconds between a worker's checks for jobs whose worker stopped
MODES = ("thread", "none", "immediate")
# kind -> "module:function" of its body (imported when a job of that kind runs, not at start-up)
KINDS: dict[str, str] = {
    "report": "survey.services.jobs.reports:run_report",
    "export": "survey.services.jobs.reports:run_export",
    "retention": "survey.services.jobs.retention:run_retention",
    "suggestions": "survey.services.jobs.suggestions:run_suggestions",
    "partner_report": "survey.services.jobs.partner:run_partner_report",
    "coding_progress": "survey.services.jobs.coding:run_coding_progress",
}
# Kinds whose pages show only the newest done job of a family (the questionnaire and these params): the
# partner page its partner figures, the themes page a question's suggestions, the coding page its progress
# estimate. When one is done the older
# ones' results are deleted (superseded), and the newest is kept past SURVEY_JOBS_KEEP_DAYS.
SERVED: dict[str, tuple[str, ...]] = {
    "partner_report": (),
    "suggestions": ("question",),
    "coding_progress": ("question",),
}
SUPERSEDED = "Replaced by newer results (job {job_id}); its file was deleted"


_MAKING = threading.Lock()


class Cancelled(Exception):
    """Someone asked the job to stop; raised by `Progress` at the job's next step."""


class JobError(Exception):
    """The job cannot be done (bad input found only when it ran): failed at once, not tried again."""


@dataclass(frozen=True)
class Outcome:
    """What a finished job leaves: a file to download (or none) and a few numbers for its page."""

    message: str
    result: bytes | None = None
    name: str | None = None
    content_type: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)


class Progress:
    """Reports a running job's progress to the jobs table and stops it when a cancel was asked for."""

    def __init__(self, session: Session, job_id: int, attempt: int | None = None) -> None:
        self.session, self.job_id, self.attempt = session, job_id, attempt

    def __call__(self, percent: int, message: str) -> None:
        """Record a step (and the job's heartbeat); raises Cancelled when asked to stop, or when the job is
        no longer this attempt's (taken as stopped and queued again elsewhere)."""
        if repo.set_progress(
            session=self.session,
            job_id=self.job_id,
            progress=percent,
            message=message,
            now=_now(),
            attempt=self.attempt,
        ):
            raise Cancelled


def _now() -> datetime:
    return datetime.now(UTC)


def worker_id() -> str:
    """This process as the jobs table records who runs a job: host:pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _gone(worker: str | None) -> bool:
    """True when `worker` (host:pid) ran on this host and that process no longer exists."""
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite hands back naive UTC
        return moment.replace(tzinfo=UTC)
    return moment


def last_seen(job: Job) -> datetime | None:
    """The job's last sign of life: its heartbeat (set when claimed, at each progress step, when queued
    again), else when it started, else when it was asked for."""
    return _aware(job.heartbeat_at or job.started_at or job.created_at)


def _whole_setting(config: Any, name: str, default: int, least: int, unit: str) -> int:
    """A whole-number setting of at least `least`, or a ConfigurationError naming it and its value."""
    value = config.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = least - 1
    if number < least:
        from survey.config import ConfigurationError

        raise ConfigurationError(f"{name} must be a whole number of {unit}, not {value!r}")
    return number


def stale_after(app: Flask) -> timedelta:
    """SURVEY_JOBS_STALE_MINUTES (default STALE_MINUTES), checked."""
    minutes = _whole_setting(app.config, "SURVEY_JOBS_STALE_MINUTES", STALE_MINUTES, 1, "minutes, 1 or more")
    return timedelta(minutes=minutes)


def keep_days(config: Any) -> int:
    """SURVEY_JOBS_KEEP_DAYS from an app's config (default KEEP_DAYS), checked; 0 keeps files for ever."""
    return _whole_setting(config, "SURVEY_JOBS_KEEP_DAYS", KEEP_DAYS, 0, "days, 0 (keep for ever) or more")


def _on_queue(queue: Queue) -> set[int]:
    """Ids of the jobs huey still holds: waiting on the queue or scheduled (a retry, not yet due)."""
    held: set[int] = set()
    for task in [*queue.huey.pending(), *queue.huey.scheduled()]:
        args = getattr(task, "args", None) or ()
        if args and isinstance(args[0], int):
            held.add(args[0])
    return held


def _lost(job: Job, stale: timedelta, held: set[int] | None) -> bool:
    """True when nobody will finish `job`: running, and its worker's process is gone from this host or it
    has given no sign of life for `stale`; or queued for `stale` and no longer on huey's queue (`held`)."""
    seen = last_seen(job)
    silent = seen is None or _now() - seen > stale
    if job.status == "running":
        return _gone(job.worker) or silent
    return job.status == "queued" and silent and held is not None and job.id not in held


def recover_abandoned(app: Flask) -> list[int]:
    """Deal with every job nobody will finish (see `_lost`): a worker killed mid-job, a web process
    restarted in `thread` mode, a queue emptied or lost. Each is queued again once (its attempts kept);
    the next time, or when it has had all its attempts, it fails with STOPPED, which its page shows; one
    someone had asked to cancel is cancelled. Guarded by what was read, so of several workers checking at
    once one acts, and a job that moved on meanwhile is left alone. Returns the ids queued again."""
    stale = stale_after(app)
    queue = queue_of(app)
    queued: list[int] = []
    with app.app_context(), Session(get_engine(app), expire_on_commit=False) as session:
        unfinished = repo.unfinished_jobs(session=session)
        waiting = [job for job in unfinished if job.status == "queued"]
        held = _on_queue(queue) if waiting and queue.mode != "immediate" else None
        for job in unfinished:
            if not _lost(job, stale, held):
                continue
            again = job.recoveries < MAX_RECOVERIES and job.attempts < 1 + RETRIES
            outcome = repo.recover_lost(session=session, job=job, now=_now(), requeue=again, error=STOPPED)
            if outcome == "queued" and job.id is not None:
                queue.task(job.id)
                queued.append(job.id)
            if outcome is not None:
                log.warning(
                    "job %s (%s, %s, worker %s) stopped without finishing: %s",
                    job.id,
                    job.kind,
                    job.status,
                    job.worker,
                    outcome,
                )
    return queued


def _body(kind: str) -> Callable[[Job, Progress], Outcome]:
    module, _, name = KINDS[kind].partition(":")
    function: Callable[[Job, Progress], Outcome] = getattr(importlib.import_module(module), name)
    return function


def execute(job_id: int, retries_left: int = 0) -> str:
    """Run one job in the current app context; returns its status afterwards. Raises to ask for a retry."""
    with Session(get_engine(), expire_on_commit=False) as session:
        if not repo.claim_job(session=session, job_id=job_id, now=_now(), worker=worker_id()):
            return "skipped"  # cancelled before it started, already finished, or unknown
        job = repo.job_by_id(session=session, job_id=job_id)
        assert job is not None
        attempt = job.attempts  # this run's: only it may write the job's progress and outcome
        progress = Progress(session, job_id, attempt)
        try:
            outcome = _body(job.kind)(job, progress)
        except Cancelled:
            session.rollback()
            repo.mark_cancelled(session=session, job_id=job_id, now=_now(), attempt=attempt)
            return "cancelled"
        except JobError as error:
            session.rollback()
            repo.fail_job(
                session=session, job_id=job_id, now=_now(), error=str(error), retrying=False, attempt=attempt
            )
            return "failed"
        except Exception as error:
            session.rollback()
            log.exception("job %s (%s) failed", job_id, job.kind)
            message = f"{type(error).__name__}: {error}"
            retrying = retries_left > 0
            if not repo.fail_job(
                session=session, job_id=job_id, now=_now(), error=message, retrying=retrying, attempt=attempt
            ):  # asked to stop meanwhile (no retry then), or no longer this attempt's (left to its owner)
                stopped = repo.mark_cancelled(session=session, job_id=job_id, now=_now(), attempt=attempt)
                return "cancelled" if stopped else "skipped"
            if retrying:
                raise  # huey schedules the retry
            return "failed"
        finished = repo.finish_job(
            session=session,
            job_id=job_id,
            now=_now(),
            result=outcome.result,
            result_name=outcome.name,
            result_type=outcome.content_type,
            summary=outcome.summary,
            message=outcome.message,
            attempt=attempt,
        )
        if not finished:  # asked to stop after its last step (staff, an erasure, retention): no file kept
            repo.mark_cancelled(session=session, job_id=job_id, now=_now(), attempt=attempt)
            return "cancelled"
        if job.kind in SERVED:
            repo.drop_superseded(
                session=session, job=job, same=SERVED[job.kind], why=SUPERSEDED.format(job_id=job_id)
            )
        return "done"


@dataclass
class Queue:
    """The app's huey instance and its one task, `run_job(job_id)`."""

    huey: Any
    task: Any
    mode: str
    description: str


def _queue_url(app: Flask) -> str:
    configured = str(app.config.get("SURVEY_JOBS_QUEUE_URL") or "")
    if configured:
        return configured
    database = str(app.config["DATABASE_URL"])
    if database.startswith("postgresql"):
        return database
    return f"sqlite:///{Path(app.instance_path) / 'jobs-queue.sqlite3'}"


def worker_mode(app: Flask) -> str:
    """SURVEY_JOBS_WORKER, checked; by default `none` in production and `thread` elsewhere."""
    mode = str(app.config.get("SURVEY_JOBS_WORKER") or "")
    if not mode:
        mode = "none" if app.config.get("SURVEY_ENV") == "production" else "thread"
    if mode not in MODES:
        from survey.config import ConfigurationError

        raise ConfigurationError(f"SURVEY_JOBS_WORKER must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def _create_queue_tables(storage: Any, attempts: int = 5) -> None:
    """huey's `huey_*` tables on Postgres, made if missing, by several processes starting at once.

    Postgres's `CREATE TABLE IF NOT EXISTS` is not safe against another session creating the same table
    at the same moment: one of them fails on the catalogue's unique index (seen with three app instances
    and a worker starting together). The loser tries again, and then finds the tables there.
    """
    from psycopg import errors

    races = (errors.UniqueViolation, errors.DuplicateTable, errors.DuplicateObject)
    for attempt in range(attempts):
        try:
            storage.initialize_schema()
            return
        except races:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def make_queue(app: Flask) -> Queue:
    """Build the huey instance the configuration asks for and register the job task on it.

    Postgres and SQLite storages create their tables (`huey_*`) on first use if they are missing.
    """
    import huey

    mode = worker_mode(app)
    url = _queue_url(app)
    if mode == "immediate":
        queue: Any = huey.MemoryHuey("survey", immediate=True)
        description = "in the request (immediate)"
    elif url.startswith("postgres"):
        from survey.store.db import libpq_conninfo

        queue = huey.PostgresHuey("survey", dsn=libpq_conninfo(url), results=False, create_tables=False)
        _create_queue_tables(queue.storage)
        description = "huey on Postgres"
    elif url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        queue = huey.SqliteHuey("survey", filename=str(path), results=False)
        description = f"huey on SQLite ({path.name})"
    else:
        from survey.config import ConfigurationError

        raise ConfigurationError(
            f"SURVEY_JOBS_QUEUE_URL must start with sqlite:/// or postgresql://, not {url.split(':')[0]!r}"
        )

    def run_job(job_id: int, task: Any = None) -> str:
        retries_left = int(getattr(task, "retries", 0) or 0)
        if has_app_context():
            return execute(job_id, retries_left)
        with app.app_context():
            return execute(job_id, retries_left)

    run_job.__module__, run_job.__qualname__ = __name__, "run_job"
    # immediate: a retry runs at once, in the same call; else SURVEY_JOBS_RETRY_SECONDS apart
    delay = 0 if mode == "immediate" else int(app.config.get("SURVEY_JOBS_RETRY_SECONDS", RETRY_DELAY))
    task = queue.task(retries=RETRIES, retry_delay=delay, context=True, name="survey.run_job")(run_job)
    return Queue(queue, task, mode, description)


def init_app(app: Flask) -> None:
    """Check the settings; the queue is made on first use (making the app connects to nothing). In `thread`
    mode this process's worker thread starts with its first request (after gunicorn has forked)."""
    stale_after(app)  # a wrong value stops the start, said plainly
    keep_days(app.config)
    if worker_mode(app) == "thread":
        started = threading.Event()

        @app.before_request
        def _start_worker_thread() -> None:
            if not started.is_set():
                started.set()
                start_worker_thread(app)


def queue_of(app: Flask | None = None) -> Queue:
    """The app's queue."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    with _MAKING:
        queue: Queue | None = app.extensions.get(EXTENSION_KEY)
        if queue is None:
            queue = app.extensions[EXTENSION_KEY] = make_queue(app)
    return queue


def close_queue(app: Flask) -> None:
    """Close the queue's database connections (tests, shutdown); it is made again on next use."""
    with _MAKING:
        queue: Queue | None = app.extensions.pop(EXTENSION_KEY, None)
    if queue is not None:
        queue.huey.storage.close()


def submit(
    *, session: Session, kind: str, questionnaire_id: str | None, params: dict[str, Any], created_by: str
) -> Job:
    """Record a job and put it on the queue; returns at once (in `immediate` mode: after it ran)."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = repo.create_job(
        session=session,
        kind=kind,
        questionnaire_id=questionnaire_id,
        params=params,
        created_by=created_by,
        now=_now(),
    )
    assert job.id is not None
    job_id = job.id
    queue_of().task(job_id)
    refreshed = repo.job_by_id(session=session, job_id=job_id)
    assert refreshed is not None
    return refreshed


def submit_once(
    *,
    session: Session,
    dedupe_key: str,
    kind: str,
    questionnaire_id: str | None,
    params: dict[str, Any],
    created_by: str,
) -> Job:
    """The job of `dedupe_key`: recorded and put on the queue by the first caller only (however many ask at
    once, in however many processes: the key is unique in the jobs table); every caller gets that job."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job, made = repo.create_job_once(
        session=session,
        dedupe_key=dedupe_key,
        kind=kind,
        questionnaire_id=questionnaire_id,
        params=params,
        created_by=created_by,
        now=_now(),
    )
    assert job.id is not None
    job_id = job.id
    if made:
        queue_of().task(job_id)
    refreshed = repo.job_by_id(session=session, job_id=job_id)
    assert refreshed is not None
    return refreshed


def reopen(*, session: Session, job_id: int) -> bool:
    """Queue a finished job that left no result (failed, cancelled, its file deleted) once more, as new;
    False (nothing queued) when another caller already did, or it is unfinished or done with its result."""
    if not repo.reopen_job(session=session, job_id=job_id, now=_now()):
        return False
    queue_of().task(job_id)
    return True


def cancel(*, session: Session, job_id: int) -> str | None:
    """Ask a job to stop (see repository_jobs.cancel_job); also revokes it on the queue if not yet taken."""
    return repo.cancel_job(session=session, job_id=job_id, now=_now())


def work(
    app: Flask,
    stop: threading.Event,
    *,
    poll_seconds: float = 0.5,
    on_job: Callable[[Any], None] | None = None,
    until_empty: bool = False,
) -> None:
    """Take jobs from the queue and run them until `stop` is set (the body of a worker thread or process);
    with `until_empty`, also stop once the queue is empty and no retry is waiting. A queue that cannot be
    reached (database down) is tried again every few seconds, never the end of the worker."""
    queue = None
    while queue is None and not stop.is_set():
        try:
            queue = queue_of(app)
        except Exception:
            log.exception("cannot open the job queue; trying again")
            stop.wait(poll_seconds * 10)
    checked = float("-inf")
    while queue is not None and not stop.is_set():
        if time.monotonic() - checked > RECOVER_EVERY:
            checked = time.monotonic()
            try:
                recover_abandoned(app)
            except Exception:
                log.exception("cannot check for abandoned jobs")
        try:
            _due_retries(queue)
            task = queue.huey.dequeue()
        except Exception:
            log.exception("cannot read the job queue")
            stop.wait(poll_seconds * 4)
            continue
        if task is None:
            if until_empty and not queue.huey.scheduled_count():
                return
            stop.wait(poll_seconds)
            continue
        if on_job is not None:
            on_job(task)
        try:
            queue.huey.execute(task)
        except Exception:  # huey logs the error and has already scheduled any retry
            log.debug("job task %s raised: %s", task.id, traceback.format_exc())


def _due_retries(queue: Queue) -> None:
    """Move retries whose time has come from huey's schedule back onto the queue."""
    for task in queue.huey.read_schedule():
        queue.huey.enqueue(task)


def start_worker_thread(app: Flask) -> threading.Thread:
    """A daemon thread running `work` in this process (the embedded default)."""
    stop = threading.Event()
    thread = threading.Thread(target=work, args=(app, stop), name="survey-jobs", daemon=True)
    thread.start()
    app.extensions[EXTENSION_KEY + "_thread"] = (thread, stop)
    return thread
