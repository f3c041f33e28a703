"""`survey init-db`: create or upgrade the database (Alembic head) and load the bundled questionnaires."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url
from sqlmodel import Session

from survey import repository
from survey.config import today
from survey.db import current_revision, get_engine, upgrade_database
from survey.engine import DefinitionError, load_file


def load_questionnaires(folder: Path) -> list[str]:
    """Validate and store every questionnaires/*.json; returns one line per file, raises on a bad file."""
    lines: list[str] = []
    files = sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json"))
    with Session(get_engine()) as session:
        for path in files:
            questionnaire = load_file(path)
            row, action = repository.store_questionnaire(
                session=session, definition=questionnaire.raw, loaded_on=today()
            )
            lines.append(f"{action:9} {row.questionnaire_id} version {row.version} ({path.name})")
    return lines


@click.command("init-db")
@click.option("--no-questionnaires", is_flag=True, help="Only migrate; do not load questionnaires/*.json.")
@with_appcontext
def init_db_command(no_questionnaires: bool) -> None:
    """Create or upgrade the database to the latest schema and load the bundled questionnaires."""
    url = make_url(current_app.config["DATABASE_URL"])
    engine = get_engine()
    if url.get_backend_name() == "sqlite" and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    before = current_revision(engine)
    click.echo(f"Database: {url.render_as_string(hide_password=True)}")
    click.echo(f"Upgrading the schema from {before or 'empty'} to the latest revision")
    upgrade_database(engine)
    click.echo(f"Schema at {current_revision(engine)}")
    if no_questionnaires:
        return
    folder = Path(current_app.config["SURVEY_QUESTIONNAIRE_DIR"])
    click.echo(f"Loading questionnaires from {folder}")
    try:
        for line in load_questionnaires(folder):
            click.echo(f"  {line}")
    except DefinitionError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("a questionnaire is not valid: nothing more was loaded") from error
