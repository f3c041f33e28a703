"""The pure floors load no web or database code: importing survey.engine or any analysis module pulls in
no Flask, Werkzeug, SQLAlchemy/SQLModel, and of the service only the engine (checked in a fresh
interpreter, so an import hidden behind the package root or a re-export is seen, unlike a scan of the source).
The static rules are import-linter contracts in pyproject.toml (`lint-imports`, run by `make test`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
    "survey.engine",
    "analysis",
    "analysis.reference",
    "analysis.reference.catalogue",
    "analysis.mapping",
    "analysis.representativeness",
    "analysis.weighting",
    "analysis.estimates",
    "analysis.suppression",
    "analysis.text",
    "analysis.report",
]
PROBE = (
    "import importlib, sys\n"
    "importlib.import_module(sys.argv[1])\n"
    "def bad(m):\n"
    "    top = m.split('.')[0]\n"
    "    if top in ('flask', 'flask_wtf', 'werkzeug', 'sqlalchemy', 'sqlmodel', 'alembic'):\n"
    "        return True\n"
    "    return top == 'survey' and m != 'survey' and not m.startswith('survey.engine')\n"
    "print(','.join(sorted(m for m in sys.modules if bad(m))))\n"
)


def loaded_forbidden(module: str) -> str:
    command = [sys.executable, "-c", PROBE, module]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_no_web_or_database_code(module: str) -> None:
    assert loaded_forbidden(module) == "", f"{module} loaded {loaded_forbidden(module)}"


def test_the_check_would_notice_a_forbidden_import() -> None:
    assert "flask" in loaded_forbidden("survey.app").split(",")
    assert "survey.store.db" in loaded_forbidden("survey.store.db").split(",")
