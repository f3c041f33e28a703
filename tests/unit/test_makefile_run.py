"""`make run` honours HOST, PORT and WORKERS, else the documented SURVEY_BIND and SURVEY_WORKERS."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.conftest import PROJECT_ROOT

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def gunicorn_line(*args: str, **environment: str) -> str:
    """The gunicorn command `make run` would execute (dry run: nothing is installed or started)."""
    assert MAKE is not None
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"HOST", "PORT", "WORKERS", "SURVEY_BIND", "SURVEY_WORKERS"}
    }
    done = subprocess.run(
        [MAKE, "--no-print-directory", "-n", "-C", str(PROJECT_ROOT), "run", *args],
        capture_output=True,
        text=True,
        check=True,
        env={**env, **environment},
        timeout=60,
    )
    [line] = [line for line in done.stdout.splitlines() if "gunicorn" in line]
    return line


@pytest.mark.parametrize(
    ("args", "environment", "bind", "workers"),
    [
        ((), {}, "127.0.0.1:8000", "2"),
        (("PORT=9001",), {}, "127.0.0.1:9001", "2"),
        (("HOST=0.0.0.0", "WORKERS=3"), {}, "0.0.0.0:8000", "3"),
        ((), {"PORT": "5000"}, "127.0.0.1:5000", "2"),
        ((), {"SURVEY_BIND": "0.0.0.0:7000", "SURVEY_WORKERS": "5"}, "0.0.0.0:7000", "5"),
        (("PORT=9002",), {"SURVEY_BIND": "0.0.0.0:7000"}, "127.0.0.1:9002", "2"),
    ],
)
def test_make_run_binds_and_sizes_as_asked(
    args: tuple[str, ...], environment: dict[str, str], bind: str, workers: str
) -> None:
    line = gunicorn_line(*args, **environment)
    assert f"--bind {bind} " in line
    assert f"--workers {workers} " in line
