"""`survey retention apply [--commit]`: delete what each questionnaire's retention setting says, once due."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from survey.config import today
from survey.services import audit, retention
from survey.store.db import Session, get_engine


@click.group("retention")
def retention_group() -> None:
    """Apply the retention dates set on questionnaires."""


@retention_group.command("apply")
@click.option("--commit", is_flag=True, help="Delete for real (without it, only say what would be deleted).")
@with_appcontext
def apply_command(commit: bool) -> None:
    """Say what is due for deletion; with --commit, delete it (audited; safe to run again)."""
    day = today()
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
    if not commit and any(r.removes_anything for r in due):
        click.echo(
            "This was a dry run: nothing was deleted. Run `survey retention apply --commit` to delete."
        )
