"""The `survey` command loads each command only when it runs: quick commands stay off the heavy stacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from survey.cli import LAZY, cli
from tests.conftest import PROJECT_ROOT

HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "sklearn", "weasyprint", "nltk", "sqlalchemy", "flask")
# loaded on first use only: Babel's locale data (numbers typed in a page's language, a stale catalogue)
ON_USE = ("babel",)


def _modules_after(*args: str) -> set[str]:
    """The top-level modules a fresh interpreter holds after running `survey ARGS`."""
    return _modules_of(
        "from survey.cli import cli\n"
        "try:\n"
        f"    cli.main({list(args)!r}, standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
    )


def _modules_of(code: str) -> set[str]:
    """The top-level modules a fresh interpreter holds after running `code`."""
    code = "import sys\n" + code + "print('\\n'.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(PROJECT_ROOT), "PATH": "/usr/bin:/bin"},
    )
    return set(done.stdout.split())


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("validate", "questionnaires/safermk-2016.json"),
        ("paths", "questionnaires/safermk-2016.json"),
    ],
)
def test_quick_commands_import_no_heavy_stack(args: tuple[str, ...]) -> None:
    loaded = _modules_after(*args)
    assert "click" in loaded and "survey" in loaded  # the probe ran the command
    assert not loaded & {*HEAVY, *ON_USE}, sorted(loaded & {*HEAVY, *ON_USE})


def test_the_engine_loads_jsonschema_and_babel_only_when_it_needs_them() -> None:
    """Importing the engine costs neither; validating loads jsonschema, reading a typed number Babel."""
    assert not _modules_of("import survey.engine\n") & {"jsonschema", "babel"}
    used = _modules_of(
        "from survey.engine import validate_file\n"
        "from survey.engine.formats import parse_number\n"
        "assert validate_file('questionnaires/safermk-2016.json').ok\n"
        "assert parse_number('4,5', 'pl').value is not None\n"
    )
    assert {"jsonschema", "babel"} <= used


def test_the_probe_sees_a_heavy_import() -> None:
    """The probe above can fail: a command that needs the app does load Flask."""
    assert "flask" in _modules_after("staff", "--help")


@pytest.mark.parametrize("name", sorted(LAZY))
def test_each_listed_command_loads_and_its_listed_help_is_its_own(name: str) -> None:
    from click import Context

    command = cli.get_command(Context(cli), name)
    assert command is not None and command.name == name
    first_line = " ".join((command.help or "").split("\n\n")[0].split())
    assert first_line == LAZY[name][2]


def test_an_unknown_command_is_a_usage_error() -> None:
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code == 2
    assert "No such command 'no-such-command'" in result.output


# The report, text and spreadsheet stacks and the migration tool: loaded on first use by the staff pages and
# jobs that need them, not when the app is made (each gunicorn start and `survey` command would pay ~1.5 s).
APP_ON_USE = (
    "scipy",
    "pandas",
    "weightipy",
    "sklearn",
    "nltk",
    "matplotlib",
    "weasyprint",
    "openpyxl",
    "alembic",
)


def test_making_the_app_loads_no_report_or_text_stack() -> None:
    loaded = _modules_of(
        "from survey.app import create_app\n"
        "app = create_app({'SURVEY_ENV': 'test', 'SECRET_KEY': 'x', 'DATABASE_URL': 'sqlite://'})\n"
        "assert 'staff' in app.blueprints and 'respond' in app.blueprints\n"
    )
    assert "flask" in loaded and "survey" in loaded  # the probe made the app
    assert not loaded & set(APP_ON_USE), sorted(loaded & set(APP_ON_USE))


def test_the_stacks_load_when_a_report_is_made() -> None:
    """The probe above can fail: building and rendering a report does load them."""
    loaded = _modules_of(
        "from analysis.weighting import rake_categories\n"
        "from analysis.text import nlp\n"
        "from analysis.report import render_xlsx\n"
        "nlp.stem('burglaries'); nlp.stopwords()\n"
        "import analysis.report.xlsx\n"
    )
    assert {"nltk", "sklearn", "openpyxl"} <= loaded
