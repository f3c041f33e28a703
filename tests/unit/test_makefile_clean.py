"""`make clean` removes build artefacts only; `make clean-data` deletes instance/ only when confirmed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def checkout(tmp_path: Path) -> Path:
    """A directory laid out like a working copy: database, key, virtualenv and caches."""
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "survey.db").write_bytes(b"responses")
    (tmp_path / "instance" / "secret_key").write_text("key")
    for folder in (".venv", "node_modules", ".pytest_cache", ".mypy_cache", ".ruff_cache"):
        (tmp_path / folder).mkdir()
    return tmp_path


def make(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert MAKE is not None
    command = [MAKE, "--no-print-directory", "-f", str(PROJECT_ROOT / "Makefile"), "-C", str(where), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_clean_keeps_the_database_and_the_secret_key(tmp_path: Path) -> None:
    where = checkout(tmp_path)
    done = make(where, "clean")
    assert done.returncode == 0, done.stderr
    assert (where / "instance" / "survey.db").read_bytes() == b"responses"
    assert (where / "instance" / "secret_key").exists()
    assert not any(
        (where / f).exists() for f in (".venv", "node_modules", ".pytest_cache", ".mypy_cache", ".ruff_cache")
    )


def test_clean_data_says_what_it_deletes_and_wants_confirming(tmp_path: Path) -> None:
    where = checkout(tmp_path)
    refused = make(where, "clean-data")
    assert refused.returncode != 0
    assert "the SQLite database" in refused.stdout and "secret key" in refused.stdout
    assert "make clean-data CONFIRM=yes" in refused.stdout
    assert (where / "instance" / "survey.db").exists()
    done = make(where, "clean-data", "CONFIRM=yes")
    assert done.returncode == 0, done.stderr
    assert not (where / "instance").exists() and (where / ".venv").exists()
