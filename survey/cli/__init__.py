"""The `survey` console script: a Flask CLI group; each area registers its commands from its own module.

Commands are imported only when they run (`LAZY` below names each one's module, attribute and one-line
help), so `survey --help`, `survey validate` and `survey paths` start without loading the database, the
web app or the report and text stacks (pandas, matplotlib, scikit-learn, WeasyPrint). The one-line helps are
checked against the commands' own docstrings by tests/unit/test_cli_lazy.py.
"""

from __future__ import annotations

import importlib
from typing import Any

from survey.cli.threads import pin_threads

pin_threads()  # before numpy/scikit-learn load: one BLAS/OpenMP thread per command

import click  # noqa: E402

# name -> (module, attribute, one-line help shown by `survey --help`)
LAZY: dict[str, tuple[str, str, str]] = {
    "demo-data": (
        "survey.cli.reports",
        "demo_data_command",
        "Create synthetic responses through the same storage path as real ones (for demos and rehearsals).",
    ),
    "disclosure": (
        "survey.cli.disclosure",
        "disclosure_group",
        "Disclosure control: audit reports for hidden counts a reader could work out.",
    ),
    "export": ("survey.cli.reports", "export_group", "Data exports for analysts."),
    "init-db": (
        "survey.cli.db",
        "init_db_command",
        "Create or upgrade the database to the latest schema and load new bundled questionnaire versions.",
    ),
    "jobs": ("survey.cli.jobs", "jobs_group", "Background jobs: list them, show one, cancel one."),
    "questionnaire": (
        "survey.cli.questionnaire_files",
        "questionnaire_group",
        "Questionnaires as spreadsheets, and new questionnaires from templates and the question bank.",
    ),
    "paths": (
        "survey.cli.questionnaires",
        "paths_command",
        "Shortest and longest paths through a questionnaire, estimated minutes and branch points.",
    ),
    "reference": (
        "survey.cli.reference",
        "reference_group",
        "Reference populations (census shares) that reports compare respondents with.",
    ),
    "report": (
        "survey.cli.reports",
        "report_group",
        "Interim and final reports: make, list, download again and compare stored snapshots.",
    ),
    "retention": (
        "survey.cli.retention",
        "retention_group",
        "Apply the retention dates set on questionnaires.",
    ),
    "staff": ("survey.cli.staff", "staff_group", "Manage staff accounts (admin, analyst, partner)."),
    "themes": (
        "survey.cli.themes",
        "themes_group",
        "Themes in free-text answers: evaluate, tag, discover; check codebooks.",
    ),
    "validate": (
        "survey.cli.questionnaires",
        "validate_command",
        "Check questionnaire definitions: one line per problem, exit 1 when any has errors.",
    ),
    "worker": (
        "survey.cli.jobs",
        "worker_command",
        "Run background jobs (reports, exports, imports, retention) until stopped.",
    ),
}
WITHOUT_APP = frozenset({"validate", "paths"})


def _create_app() -> Any:
    from survey.app import create_app  # the web app is built only by commands that need its configuration

    return create_app()


class LazyGroup(click.Group):
    """A group whose commands are imported on first use; Flask and the app only for commands that need them.

    Commands that run in the app context (`flask.cli.with_appcontext`) find a `ScriptInfo` that builds the
    app with `create_app`, as under Flask's own FlaskGroup; `validate` and `paths` never import Flask.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(LAZY)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in LAZY:
            return None
        module, attribute, _ = LAZY[cmd_name]
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        if cmd_name not in WITHOUT_APP and ctx.obj is None:
            from flask.cli import ScriptInfo

            ctx.obj = ScriptInfo(create_app=_create_app, set_debug_flag=False)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, LAZY[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
def cli() -> None:
    """Run and manage the resident survey service."""


def main() -> None:
    """Entry point of the `survey` console script."""
    cli()
