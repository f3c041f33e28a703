"""The CI rule itself: with CI=true a browser or Postgres test that skips fails the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.live_server import PROJECT_ROOT

SKIPPING = """
import pytest

@pytest.mark.browser
def test_needs_a_browser():
    pytest.skip("no Chromium here")

@pytest.mark.postgres
def test_needs_postgres():
    pytest.skip("no server here")

def test_may_skip():
    pytest.skip("an ordinary skip")
"""


def _run(tmp_path: Path, ci: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_skips.py").write_text(SKIPPING, encoding="utf-8")
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "tests.conftest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-rA",
            "-o",
            "addopts=",
            "-o",
            "markers=browser\n postgres",
            "--rootdir",
            str(tmp_path),
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(("ci", "failed", "skipped"), [("true", 2, 1), ("", 0, 3)])
def test_browser_and_postgres_skips_fail_only_in_ci(
    tmp_path: Path, ci: str, failed: int, skipped: int
) -> None:
    """CI=true: the two marked skips become failures naming the reason; the ordinary skip stays a skip."""
    done = _run(tmp_path, ci)
    summary = done.stdout.strip().splitlines()[-1]
    assert (f"{failed} failed" in summary) == bool(failed), done.stdout
    assert f"{skipped} skipped" in summary, done.stdout
    if failed:
        assert "this browser test must run, but it was skipped: Skipped: no Chromium here" in done.stdout
        assert done.returncode == 1
