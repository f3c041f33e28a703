"""`survey retention apply [--commit]`: delete what each questionnaire's retention setting says, once due,
and the files of finished background jobs older than SURVEY_JOBS_KEEP_DAYS."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from survey.config import today
from survey.services import audit, jobs, retention
from survey.store.db import Session, get_engine


@click.group("retention")
def retention_group() -> None:
    """Apply the retention dates set on questionnaires."""


@retention_group.command("apply")
@click.option("--commit", is_flag=True, help="Delete for real (without it, only say what would be deleted).")
@with_appcontext
def apply_command(commit: bool) -> None:
    """Say what is due for deletion; with --commit, delete it (audited; safe to run again).

    Also the files finished background jobs keep for download, once older than SURVEY_JOBS_KEEP_DAYS."""
    day = today()
    days = jobs.keep_days(current_app.config)
    with Session(get_engine(), expire_on_commit=False) as session:
        results = retention.run(session=session, today=day, commit=commit)
        if not results:
            click.echo("No questionnaire has a retention date: set one on its staff page.")
        for result in results:
            click.echo(retention.describe(result, commit=commit))
        due = [r for r in results if r.due]
        if not due:  # the run itself is still on the record
            audit.record(
                "retention.apply" if commit else "retention.dry_run",
                actor=audit.CLI_ACTOR,
                session=session,
                questionnaires_due=0,
            )
        for result in due:
            audit.record(
                "retention.apply" if commit else "retention.dry_run",
                actor=audit.CLI_ACTOR,
                session=session,
                **retention.audit_details(result),
            )
        expiry = retention.expire_job_files(session=session, now=datetime.now(UTC), days=days, commit=commit)
        click.echo(retention.describe_expiry(expiry, commit=commit))
        if expiry.files:
            audit.record(
                "retention.apply" if commit else "retention.dry_run",
                actor=audit.CLI_ACTOR,
                session=session,
                job_files_expired=expiry.files,
                keep_days=expiry.keep_days,
            )
    if not commit and (expiry.files or any(r.removes_anything for r in due)):
        click.echo(
            "This was a dry run: nothing was deleted. Run `survey retention apply --commit` to delete."
        )
