"""Benchmark: rake 100,000 respondents on four margins (target: under 1 second); run `python -m bench.raking`.

Prints the time of analysis.weighting.rake_categories (weightipy plus our own margin checks), of rake() from
response dicts (mapping included), and of a plain-numpy IPF baseline run in the same process, with ratios.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

from analysis.reference import resolve_reference
from analysis.weighting import Margin, rake, rake_categories
from survey.engine import demographic_mapping

N = 100_000
REPEATS = 5
DIMENSIONS = ("sex_age16to74", "age_adult16plus", "tenure_households_grouped", "ward")


def skewed_sample(n: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Respondents skewed like the 2016 interim sample: older, owners, some wards over-represented."""
    rng = np.random.default_rng(seed)
    ref = resolve_reference()
    columns = {}
    for dim in DIMENSIONS:
        cats = list(ref.dimension(dim).shares)
        p = rng.dirichlet(np.full(len(cats), 2.0)) if dim == "ward" else None
        if dim == "age_adult16plus":
            p = np.array([0.03, 0.07, 0.20, 0.40, 0.30])
        if dim == "tenure_households_grouped":
            p = np.array([0.78, 0.10, 0.12])
        if dim == "sex_age16to74":
            p = np.array([0.53, 0.47])
        columns[dim] = np.array(cats, dtype=object)[rng.choice(len(cats), size=n, p=p)]
    return columns


def numpy_ipf(codes: list[np.ndarray], targets: list[np.ndarray], tol: float = 1e-10) -> np.ndarray:
    """Plain iterative proportional fitting on integer codes (the baseline)."""
    n = codes[0].size
    w = np.ones(n)
    for _ in range(1000):
        before = w.copy()
        for code, target in zip(codes, targets, strict=True):
            totals = np.bincount(code, weights=w, minlength=target.size)
            w *= (target * n / totals)[code]
        if np.max(np.abs(w - before)) < tol:
            break
    return w


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """Best and median wall time over REPEATS runs."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def cpu_model() -> str:
    """CPU model from /proc/cpuinfo (or the platform's processor string)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    """Run the benchmark and print the figures for bench/RESULTS.md."""
    ref = resolve_reference()
    sample = skewed_sample(N)
    columns = {d: list(v) for d, v in sample.items()}
    targets = {d: ref.dimension(d).shares for d in DIMENSIONS}
    codes = [np.array([list(targets[d]).index(c) for c in columns[d]]) for d in DIMENSIONS]
    shares = [np.array(list(targets[d].values())) for d in DIMENSIONS]
    responses = [
        {"id": i, "status": "complete", "answers": {d: columns[d][i] for d in DIMENSIONS}} for i in range(N)
    ]
    margins = [
        Margin(
            d,
            demographic_mapping({"dimension": d, "question": d, "map": {c: c for c in targets[d]}}),
            targets[d],
        )
        for d in DIMENSIONS
    ]

    weights, report = rake_categories(columns, targets)
    baseline = numpy_ipf(codes, shares)
    print(f"machine: nproc={os.cpu_count()}, CPU: {cpu_model()}, Python {platform.python_version()}")
    print(f"respondents: {N:,}; margins: {', '.join(f'{d} ({len(targets[d])})' for d in DIMENSIONS)}")
    print(
        f"converged: {report.converged}; iterations: {report.iterations}; largest margin error: "
        f"{100 * report.max_error:.2e} points; deff {report.deff:.2f}; max |ours - numpy| = "
        f"{np.max(np.abs(weights - baseline)):.1e}"
    )
    ours = timed(lambda: rake_categories(columns, targets))
    plain = timed(lambda: numpy_ipf(codes, shares))
    full = timed(lambda: rake(responses, margins))
    print(f"rake_categories (weightipy + checks): best {ours[0]:.3f} s, median {ours[1]:.3f} s")
    print(f"rake from response dicts (mapping too): best {full[0]:.3f} s, median {full[1]:.3f} s")
    print(f"plain numpy IPF baseline:              best {plain[0]:.3f} s, median {plain[1]:.3f} s")
    print(
        f"ratio rake_categories / numpy (best): {ours[0] / plain[0]:.1f}x; "
        f"rake / numpy (best): {full[0] / plain[0]:.1f}x"
    )
    print(
        f"target under 1 second: {'met' if ours[0] < 1 else 'NOT met'} (rake_categories, best of {REPEATS})"
    )


if __name__ == "__main__":
    main()
