"""Reports from the database: a 100,000-response interim report as JSON and as PDF, through the report job.

`python -m bench.reports_db [N]` (default 100,000; `--postgres` also runs on SURVEY_TEST_POSTGRES_URL;
`--modes=json,pdf` runs only those of read-orm, read-stream, json, pdf):
1. (untimed) stores N demo responses (the demo generator, bulk inserted) in a database of its own under
   bench/out/reports-db/ (kept and reused by the next run);
2. runs, each in a fresh subprocess so its peak memory is its own:
   - `read-orm`: the whole read, `repository.responses_for_report` — the baseline (ORM objects until it
     took the chunked read's rule and columns from `repository_asof`; rows of bench/RESULTS.md before that
     timed the ORM read);
   - `read-stream`: the chunked read the jobs use (`repository_stream.iter_responses_for_report`);
   - `json` and `pdf`: the whole report job (`survey.services.jobs`, immediate mode) from the database to
     the finished file kept on the job: chunked read, analysis, charts, rendering.
Targets (issue 18): JSON under 20 s, PDF under 30 s, peak memory under 1 GB; at 1,000,000 or more, JSON
under 3 minutes and 4 GB (the PDF is given 4 minutes, a target of ours). Prints a Markdown row per
database for bench/RESULTS.md.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "reports-db"
QID = "safermk-2016"
AS_OF = "2016-06-13"
TARGETS = {"json": 20.0, "pdf": 30.0}
MODES = ("read-orm", "read-stream", "json", "pdf")
MEMORY_TARGET_MB = 1024


def _rss_mb() -> float:
    """This process's peak resident memory (MB) since it started.

    /proc's VmHWM belongs to the process's own address space, which exec replaces; `ru_maxrss` would carry
    over the parent's peak from before the fork (the parent holds the demo rows it stored: about 640 MB at
    100,000 and over 5 GB at 1,000,000). Elsewhere, `ru_maxrss`.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _app(url: str) -> Any:
    from survey.app import create_app

    OUT.mkdir(parents=True, exist_ok=True)
    os.environ["SURVEY_INSTANCE_DIR"] = str(OUT / "instance")
    return create_app(
        {
            "SURVEY_ENV": "test",
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "SURVEY_JOBS_WORKER": "immediate",
            "SURVEY_FIXED_DATE": AS_OF,
        }
    )


def prepare(url: str, n: int) -> int:
    """Migrate, load the questionnaires and bulk insert N demo responses unless they are there already."""
    from sqlalchemy import insert, text
    from sqlmodel import Session

    from survey.cli.db import load_questionnaires
    from survey.services.demo import generate
    from survey.store import repository
    from survey.store.db import get_engine, upgrade_database
    from survey.store.models import Response
    from survey.store.repository_stream import count_responses

    app = _app(url)
    with app.app_context():
        engine = get_engine()
        upgrade_database(engine)
        load_questionnaires(ROOT / "questionnaires")
        with Session(engine) as session:
            stored = count_responses(session=session, questionnaire_id=QID)
            row = repository.current_questionnaire(session=session, questionnaire_id=QID)
            assert row is not None
            version = row.version
        if stored:
            return stored
        from survey.engine import load_dict

        demo = generate(load_dict(row.definition), n, 2016, date(2016, 5, 3))
        rows = [
            {
                "token": uuid.uuid4().hex,
                "questionnaire_id": QID,
                "questionnaire_version": version,
                "channel": d.channel,
                "mode": d.mode,
                "status": "complete" if d.complete else "in_progress",
                "language": d.language,
                "started_on": d.started_on,
                "completed_on": d.completed_on,
                "duration_seconds": d.duration_seconds,
                "last_question": d.last_question,
                "answers": d.answers,
                "visited": list(d.visited),
            }
            for d in demo
        ]
        with engine.begin() as connection:
            for start in range(0, len(rows), 5000):
                connection.execute(insert(Response), rows[start : start + 5000])
        if engine.dialect.name == "postgresql":
            # What autovacuum does within a minute of a bulk load on a default server; without statistics
            # the planner sorted all matching rows for each chunk (this machine's test server has it off).
            with engine.begin() as connection:
                connection.execute(text("ANALYZE responses"))
        return len(rows)


