"""`survey worker` (run background jobs) and `survey jobs list|show|cancel`."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import current_app
from flask.cli import with_appcontext

from survey.services import jobs
from survey.store import repository_jobs
from survey.store.db import Session, get_engine


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty instead of waiting for more jobs.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs (reports, exports, imports, retention) until stopped.

    In production (SURVEY_JOBS_WORKER=none) the web only enqueues and one or more of these run the jobs;
    stop with SIGTERM or Ctrl-C (the job in hand finishes first).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    queue = jobs.queue_of(app)
    if queue.mode == "immediate":
        raise click.ClickException(
            "SURVEY_JOBS_WORKER=immediate runs jobs where they are asked for: "
            "there is no queue for a worker to read"
        )
    stop = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        click.echo(f"Stopping after the job in hand ({signal.Signals(signum).name})", err=True)
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    click.echo(f"Worker started: jobs from {queue.description}", err=True)

    def _seen(task: object) -> None:
        click.echo(f"Running {task}", err=True)

    jobs.work(app, stop, on_job=_seen, until_empty=burst)
    click.echo("Worker stopped", err=True)


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs: list them, show one, cancel one."""


@jobs_group.command("list")
@click.option("--limit", default=20, show_default=True, help="How many of the newest jobs to list.")
@with_appcontext
def list_command(limit: int) -> None:
    """The newest jobs: id, kind, questionnaire, status, progress, who asked and when."""
    with Session(get_engine()) as session:
        found = repository_jobs.recent_jobs(session=session, limit=limit)
        if not found:
            click.echo("No jobs yet.")
        for job in found:
            click.echo(
                f"{job.id:>6}  {job.kind:<10} {job.questionnaire_id or '-':<20} {job.status:<9} "
                f"{job.progress:>3}%  {job.created_by}  {job.created_at:%Y-%m-%d %H:%M}  "
                f"{job.message}"
            )


@jobs_group.command("show")
@click.argument("job_id", type=int)
@with_appcontext
def show_command(job_id: int) -> None:
    """One job in full (its error when it failed)."""
    with Session(get_engine()) as session:
        job = repository_jobs.job_by_id(session=session, job_id=job_id)
        if job is None:
            raise click.ClickException(f"there is no job {job_id} (survey jobs list shows them)")
        for name in (
            "id",
            "kind",
            "questionnaire_id",
            "status",
            "progress",
            "message",
            "attempts",
            "recoveries",
            "worker",
            "created_by",
            "created_at",
            "started_at",
            "heartbeat_at",
            "finished_at",
            "result_name",
            "error",
        ):
            click.echo(f"{name:<17} {getattr(job, name)}")
        click.echo(f"{'params':<17} {job.params}")


@jobs_group.command("cancel")
@click.argument("job_id", type=int)
@with_appcontext
def cancel_command(job_id: int) -> None:
    """Cancel a job: at once if it has not started, at its next step if it is running."""
    with Session(get_engine()) as session:
        status = jobs.cancel(session=session, job_id=job_id)
    if status is None:
        raise click.ClickException(f"there is no job {job_id} (survey jobs list shows them)")
    click.echo(f"Job {job_id}: {status}")
