"""`python -m bench` (`make bench`): every benchmark in bench/, each in its own process, one after another.

`python -m bench journey raking` runs only those. Each benchmark prints its own figures and targets; copy
the rows into bench/RESULTS.md with the machine and date they print. Exit status 1 when any benchmark failed
to run (a missed target is reported by the benchmark, not treated as a crash).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Cheapest first, so a quick look at the early ones does not wait for the long ones.
ORDER = ["startup", "raking", "themes", "dashboard", "reports", "journey"]
# journey_wsgi is a helper; report_identity and identity_all write outputs to compare checkouts (untimed)
NOT_BENCHMARKS = {"__main__", "__init__", "journey_wsgi", "report_identity", "identity_all"}


def available() -> list[str]:
    """Benchmark modules in bench/: the known order first, then any others alphabetically."""
    found = {p.stem for p in HERE.glob("*.py")} - NOT_BENCHMARKS
    return [name for name in ORDER if name in found] + sorted(found - set(ORDER))


def main(argv: list[str]) -> int:
    """Run the chosen (default: all) benchmarks; print a summary line for each."""
    names = available()
    chosen = argv or names
    unknown = [name for name in chosen if name not in names]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}", file=sys.stderr)
        return 2
    summary = []
    for name in chosen:
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.monotonic()
        command = [sys.executable, "-m", f"bench.{name}"]
        code = subprocess.run(command, cwd=HERE.parent, check=False).returncode
        summary.append((name, code, time.monotonic() - started))
    print("\n=== summary ===")
    for name, code, seconds in summary:
        print(f"bench.{name:<10} {'ok' if code == 0 else f'FAILED (exit {code})':<16} {seconds:7.1f} s")
    return 0 if all(code == 0 for _, code, _ in summary) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
