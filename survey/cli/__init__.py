"""The `survey` console script: a Flask CLI group; each area registers its commands from its own module."""
from __future__ import annotations

from survey.cli.threads import pin_threads

pin_threads()  # before numpy/scikit-learn load: one BLAS/OpenMP thread per command

import click  # noqa: E402
from flask.cli import FlaskGroup  # noqa: E402

from survey.app import create_app  # noqa: E402
from survey.cli.db import init_db_command  # noqa: E402
from survey.cli.questionnaire_files import questionnaire_group  # noqa: E402
from survey.cli.questionnaires import paths_command, validate_command  # noqa: E402
from survey.cli.reference import reference_group  # noqa: E402
from survey.cli.reports import demo_data_command, export_group, report_group  # noqa: E402
from survey.cli.retention import retention_group  # noqa: E402
from survey.cli.staff import staff_group  # noqa: E402
from survey.cli.themes import themes_group  # noqa: E402


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False, add_default_commands=False)
def cli() -> None:
    """Run and manage the resident survey service."""


cli.add_command(reference_group)
cli.add_command(themes_group)
cli.add_command(staff_group)
cli.add_command(retention_group)
cli.add_command(init_db_command)
cli.add_command(validate_command)
cli.add_command(paths_command)
cli.add_command(report_group)
cli.add_command(export_group)
cli.add_command(demo_data_command)
cli.add_command(questionnaire_group)


def main() -> None:
    """Entry point of the `survey` console script."""
    cli()
