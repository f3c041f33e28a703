"""`survey init-db`: create or upgrade the database (Alembic head) and load the bundled questionnaires."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from survey.config import today
from survey.engine import ReferenceCatalogue, validate_file
from survey.services.reference import imported_reference_dir
from survey.services.reference_catalogue import reference_catalogue
from survey.store import repository
from survey.store.db import Session, current_revision, describe_url, get_engine, upgrade_database

REFUSED = "refused"
INVALID = "invalid"


def load_questionnaires(folder: Path, references: ReferenceCatalogue | None = None) -> list[str]:
    """Validate and store every new version in questionnaires/*.json; one line per file (never raises for
    a bad file).

    A line starting "refused" is a file whose version is already stored with other content: it is left
    as stored and the other files still load (see `repository.load_bundled_questionnaire` for the rules).
    A line starting "invalid" is a file with errors, followed by one indented line per error; it is not
    loaded and the other files still are.
    """
    lines: list[str] = []
    files = sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json"))
    with Session(get_engine()) as session:
        for path in files:
            result = validate_file(path, references=references)
            questionnaire = result.questionnaire
            if questionnaire is None:
                lines.append(f"{INVALID:9} {path.name}: {len(result.errors)} error(s), not loaded")
                lines += [f"    {problem}" for problem in result.errors]
                continue
            row, action, note = repository.load_bundled_questionnaire(
                session=session, definition=questionnaire.raw, loaded_on=today()
            )
            line = f"{action:9} {row.questionnaire_id} version {row.version} ({path.name})"
            lines.append(f"{line} {note}" if note else line)
    return lines


@click.command("init-db")
@click.option("--no-questionnaires", is_flag=True, help="Only migrate; do not load questionnaires/*.json.")
@click.option(
    "--strict",
    is_flag=True,
    help="Exit with status 1 when a file is invalid or refused (its version is stored with other content).",
)
@with_appcontext
def init_db_command(no_questionnaires: bool, strict: bool) -> None:
    """Create or upgrade the database to the latest schema and load new bundled questionnaire versions.

    A file with errors is reported and not loaded, and so is a file whose version is already stored with
    different content; every other file loads and the command exits 0 so that `make run` starts with
    what is valid, unless --strict (exit 1).
    """
    shown, sqlite_file = describe_url(current_app.config["DATABASE_URL"])
    engine = get_engine()
    if sqlite_file is not None:
        sqlite_file.parent.mkdir(parents=True, exist_ok=True)
    before = current_revision(engine)
    click.echo(f"Database: {shown}")
    click.echo(f"Upgrading the schema from {before or 'empty'} to the latest revision")
    upgrade_database(engine)
    click.echo(f"Schema at {current_revision(engine)}")
    if no_questionnaires:
        return
    folder = Path(current_app.config["SURVEY_QUESTIONNAIRE_DIR"])
    click.echo(f"Loading questionnaires from {folder}")
    lines = load_questionnaires(folder, reference_catalogue(imported_reference_dir()))
    refused = [line for line in lines if line.startswith(REFUSED)]
    invalid = [line for line in lines if line.startswith(INVALID)]
    for line in lines:
        click.echo(f"  {line}", err=line.startswith((REFUSED, INVALID, " ")))
    if invalid:
        click.echo(
            f"{len(invalid)} file(s) invalid and not loaded: run `survey validate --explain` on them",
            err=True,
        )
    if refused:
        click.echo(f"{len(refused)} file(s) refused: the stored versions are used unchanged", err=True)
    if strict and (refused or invalid):
        raise SystemExit(1)
