"""The `survey` CLI pins BLAS/OpenMP pools to one thread before numpy loads, and loads no numpy itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import json, os, sys
import importlib.util
spec = importlib.util.spec_from_file_location("threads", "survey/cli/threads.py")
threads = importlib.util.module_from_spec(spec)
spec.loader.exec_module(threads)
threads.pin_threads()
numpy_at_start = 'numpy' in sys.modules
import survey.cli
import numpy
from threadpoolctl import threadpool_info
print(json.dumps({"numpy_at_start": numpy_at_start, "omp": os.environ.get("OMP_NUM_THREADS"),
                  "pools": [p["num_threads"] for p in threadpool_info()]}))
"""


def _run(env_extra: dict[str, str]) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env.update(env_extra, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=True, cwd=ROOT
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_pools_are_pinned_to_one_thread() -> None:
    result = _run({})
    assert result["omp"] == "1"
    assert result["pools"] and set(result["pools"]) == {1}  # type: ignore[arg-type]
    assert result["numpy_at_start"] is False  # pinning itself loads no numpy


def test_an_explicit_setting_is_respected() -> None:
    assert _run({"OMP_NUM_THREADS": "2"})["omp"] == "2"
