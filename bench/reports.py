"""Interim report (all analysis, charts and HTML) for 1,000 / 10,000 / 100,000 responses; PDF for 10,000.

`python -m bench.reports` runs each size in its own subprocess (so peak memory is that size's own) and prints
a Markdown row per size for bench/RESULTS.md. Responses come from the demo generator's pure part (in memory,
no database); generating them is not timed. Targets: 100,000 in under 30 s and 2 GB, growing no worse than
linearly; the PDF for 10,000 in under 30 s.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from typing import Any

SIZES = (1_000, 10_000, 100_000)
PDF_SIZE = 10_000


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def child(n: int, pdf: bool, audience: str = "internal") -> dict[str, Any]:
    """One size: generate (untimed), then build the report and render it; peak RSS of this process."""
    from analysis.reference import reference_name_for, resolve_reference
    from analysis.report import build_report, render_html, render_pdf
    from analysis.text import default_codebook
    from survey.engine import load_file
    from survey.services.demo import generate

    q = load_file(os.path.join(os.path.dirname(__file__), "..", "questionnaires", "safermk-2016.json"))
    demo = generate(q, n, 2016, date(2016, 5, 3))
    rows = [d.as_row(i, q.version) for i, d in enumerate(demo, start=1)]
    del demo
    reference, codebook = resolve_reference(reference_name_for(q)), default_codebook()
    before = _rss_mb()
    steps: dict[str, float] = {}
    steps_cpu: dict[str, float] = {}
    wall, cpu = time.perf_counter(), time.process_time()
    last, last_cpu = wall, cpu

    def step(name: str) -> None:
        nonlocal last, last_cpu
        now, now_cpu = time.perf_counter(), time.process_time()
        steps[name] = round(now - last, 2)
        steps_cpu[name] = round(now_cpu - last_cpu, 2)
        last, last_cpu = now, now_cpu

    report = build_report(
        "interim", q, rows, date(2016, 6, 13), reference, codebook, on_step=step, audience=audience
    )
    html = render_html(report)
    out: dict[str, Any] = {
        "n": n,
        "audience": audience,
        "started": len(rows),
        "wall": round(time.perf_counter() - wall, 2),
        "cpu": round(time.process_time() - cpu, 2),
        "steps": steps,
        "steps_cpu": steps_cpu,
        "html_bytes": len(html),
        "rss_before_mb": round(before),
        "peak_rss_mb": round(_rss_mb()),
    }
    if pdf:
        t, c = time.perf_counter(), time.process_time()
        out["pdf_bytes"] = len(render_pdf(report))
        out["pdf_wall"] = round(time.perf_counter() - t, 2)
        out["pdf_cpu"] = round(time.process_time() - c, 2)
    return out


def _share_of_rest(result: dict[str, Any]) -> str:
    """The disclosure steps' CPU seconds (tables, then representation flags) against the rest's CPU."""
    step = float(result["steps_cpu"].get("disclosure", 0.0)) + float(result["steps_cpu"].get("flags", 0.0))
    rest = max(float(result["cpu"]) - step, 1e-9)
    return f"{step} s CPU = {100 * step / rest:.1f}% of the rest's CPU; CPU steps {result['steps_cpu']}"


def main() -> None:
    """Run every size in a subprocess and print the results table rows."""
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        audience = sys.argv[sys.argv.index("--audience") + 1] if "--audience" in sys.argv else "internal"
        print(json.dumps(child(int(sys.argv[2]), "--pdf" in sys.argv, audience)))
        return
    audience = "internal"
    argv = sys.argv[1:]
    if "--audience" in argv:
        at = argv.index("--audience")
        audience = argv[at + 1]
        del argv[at : at + 2]
    sizes = [int(a) for a in argv] or list(SIZES)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    results = []
    for n in sizes:
        args = [sys.executable, "-m", "bench.reports", "--child", str(n), "--audience", audience] + (
            ["--pdf"] if n == PDF_SIZE and audience == "internal" else []
        )
        done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            print(f"size {n} failed:\n{done.stderr[-3000:]}", file=sys.stderr)
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"{n:>7}: {result['wall']} s wall, {result['cpu']} s CPU, peak {result['peak_rss_mb']} MB "
            f"(before the report {result['rss_before_mb']} MB); steps {result['steps']}; "
            f"disclosure step {_share_of_rest(result)} ({audience})"
            + (f"; PDF {result['pdf_wall']} s ({result['pdf_cpu']} s CPU)" if "pdf_wall" in result else ""),
            flush=True,
        )
    load = os.getloadavg()[0]
    machine = (
        f"nproc={os.cpu_count()}, {platform.machine()}, Python {platform.python_version()}; load {load:.1f}"
    )
    print("\n| date | machine | responses | wall | CPU | peak RSS | per 1,000 (wall) | PDF |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        pdf = "–"
        if "pdf_wall" in r:
            pdf = f"{r['pdf_wall']} s wall, {r['pdf_cpu']} s CPU ({r['pdf_bytes'] // 1024} KB)"
        print(
            f"| {date.today()} | {machine} | {r['n']:,} complete ({r['started']:,} started) | "
            f"{r['wall']} s | {r['cpu']} s | {r['peak_rss_mb']} MB | "
            f"{1000 * r['wall'] / r['n']:.2f} s | {pdf} |"
        )


if __name__ == "__main__":
    main()
