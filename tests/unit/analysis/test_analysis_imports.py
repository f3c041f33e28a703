"""analysis/ is pure Python: importing it or any of its modules pulls in no flask, sqlmodel or survey."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODULES = [
    "analysis",
    "analysis.reference",
    "analysis.reference.catalogue",
    "analysis.conditions",
    "analysis.mapping",
    "analysis.representativeness",
    "analysis.weighting",
    "analysis.estimates",
    "analysis.suppression",
]
FORBIDDEN = ("flask", "sqlmodel", "survey")


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_no_web_or_database_code(module: str) -> None:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imported {result.stdout.strip()}"


def test_the_check_would_notice_a_forbidden_import() -> None:
    code = "import sys, flask\nprint(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'flask')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert "flask" in result.stdout