def child(mode: str, url: str) -> dict[str, Any]:
    """One measurement in this (fresh) process."""
    from sqlmodel import Session

    from survey.store.db import get_engine

    app = _app(url)
    with app.app_context():
        engine = get_engine()
        with Session(engine) as session:  # connect before timing (not part of a report's cost)
            session.connection()
        before = _rss_mb()
        started, cpu = time.perf_counter(), time.process_time()
        extra: dict[str, Any] = {}
        if mode in ("read-orm", "read-stream"):
            from survey.store import repository
            from survey.store.repository_stream import iter_responses_for_report

            with Session(engine) as session:
                if mode == "read-orm":
                    rows = repository.responses_for_report(session=session, questionnaire_id=QID)
                else:
                    rows = [
                        r
                        for chunk in iter_responses_for_report(session=session, questionnaire_id=QID)
                        for r in chunk
                    ]
            extra["rows"] = len(rows)
        else:
            from survey.services import jobs
            from survey.store import repository_jobs

            with app.test_request_context(), Session(engine, expire_on_commit=False) as session:
                job = jobs.submit(
                    session=session,
                    kind="report",
                    questionnaire_id=QID,
                    created_by="bench",
                    params={"kind": "interim", "format": mode, "as_of": AS_OF, "keep": False},
                )
                assert job.id is not None
                done = repository_jobs.job_by_id(session=session, job_id=job.id, with_result=True)
                assert done is not None and done.status == "done", (done.status, done.error) if done else None
                extra["bytes"] = len(done.result or b"")
                extra["responses"] = done.summary.get("responses")
        return {
            "mode": mode,
            "wall": round(time.perf_counter() - started, 2),
            "cpu": round(time.process_time() - cpu, 2),
            "rss_before_mb": round(before),
            "peak_rss_mb": round(_rss_mb()),
            **extra,
        }


def run(url: str, label: str, modes: tuple[str, ...] = MODES) -> list[dict[str, Any]]:
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONPATH": str(ROOT),
    }
    results = []
    for mode in modes:
        done = subprocess.run(
            [sys.executable, "-m", "bench.reports_db", "--child", mode, url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            print(f"{label} {mode} failed:\n{done.stderr[-3000:]}", file=sys.stderr)
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        results.append(result)
        target = TARGETS.get(mode)
        verdict = ""
        if target is not None:
            met = result["wall"] < target and result["peak_rss_mb"] < MEMORY_TARGET_MB
            verdict = f" target {target:g} s / {MEMORY_TARGET_MB} MB: {'met' if met else 'MISSED'}"
        print(
            f"{label:<8} {mode:<12} {result['wall']:>7} s wall {result['cpu']:>7} s CPU  "
            f"peak {result['peak_rss_mb']} MB (before {result['rss_before_mb']} MB){verdict}",
            flush=True,
        )
    return results


def main() -> None:
    if len(sys.argv) > 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], sys.argv[3])))
        return
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    asked = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--modes=")]
    modes = tuple(asked[0].split(",")) if asked else MODES
    if unknown := sorted(set(modes) - set(MODES)):
        sys.exit(f"unknown mode(s) {', '.join(unknown)}: choose from {', '.join(MODES)}")
    if n >= 1_000_000:  # issue 18: a million responses as JSON in under 3 minutes and 4 GB
        TARGETS.update({"json": 180.0, "pdf": 240.0})
        global MEMORY_TARGET_MB
        MEMORY_TARGET_MB = 4096
    OUT.mkdir(parents=True, exist_ok=True)
    databases = [("SQLite", f"sqlite:///{OUT / f'survey-{n}.db'}")]
    if "--postgres" in sys.argv:
        base = os.environ.get("SURVEY_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
        databases.append(("Postgres", f"{base}?options=-csearch_path%3Dbench_reports_{n}"))
        from sqlalchemy import create_engine, text

        from survey.config import normalise_database_url

        admin = create_engine(normalise_database_url(base))
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS bench_reports_{n}"))
        admin.dispose()
    machine = f"nproc={os.cpu_count()}, {platform.machine()}, Python {platform.python_version()}"
    rows = []
    for label, url in databases:
        t = time.perf_counter()
        stored = prepare(url, n)
        print(f"{label}: {stored:,} responses stored (setup {time.perf_counter() - t:.1f} s, untimed)")
        rows.append((label, stored, run(url, label, modes), os.getloadavg()[0]))
    print(
        "\n| date | machine | database | responses | whole read (baseline) | chunked read | ratio "
        "| JSON report | PDF report | result |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, stored, results, load in rows:
        by = {r["mode"]: r for r in results}

        def cell(mode: str, by: dict[str, Any] = by) -> str:
            r = by.get(mode)
            if r is None:
                return "not run" if mode not in modes else "failed"
            return f"{r['cpu']} s CPU ({r['wall']} s wall), {r['peak_rss_mb']} MB"

        ratio = (
            f"{by['read-stream']['wall'] / by['read-orm']['wall']:.2f}"
            if "read-orm" in by and "read-stream" in by
            else "–"
        )
        met = all(
            m in by and by[m]["wall"] < t and by[m]["peak_rss_mb"] < MEMORY_TARGET_MB
            for m, t in TARGETS.items()
            if m in modes  # a mode not asked for (--modes=) is not a miss
        )
        print(
            f"| {date.today()} | {machine}; load {load:.1f} | {label} | {stored:,} | {cell('read-orm')} | "
            f"{cell('read-stream')} | {ratio} | {cell('json')} | {cell('pdf')} | "
            f"{'met' if met else 'MISSED'} |"
        )


if __name__ == "__main__":
    main()
