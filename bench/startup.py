"""`python -m bench.startup`: how long `survey --help`, `survey validate` and `survey paths` take to start.

Each command runs in a fresh interpreter (as a person typing it would), N times; the median and best wall
times are printed against the 0.5 s target, with the median CPU time (user + system: on a loaded machine wall
time waits for a core, CPU time does not), with `python -c pass` as the baseline measured in the same run
(the ratio shows what the command adds to the interpreter's own start). Heavy stacks a command imports
(pandas, SciPy, matplotlib, scikit-learn, WeasyPrint, NLTK, openpyxl, SQLAlchemy, Flask) are listed from
`-X importtime`. Making the app (what each gunicorn worker and app-using command pays first) is timed too,
without a target.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_STARTUP_RUNS", "9"))
TARGET = 0.5
COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "survey --help": [sys.executable, "-m", "survey.cli", "--help"],
    "survey validate safermk-2016.json": [
        sys.executable,
        "-m",
        "survey.cli",
        "validate",
        "questionnaires/safermk-2016.json",
    ],
    "survey paths safermk-2016.json": [
        sys.executable,
        "-m",
        "survey.cli",
        "paths",
        "questionnaires/safermk-2016.json",
    ],
    # not a quick command (no target): what each gunicorn worker, `survey init-db` or `survey report` pays
    # before its own work; the report, text and spreadsheet stacks load only when first used
    "make the app (create_app)": [
        sys.executable,
        "-c",
        "from survey.app import create_app; "
        "create_app({'SURVEY_ENV': 'test', 'SECRET_KEY': 'bench', 'DATABASE_URL': 'sqlite://'})",
    ],
}
UNTARGETED = ("python -c pass (baseline)", "make the app (create_app)")
HEAVY = ("pandas", "scipy", "matplotlib", "sklearn", "weasyprint", "nltk", "openpyxl", "sqlalchemy", "flask")


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _time(command: list[str]) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each run."""
    walls, cpus = [], []
    for _ in range(RUNS):
        started, cpu = time.perf_counter(), _cpu()
        subprocess.run(command, cwd=ROOT, env=_env(), check=True, capture_output=True)
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu() - cpu)
    return walls, cpus


def _heavy(command: list[str]) -> list[str]:
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]],
        cwd=ROOT,
        env=_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in done.stderr.splitlines()}
    return sorted(names & set(HEAVY))


def main() -> int:
    load = os.getloadavg()[0]
    print(
        f"machine: nproc={os.cpu_count()}, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; load average {load:.1f}; {RUNS} runs each"
    )
    baseline_times, baseline_cpus = _time(COMMANDS["python -c pass (baseline)"])
    baseline = statistics.median(baseline_times)
    print(f"{'command':<38} {'median':>8} {'best':>8} {'ratio':>7} {'CPU':>8}  target  heavy imports")
    for name, command in COMMANDS.items():
        is_baseline = "baseline" in name
        times, cpus = (baseline_times, baseline_cpus) if is_baseline else _time(command)
        median = statistics.median(times)
        verdict = "" if name in UNTARGETED else ("met" if median < TARGET else "MISSED")
        heavy = "" if is_baseline else (", ".join(_heavy(command)) or "none")
        print(
            f"{name:<38} {median:7.3f}s {min(times):7.3f}s {median / baseline:6.1f}x "
            f"{statistics.median(cpus):7.3f}s  {verdict:6}  {heavy}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
